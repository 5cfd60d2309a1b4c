"""Finished jobs without their builders: the job runner stores a file a test chooses, so that a
download can be tested without WeasyPrint."""

from documents import jobs
from documents.models import BackgroundJob

PDF = b"%PDF-1.7\n% a stand-in for a rendered document\n%%EOF\n"


def finished_with(
    job: BackgroundJob,
    *,
    field: str = "pdf",
    content: bytes = PDF,
    filename: str = "document.pdf",
    content_type: str = "application/pdf",
) -> BackgroundJob:
    """Run the queued ``job`` through the job runner (documents.jobs.run) with a stand-in
    builder that makes one file, stored and attached as a real run stores it."""

    def produce(job: BackgroundJob, *, progress: jobs.Progress) -> jobs.Produced:
        return jobs.Produced(
            files={field: jobs.Output(content, filename, content_type)}, note="Stored."
        )

    jobs.run(type(job), job.pk, produce, too_long="Too long.", failed="Failed: %(error)s")
    job.refresh_from_db()
    return job
