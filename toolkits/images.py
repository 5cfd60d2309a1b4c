"""The checks every image of a good practice passes, whoever uploads it: a real JPEG, PNG, GIF or
WebP, no larger than settings.TANDEM_MAX_IMAGE_BYTES and MAX_IMAGE_PIXELS, renamed to the
extension of its real format (which is what it is served with).

The upload form's field and toolkits.services.practice_image_add both call ``checked_image``,
so a caller that skips the form is held to the same rules, with the same messages.
"""

import warnings
from decimal import Decimal
from io import BytesIO
from pathlib import PurePath

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files import File
from django.utils.formats import number_format
from django.utils.translation import gettext_lazy as _
from PIL import Image

from config.slugs import slug_from

# The image formats every browser shows. Pillow names a JPEG with extra frames (as some cameras
# save them) MPO; it is still a JPEG.
IMAGE_FORMATS = {
    "JPEG": ("jpg", "image/jpeg"),
    "MPO": ("jpg", "image/jpeg"),
    "PNG": ("png", "image/png"),
    "GIF": ("gif", "image/gif"),
    "WEBP": ("webp", "image/webp"),
}
IMAGE_TYPES = {extension: content_type for extension, content_type in IMAGE_FORMATS.values()}
# More pixels than a photo needs; beyond this an image is likely a decompression bomb.
MAX_IMAGE_PIXELS = 40_000_000

ERROR_MESSAGES = {
    # Django's own FileField and ImageField messages, so that their translations apply.
    "empty": _("The submitted file is empty."),
    "invalid_image": _(
        "Upload a valid image. The file you uploaded was either not an image or a corrupted image."
    ),
    "too_large": _(
        "The file is %(size)s MB; an image may be at most %(limit)s MB. Save it smaller "
        "or at a lower resolution."
    ),
    "format": _("Upload a JPEG, PNG, GIF or WebP image; this file is %(format)s."),
    "too_many_pixels": _(
        "The image has too many pixels (at most %(limit)s million); save it at a lower resolution."
    ),
}


def megabytes(size: int) -> str:
    """A byte count in MB for reading: 5, 0.5, 1.25."""
    shown = (Decimal(size) / Decimal(1024 * 1024)).quantize(Decimal("0.01"))
    return number_format(shown.normalize() if shown else Decimal("0.01"), use_l10n=True)


def checked_image(upload: File, messages: dict | None = None) -> File:
    """The upload, checked and renamed; a ValidationError (with its code) says what is wrong.

    ``messages`` may override ERROR_MESSAGES by code (a form field passes its own)."""
    messages = {**ERROR_MESSAGES, **(messages or {})}
    if not upload or not upload.size:
        raise ValidationError(messages["empty"], code="empty")
    limit = settings.TANDEM_MAX_IMAGE_BYTES
    if upload.size > limit:
        raise ValidationError(
            messages["too_large"],
            code="too_large",
            params={"size": megabytes(upload.size), "limit": megabytes(limit)},
        )
    kind = _probe(upload, messages)
    _verify(upload, messages)
    extension, content_type = IMAGE_FORMATS[kind]
    stem = slug_from(PurePath(upload.name).stem, max_length=80) or "image"
    upload.name = f"{stem}.{extension}"
    upload.content_type = content_type
    return upload


def _probe(upload: File, messages: dict) -> str:
    """The image's format, read from its header; the pixels are not decoded."""
    too_many = ValidationError(
        messages["too_many_pixels"],
        code="too_many_pixels",
        params={"limit": MAX_IMAGE_PIXELS // 1_000_000},
    )
    upload.seek(0)
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("error", Image.DecompressionBombWarning)
            with Image.open(upload) as image:
                kind, (width, height) = image.format, image.size
    except (Image.DecompressionBombError, Image.DecompressionBombWarning):
        raise too_many from None
    except Exception as error:  # Pillow cannot read it: not an image.
        raise ValidationError(messages["invalid_image"], code="invalid_image") from error
    finally:
        upload.seek(0)
    if kind not in IMAGE_FORMATS:
        raise ValidationError(messages["format"], code="format", params={"format": kind})
    if width * height > MAX_IMAGE_PIXELS:
        raise too_many
    return kind


def _verify(upload: File, messages: dict) -> None:
    """Pillow reads the whole file, as Django's ImageField does."""
    if hasattr(upload, "temporary_file_path"):
        source = upload.temporary_file_path()
    else:
        source = BytesIO(upload.read())
    try:
        image = Image.open(source)
        image.verify()
        upload.image = image
    except Exception as error:
        raise ValidationError(messages["invalid_image"], code="invalid_image") from error
    finally:
        upload.seek(0)
