"""The checks every receipt passes, whoever uploads it: a real PDF (it starts with ``%PDF-`` and
pikepdf opens it) or a JPEG, PNG, GIF or WebP image (Pillow reads and verifies it), no larger
than settings.TANDEM_IMPORT_MAX_BYTES. What the file is comes from its content, never from its
name; it is stored under the extension and content type of what it really is, and the name the
person gave it is kept beside it (``ClaimLine.receipt_name``).

The form's field and ``claims.services.lines.line_save_with_receipt`` both call
``checked_receipt``, so a caller that skips the form is held to the same rules."""

import io
import warnings
from dataclasses import dataclass
from decimal import Decimal
from pathlib import PurePath

import pikepdf
from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files import File
from django.utils.formats import number_format
from django.utils.text import get_valid_filename
from django.utils.translation import gettext_lazy as _
from PIL import Image

PDF_TYPE = "application/pdf"
IMAGE_FORMATS = {
    "JPEG": ("jpg", "image/jpeg"),
    "MPO": ("jpg", "image/jpeg"),
    "PNG": ("png", "image/png"),
    "GIF": ("gif", "image/gif"),
    "WEBP": ("webp", "image/webp"),
}
# More pixels than a scanned receipt needs; beyond this an image is likely a decompression bomb.
MAX_IMAGE_PIXELS = 60_000_000

MESSAGES = {
    "empty": _("The submitted file is empty."),
    "too_large": _("The file is %(size)s MB; a receipt may be at most %(limit)s MB."),
    "not_a_receipt": _(
        "Upload the receipt as a PDF or as a JPEG, PNG, GIF or WebP image; this file is neither "
        "(whatever its name says)."
    ),
    "broken_pdf": _("This PDF cannot be opened; it may be damaged. Save or scan it again."),
    "broken_image": _("This image cannot be read; it may be damaged. Save or scan it again."),
}


@dataclass(frozen=True)
class Receipt:
    content: bytes
    filename: str  # what it is stored as: the person's name, with the real extension
    content_type: str
    original_name: str  # the name the person's file had


def max_bytes() -> int:
    return settings.TANDEM_IMPORT_MAX_BYTES


def _megabytes(size: int) -> str:
    shown = (Decimal(size) / Decimal(1024 * 1024)).quantize(Decimal("0.01"))
    return number_format(shown.normalize() if shown else Decimal("0.01"), use_l10n=True)


def checked_receipt(upload: File) -> Receipt:
    """The upload's content, checked; a ValidationError (with its code) says what is wrong."""
    if not upload or not upload.size:
        raise ValidationError(MESSAGES["empty"], code="empty")
    limit = max_bytes()
    if upload.size > limit:
        raise ValidationError(
            MESSAGES["too_large"],
            code="too_large",
            params={"size": _megabytes(upload.size), "limit": _megabytes(limit)},
        )
    upload.seek(0)
    content = upload.read()
    upload.seek(0)
    original = PurePath(upload.name or "receipt").name[:255]
    stem = get_valid_filename(PurePath(original).stem)[:80] or "receipt"
    if content.startswith(b"%PDF-"):
        _check_pdf(content)
        return Receipt(content, f"{stem}.pdf", PDF_TYPE, original)
    extension, content_type = _check_image(content)
    return Receipt(content, f"{stem}.{extension}", content_type, original)


def _check_pdf(content: bytes) -> None:
    try:
        with pikepdf.open(io.BytesIO(content)) as pdf:
            if len(pdf.pages) < 1:
                raise ValueError("no pages")
    except Exception as error:  # pikepdf cannot read it: not a PDF we keep.
        raise ValidationError(MESSAGES["broken_pdf"], code="broken_pdf") from error


def _check_image(content: bytes) -> tuple[str, str]:
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("error", Image.DecompressionBombWarning)
            with Image.open(io.BytesIO(content)) as image:
                kind, (width, height) = image.format, image.size
    except (Image.DecompressionBombError, Image.DecompressionBombWarning) as error:
        raise ValidationError(MESSAGES["broken_image"], code="broken_image") from error
    except Exception as error:  # Pillow cannot read it: not an image.
        raise ValidationError(MESSAGES["not_a_receipt"], code="not_a_receipt") from error
    if kind not in IMAGE_FORMATS or width * height > MAX_IMAGE_PIXELS:
        raise ValidationError(MESSAGES["not_a_receipt"], code="not_a_receipt")
    try:
        with Image.open(io.BytesIO(content)) as image:
            image.verify()
    except Exception as error:
        raise ValidationError(MESSAGES["broken_image"], code="broken_image") from error
    return IMAGE_FORMATS[kind]
