"""What every job page shares: the live status, and asking for a job again."""

import json

from django.contrib.messages.storage.cookie import CookieStorage
from django.core.exceptions import ValidationError
from django.test import RequestFactory
from django.utils.timezone import now

from documents.models import JobStatus
from documents.views import job_status, queue_again
from reporting.models import StaffCostReport


def _request():
    request = RequestFactory().post("/")
    request._messages = CookieStorage(request)
    return request


def _said(request) -> list[tuple[str, str]]:
    return [(message.level_tag, message.message) for message in request._messages]


def test_queued_again_the_person_is_told_so():
    request, called = _request(), []
    assert queue_again(request, lambda: called.append(True), done="Being made again.") is True
    assert called == [True]
    assert _said(request) == [("success", "Being made again.")]


def test_a_refused_retry_tells_every_reason_and_not_the_success():
    def refuse():
        raise ValidationError(["Only a failed report can be run again.", "Second reason."])

    request = _request()
    assert queue_again(request, refuse, done="Being made again.") is False
    assert _said(request) == [
        ("error", "Only a failed report can be run again."),
        ("error", "Second reason."),
    ]


def test_the_status_is_the_jobs_payload():
    job = StaffCostReport(
        status=JobStatus.RUNNING, progress=40, progress_note="Half way", heartbeat_at=now()
    )
    payload = json.loads(job_status(job).content)
    assert payload == job.status_payload()
    assert (payload["status"], payload["progress"], payload["note"]) == ("running", 40, "Half way")
