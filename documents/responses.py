"""Serving a stored file: the stored bytes, never a new rendering."""

from django.http import FileResponse

from .models import StoredFile


def stored_file_response(stored: StoredFile) -> FileResponse:
    response = FileResponse(
        stored.file.open("rb"),
        as_attachment=True,
        filename=stored.filename,
        content_type=stored.content_type,
    )
    response["ETag"] = f'"{stored.sha256}"'
    response["X-Content-SHA256"] = stored.sha256
    response["Cache-Control"] = "private, max-age=0"
    return response
