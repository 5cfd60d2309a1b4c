"""The one job runner: start, progress, store and attach the files, fail with the reason, retry.

A staff-cost report stands in for any job (it has three file fields); ``produce`` is a small
function here instead of the report's builder, so that each step can be watched or broken.
"""

import errno
from datetime import date

import pytest
from celery.exceptions import SoftTimeLimitExceeded
from django.core.files.storage import default_storage

from documents import jobs
from documents.models import JobStatus, StoredFile
from reporting.models import StaffCostReport
from tests.reporting.factories import build_time_world

PDF = b"%PDF-1.7 a report"
CSV = b"\xef\xbb\xbfcity,hours\r\nGhent,8\r\n"
RAN: list[int] = []


def produce_two_files(job, *, progress) -> jobs.Produced:
    RAN.append(job.pk)
    progress(50, "Half way")
    return jobs.Produced(
        files={
            "pdf": jobs.Output(PDF, "report.pdf", "application/pdf"),
            "csv": jobs.Output(CSV, "report.csv", "text/csv; charset=utf-8"),
        },
        note="Both files are stored.",
    )


build_test_files = jobs.job_task(
    "tests.documents.build_test_files",
    model=StaffCostReport,
    produce="tests.documents.test_runner.produce_two_files",
    too_long="Too long.",
    failed="Could not be made: %(error)s",
)


def run(report, produce) -> StaffCostReport:
    jobs.run(
        StaffCostReport,
        report.pk,
        produce,
        too_long="It took too long.",
        failed="Could not be made: %(error)s",
    )
    report.refresh_from_db()
    return report


@pytest.fixture
def media_root(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    return settings.MEDIA_ROOT


@pytest.fixture
def report(db, media_root):
    world = build_time_world()
    RAN.clear()
    return StaffCostReport.objects.create(
        programme=world.programme,
        city=world.city,
        first_month=date(2017, 1, 1),
        last_month=date(2017, 12, 1),
        requested_by=world.coordinator,
    )


def test_success_stores_and_attaches_the_files_and_marks_the_job_done(report):
    report = run(report, produce_two_files)
    assert report.status == JobStatus.DONE
    assert (report.progress, report.progress_note) == (100, "Both files are stored.")
    assert (report.attempts, report.error) == (1, "")
    assert report.started_at is not None
    assert report.finished_at is not None
    assert report.pdf.file.read() == PDF
    assert (report.pdf.filename, report.pdf.content_type) == ("report.pdf", "application/pdf")
    assert report.csv.file.read() == CSV
    assert report.csv.size == len(CSV)
    assert report.xlsx is None, "a field produce did not fill stays as it was"
    assert StoredFile.objects.count() == 2


def test_progress_is_written_while_the_job_runs(report):
    seen = []

    def produce(job, *, progress):
        progress(35, "Counting the hours")
        seen.append(StaffCostReport.objects.values_list("progress", "progress_note").get())
        progress(250, "x" * 300)  # kept within 0..100 and the note's length
        seen.append(StaffCostReport.objects.values_list("progress", "progress_note").get())
        return jobs.Produced(files={}, note="Nothing to store.")

    report = run(report, produce)
    assert seen == [(35, "Counting the hours"), (100, "x" * 200)]
    assert (report.status, report.progress_note) == (JobStatus.DONE, "Nothing to store.")


def test_a_failing_produce_records_the_reason_and_stores_nothing(report):
    def produce(job, *, progress):
        progress(40, "Laying out the pages")
        raise RuntimeError("the template is missing")

    report = run(report, produce)
    assert report.status == JobStatus.FAILED
    assert report.error == "Could not be made: the template is missing"
    assert report.finished_at is not None
    assert (report.pdf, report.csv, report.xlsx) == (None, None, None)
    assert StoredFile.objects.count() == 0


def test_a_full_disk_fails_the_job_with_the_reason_and_leaves_no_file(report, monkeypatch):
    """The PDF is stored, then the CSV finds the disk full: the PDF is removed again, so the
    job has no files and no stored file is left without a job."""
    real_store = StoredFile.store.__func__
    stored_names = []

    def store(cls, content, *, filename, content_type):
        if filename.endswith(".csv"):
            raise OSError(errno.ENOSPC, "No space left on device")
        stored = real_store(cls, content, filename=filename, content_type=content_type)
        stored_names.append(stored.file.name)
        return stored

    closed = []

    def produce(job, *, progress):
        produced = produce_two_files(job, progress=progress)
        produced.close = lambda: closed.append(True)
        return produced

    monkeypatch.setattr(StoredFile, "store", classmethod(store))
    report = run(report, produce)
    assert report.status == JobStatus.FAILED
    assert "No space left on device" in report.error
    assert report.status_payload()["error"] == report.error, "the person who asked sees why"
    assert (report.pdf, report.csv) == (None, None)
    assert StoredFile.objects.count() == 0
    assert len(stored_names) == 1
    assert not default_storage.exists(stored_names[0]), "the PDF stored first is removed"
    assert closed == [True], "temporary files are released after a failure too"


def test_a_job_past_its_time_limit_says_so(report):
    def produce(job, *, progress):
        raise SoftTimeLimitExceeded()

    report = run(report, produce)
    assert (report.status, report.error) == (JobStatus.FAILED, "It took too long.")


def test_a_failed_job_keeps_the_files_it_had(report):
    done = run(report, produce_two_files)
    files = (done.pdf_id, done.csv_id)
    StaffCostReport.objects.filter(pk=report.pk).update(status=JobStatus.QUEUED)

    def broken(job, *, progress):
        raise OSError(errno.ENOSPC, "No space left on device")

    again = run(report, broken)
    assert again.status == JobStatus.FAILED
    assert (again.pdf_id, again.csv_id) == files, "the previous files are still served"


def test_the_task_runs_a_job_once_and_a_retry_runs_it_again(
    report, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        jobs.enqueue(report, build_test_files)
    report.refresh_from_db()
    assert (report.status, report.attempts, RAN) == (JobStatus.DONE, 1, [report.pk])
    assert report.enqueued_at is not None

    build_test_files(report.pk)  # a redelivered message of a done job does nothing
    assert RAN == [report.pk]

    jobs.fail(report, "The disk was full.")
    with django_capture_on_commit_callbacks(execute=True):
        jobs.retry(report, build_test_files)
    report.refresh_from_db()
    assert (report.status, report.attempts, report.error) == (JobStatus.DONE, 2, "")
    assert RAN == [report.pk, report.pk]
    assert report.pdf.file.read() == PDF


def test_the_tasks_keep_their_names_and_delivery_settings():
    """Messages queued under the names the apps' own tasks had still find their task."""
    from actionplans.tasks import build_plan_pdf
    from reporting.tasks import build_staff_cost_report
    from toolkits.tasks import render_pdf

    assert build_staff_cost_report.name == "reporting.tasks.build_staff_cost_report"
    assert render_pdf.name == "toolkits.tasks.render_pdf"
    assert build_plan_pdf.name == "actionplans.tasks.build_plan_pdf"
    for task in (build_staff_cost_report, render_pdf, build_plan_pdf, build_test_files):
        assert task.acks_late is True
        assert task.reject_on_worker_lost is True
        assert task.ignore_result is True
