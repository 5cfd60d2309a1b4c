"""What the pages of every kind of job share: the live status, and asking for a job again."""

from collections.abc import Callable

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpRequest, JsonResponse

from .models import BackgroundJob


def job_status(job: BackgroundJob) -> JsonResponse:
    """What the job's page polls while the job runs."""
    return JsonResponse(job.status_payload())


def queue_again(request: HttpRequest, service: Callable[[], None], *, done: str) -> bool:
    """Call the app's retry (or render-again) service; tell the person it is queued, or why
    not (the service's ValidationError). Returns whether it was queued."""
    try:
        service()
    except ValidationError as error:
        for message in error.messages:
            messages.error(request, message)
        return False
    messages.success(request, done)
    return True
