"""Serving a stored file: the stored bytes, never a new rendering.

The view decides first who may have the file (404 or 403 for anyone else); then the file is
streamed from storage in large blocks, never read whole into memory. Where a front server sends
files itself (``TANDEM_SENDFILE``), the answer carries the same headers and no body, and names the
file for that server to send: nginx's ``X-Accel-Redirect`` (a URI under
``TANDEM_SENDFILE_PREFIX``, an internal location aliased to the media directory) or the
``X-Sendfile`` of Apache's mod_xsendfile and lighttpd (the file's path on disk). The file is then
not even opened here; a file gone from storage is the front server's 404.
"""

from urllib.parse import quote

from django.conf import settings
from django.db.models.fields.files import FieldFile
from django.http import FileResponse, HttpResponse
from django.http.response import HttpResponseBase
from django.utils.http import content_disposition_header

from .models import StoredFile

X_ACCEL_REDIRECT = "x-accel-redirect"
X_SENDFILE = "x-sendfile"
SENDFILE_MODES = ("", X_ACCEL_REDIRECT, X_SENDFILE)
# Blocks a streamed file is sent in: fewer, larger writes than FileResponse's 4 KB.
BLOCK_SIZE = 256 * 1024


def file_response(
    file: FieldFile,
    *,
    filename: str,
    content_type: str,
    as_attachment: bool = True,
) -> HttpResponseBase:
    """A stored file as the answer, for a person the view has let have it. Raises
    FileNotFoundError when the portal streams it and it is gone from storage."""
    mode = settings.TANDEM_SENDFILE
    if not mode:
        response = FileResponse(
            file.open("rb"),
            as_attachment=as_attachment,
            filename=filename,
            content_type=content_type,
        )
        response.block_size = BLOCK_SIZE
        return response
    sent = HttpResponse(content_type=content_type)
    if mode == X_ACCEL_REDIRECT:
        sent["X-Accel-Redirect"] = settings.TANDEM_SENDFILE_PREFIX + quote(file.name)
    else:
        sent["X-Sendfile"] = quote(file.path)
    # The Content-Disposition FileResponse would have sent.
    if disposition := content_disposition_header(as_attachment, filename):
        sent["Content-Disposition"] = disposition
    return sent


def stored_file_response(stored: StoredFile) -> HttpResponseBase:
    """A generated file (a report, a PDF) as a download, with its checksum."""
    response = file_response(
        stored.file, filename=stored.filename, content_type=stored.content_type
    )
    response["ETag"] = f'"{stored.sha256}"'
    response["X-Content-SHA256"] = stored.sha256
    response["Cache-Control"] = "private, max-age=0"
    return response
