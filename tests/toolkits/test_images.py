"""toolkits.images: the image checks the upload form and practice_image_add both use, with the
same messages whoever calls them."""

from io import BytesIO

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from PIL import Image

from toolkits import services
from toolkits.images import checked_image

from .factories import build_toolkit_world, draft, fresh

pytestmark = pytest.mark.django_db


def image_file(fmt: str = "PNG", name: str = "Photo of the workshop.png", size=(4, 3)):
    buffer = BytesIO()
    Image.new("RGB", size, "teal").save(buffer, fmt)
    return SimpleUploadedFile(name, buffer.getvalue(), content_type="application/octet-stream")


def codes(call) -> list[str]:
    with pytest.raises(ValidationError) as refused:
        call()
    return [error.code for error in refused.value.error_list]


def test_a_real_image_is_renamed_to_its_real_format():
    checked = checked_image(image_file("JPEG", name="holiday.png"))
    assert (checked.name, checked.content_type) == ("holiday.jpg", "image/jpeg")


def test_each_refusal_has_its_code():
    assert codes(lambda: checked_image(SimpleUploadedFile("a.png", b"not an image"))) == [
        "invalid_image"
    ]
    assert codes(lambda: checked_image(image_file("BMP", name="a.bmp"))) == ["format"]
    assert codes(lambda: checked_image(SimpleUploadedFile("a.png", b""))) == ["empty"]


def test_the_size_limit_holds_for_the_service_too(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    settings.TANDEM_MAX_IMAGE_BYTES = 10
    world = build_toolkit_world()
    practice = draft(world)
    with pytest.raises(ValidationError) as refused:
        services.practice_image_add(
            practice, by=fresh(world.officer), image=image_file(), alt_text="A workshop"
        )
    assert refused.value.message_dict["image"][0].startswith("The file is 0.01 MB;")
    assert not practice.images.exists()
