"""What a city officer types into a practice and its images, through the pages: required fields,
links line by line, a budget and a period in order, HTML kept as text, the city and theme choices,
and uploads that must be real JPEG/PNG/GIF/WebP images of a sensible size. Every refusal is a 400
with the message on its field, the typed values kept, and nothing stored."""

import struct
import zlib
from io import BytesIO
from pathlib import Path

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from PIL import Image

from tests.accounts.factories import CityOfficerFactory
from tests.mentoring.factories import ParticipationFactory, ProgrammeFactory, SchemeFactory
from tests.toolkits.factories import (
    build_toolkit_world,
    charter_commitment,
    draft,
    target_group,
)
from toolkits.forms.practices import PracticeForm
from toolkits.models import GoodPractice, PracticeImage

pytestmark = pytest.mark.django_db

SCRIPT = "<script>alert(1)</script>"


@pytest.fixture
def world():
    return build_toolkit_world()


@pytest.fixture(autouse=True)
def media(settings, tmp_path) -> Path:
    settings.MEDIA_ROOT = tmp_path
    return tmp_path


def stored_files(media: Path) -> list[Path]:
    return [path for path in media.rglob("*") if path.is_file()]


def form_data(world, **overrides) -> dict:
    data = {
        "scheme": world.scheme.pk,
        "title": "Buying from newcomers' businesses",
        "language": "en",
        "summary": "The city opened its tenders to firms run by migrants.",
        "challenge": "Few migrant entrepreneurs won public contracts.",
        "actions": "Split tenders into lots and coached 40 firms.",
        "results": "12 firms won 18 contracts.",
        "target_groups": [target_group("entrepreneurs").pk],
        "resources": "Two procurement officers.",
        "budget": "169956.00",
        "eu_contribution": "127467.00",
        "currency": "EUR",
        "started_on": "2017-01-01",
        "ended_on": "2018-06-30",
        "transferability": "A procurement team willing to split tenders.",
        "partner_organisations": "Chamber of Commerce",
        "commitments": [charter_commitment(9).pk],
        "contact_name": "Ola Officer",
        "contact_email": "ola@example.org",
        "links": "https://example.org/practice",
    }
    for key, value in overrides.items():
        if value is None:
            data.pop(key, None)
        else:
            data[key] = value
    return data


def create(client, world, user=None, **overrides):
    client.force_login(user or world.officer)
    return client.post(reverse("toolkits:practice_create"), form_data(world, **overrides))


def errors_of(response) -> dict:
    return {name: list(errors) for name, errors in response.context["form"].errors.items()}


# The practice form -------------------------------------------------------------------------------


def test_a_complete_practice_is_saved_as_a_draft_of_the_officers_city(client, world):
    response = create(client, world)
    practice = GoodPractice.objects.get()
    assert response.status_code == 302
    assert response["Location"] == reverse("toolkits:practice_edit", args=[practice.slug])
    assert (practice.city, practice.author, practice.status) == (
        world.city,
        world.officer,
        "draft",
    )
    assert str(practice.budget) == "169956.00"
    assert [g.name for g in practice.target_groups.all()] == ["Migrant entrepreneurs"]
    assert [c.number for c in practice.commitments.all()] == [9]


def test_required_fields_each_get_their_message(client, world):
    required = [
        "title",
        "scheme",
        "summary",
        "challenge",
        "actions",
        "results",
        "started_on",
        "transferability",
    ]
    # No box ticked: the browser sends no target_groups at all, which is allowed.
    response = create(client, world, **dict.fromkeys(required, ""), target_groups=None)
    assert response.status_code == 400
    errors = errors_of(response)
    assert set(required) <= set(errors)
    assert "target_groups" not in errors
    assert errors["title"] == ["This field is required."]
    html = response.content.decode()
    assert 'aria-describedby="id_title_error"' in html
    assert not GoodPractice.objects.exists()


def test_a_bad_link_line_is_named_and_the_typed_values_stay(client, world):
    links = "https://example.org/ok\nnot a web address\njavascript:alert(1)\nftp://example.org/f"
    response = create(client, world, links=links, title="Kept title")
    assert response.status_code == 400
    messages = errors_of(response)["links"]
    assert messages == [
        "Line 2 is not a web address starting with http(s)://: not a web address",
        "Line 3 is not a web address starting with http(s)://: javascript:alert(1)",
        "Line 4 is not a web address starting with http(s)://: ftp://example.org/f",
    ]
    html = response.content.decode()
    assert 'value="Kept title"' in html
    assert "javascript:alert(1)\nftp://example.org/f</textarea>" in html
    assert 'value="169956.00"' in html
    assert 'value="2017-01-01"' in html
    assert not GoodPractice.objects.exists()


def test_links_are_kept_one_per_line_without_blank_lines(client, world):
    create(client, world, links="  https://example.org/a \n\n http://example.org/b\n")
    assert GoodPractice.objects.get().links == "https://example.org/a\nhttp://example.org/b"


def test_an_eu_contribution_above_the_budget_is_refused_on_its_field(client, world):
    response = create(client, world, budget="1000.00", eu_contribution="1000.01")
    assert response.status_code == 400
    assert errors_of(response) == {
        "eu_contribution": ["The EU contribution cannot exceed the total budget."]
    }
    assert not GoodPractice.objects.exists()


def test_an_eu_contribution_needs_a_budget(client, world):
    response = create(client, world, budget="", eu_contribution="10")
    assert response.status_code == 400
    assert errors_of(response) == {
        "budget": ["Give the total budget the EU contribution is part of."]
    }


def test_money_is_a_positive_amount_with_cents(client, world):
    response = create(client, world, budget="-5", eu_contribution="", currency="XXX")
    assert response.status_code == 400
    errors = errors_of(response)
    assert errors["budget"] == ["Ensure this value is greater than or equal to 0."]
    assert "currency" in errors
    response = create(client, world, budget="12.345", eu_contribution="")
    assert errors_of(response)["budget"] == ["Ensure that there are no more than 2 decimal places."]


def test_the_end_cannot_come_before_the_start(client, world):
    response = create(client, world, started_on="2018-01-02", ended_on="2018-01-01")
    assert response.status_code == 400
    assert errors_of(response) == {"ended_on": ["The end cannot come before the start."]}
    response = create(client, world, started_on="2018-02-30")
    assert errors_of(response) == {"started_on": ["Enter a valid date."]}


def test_dates_are_date_inputs_and_money_a_number_input(client, world):
    client.force_login(world.officer)
    html = client.get(reverse("toolkits:practice_create")).content.decode()
    assert 'type="date" name="started_on"' in html
    assert 'type="number" name="budget"' in html
    assert 'type="checkbox" name="target_groups"' in html
    assert '<select name="currency"' in html
    assert '<select name="language"' in html


def test_html_typed_in_is_stored_as_typed_and_shown_as_text(client, world):
    create(client, world, title=SCRIPT, summary=f"Before {SCRIPT} after", contact_name="<b>x</b>")
    practice = GoodPractice.objects.get()
    assert practice.title == SCRIPT
    assert practice.summary == f"Before {SCRIPT} after"
    pages = [
        reverse("toolkits:practice_edit", args=[practice.slug]),
        reverse("toolkits:my_practices"),
    ]
    for url in pages:
        html = client.get(url).content.decode()
        assert "&lt;script&gt;alert(1)&lt;/script&gt;" in html, url
        assert SCRIPT not in html, url
    client.force_login(world.expert)
    html = client.get(reverse("toolkits:practice_review", args=[practice.slug])).content.decode()
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in html
    assert "&lt;b&gt;x&lt;/b&gt;" in html
    assert SCRIPT not in html
    assert "<b>x</b>" not in html


def test_the_theme_is_one_of_the_city_programmes_schemes_grouped_by_programme(client, world):
    elsewhere = SchemeFactory(programme=ProgrammeFactory(name="Not Gdańsk's"), code="Z")
    client.force_login(world.officer)
    response = client.get(reverse("toolkits:practice_create"))
    choices = response.context["form"].fields["scheme"].choices
    empty, *groups = choices
    assert empty == ("", "---------")
    groups = [(label, [str(option[1]) for option in options]) for label, options in groups]
    assert groups == [("CITIES-GROW", [str(world.scheme), str(world.other_scheme)])]
    assert '<optgroup label="CITIES-GROW">' in response.content.decode()
    response = create(client, world, scheme=elsewhere.pk)
    assert response.status_code == 400
    assert "scheme" in errors_of(response)


def test_editing_keeps_the_practices_scheme_among_the_choices(world):
    old = SchemeFactory(programme=ProgrammeFactory(name="Old programme"), code="O")
    practice = draft(world, scheme=old, target_groups=[], commitments=[])
    form = PracticeForm(instance=practice, user=world.officer)
    assert set(form.fields["scheme"].queryset) == {world.scheme, world.other_scheme, old}
    assert "city" not in form.fields


def test_an_officer_of_one_city_writes_for_it_without_choosing(world):
    assert "city" not in PracticeForm(user=world.officer).fields


def test_an_officer_of_several_cities_chooses_among_them(client, world):
    CityOfficerFactory(user=world.officer, city=world.other_city)
    form = PracticeForm(user=world.officer)
    assert list(form.fields)[0] == "city"
    assert set(form.fields["city"].queryset) == {world.city, world.other_city}
    response = create(client, world, city=world.other_city.pk)
    assert response.status_code == 302
    assert GoodPractice.objects.get().city == world.other_city
    response = create(client, world, city="")
    assert response.status_code == 400
    assert errors_of(response) == {"city": ["This field is required."]}


def test_a_city_of_another_officer_cannot_be_chosen(client, world):
    other = CityOfficerFactory(user=world.officer).city  # a second city, outside the programme
    response = create(client, world, city=world.other_city.pk)
    assert response.status_code == 400
    assert "city" in errors_of(response)
    response = create(client, world, city=other.pk)
    assert response.status_code == 400
    assert errors_of(response)["scheme"] == [
        f"{other} does not take part in CITIES-GROW; choose one of its themes."
    ]
    ParticipationFactory(programme=world.programme, city=other)
    assert create(client, world, city=other.pk).status_code == 302
    assert not GoodPractice.objects.filter(city=world.other_city).exists()


# Images ------------------------------------------------------------------------------------------


def png(size=(8, 6), mode="RGB", fmt="PNG") -> bytes:
    buffer = BytesIO()
    Image.new(mode, size, "teal").save(buffer, fmt)
    return buffer.getvalue()


def png_claiming(width: int, height: int) -> bytes:
    """A PNG whose header claims these dimensions, with almost no pixel data behind it."""

    def chunk(kind: bytes, data: bytes) -> bytes:
        crc = zlib.crc32(kind + data) & 0xFFFFFFFF
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", crc)

    header = struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0)
    return (
        b"\x89PNG\r\n\x1a\n"
        + chunk(b"IHDR", header)
        + chunk(b"IDAT", zlib.compress(b"\x00" * 64))
        + chunk(b"IEND", b"")
    )


def upload(client, world, practice, content: bytes, name: str, **extra):
    client.force_login(world.officer)
    data = {"alt_text": "Officers at a tender workshop", "caption": "Ghent, 2017"}
    data.update(extra)
    data["image"] = SimpleUploadedFile(name, content, content_type="image/png")
    return client.post(reverse("toolkits:practice_images", args=[practice.slug]), data)


def test_a_real_png_is_stored_under_its_real_extension(client, world, media):
    practice = draft(world)
    response = upload(client, world, practice, png(), "Photo of the workshop.JPG")
    assert response.status_code == 302
    picture = PracticeImage.objects.get()
    assert (picture.practice, picture.alt_text, picture.caption) == (
        practice,
        "Officers at a tender workshop",
        "Ghent, 2017",
    )
    assert picture.image.name.startswith(f"practices/{practice.pk}/photo-of-the-workshop")
    assert picture.image.name.endswith(".png")
    assert len(stored_files(media)) == 1


@pytest.mark.parametrize("fmt", ["JPEG", "GIF", "WEBP"])
def test_jpeg_gif_and_webp_are_accepted(client, world, fmt):
    practice = draft(world)
    response = upload(client, world, practice, png(fmt=fmt), f"picture.{fmt.lower()}")
    assert response.status_code == 302
    assert PracticeImage.objects.count() == 1


def refused(response, media) -> list[str]:
    assert response.status_code == 400
    assert not PracticeImage.objects.exists()
    assert stored_files(media) == []
    return list(response.context["form"].errors["image"])


NOT_AN_IMAGE = (
    "Upload a valid image. The file you uploaded was either not an image or a corrupted image."
)


@pytest.mark.parametrize(
    ("content", "name"),
    [
        (b"Just some text, honestly.\n" * 10, "notes.png"),
        (b"Hello", "hello.jpg"),
        (
            b'<svg xmlns="http://www.w3.org/2000/svg" width="10" height="10">'
            b'<script>alert(1)</script><rect width="10" height="10"/></svg>',
            "drawing.svg",
        ),
        (b"%PDF-1.4\n1 0 obj << /Type /Catalog >> endobj\ntrailer << >>\n%%EOF\n", "doc.png"),
    ],
    ids=["text-named-png", "text-named-jpg", "svg", "pdf-named-png"],
)
def test_files_that_are_not_images_are_refused(client, world, media, content, name):
    practice = draft(world)
    assert refused(upload(client, world, practice, content, name), media) == [NOT_AN_IMAGE]


def test_an_image_in_another_format_is_refused(client, world, media):
    practice = draft(world)
    response = upload(client, world, practice, png(fmt="BMP"), "scan.png")
    assert refused(response, media) == ["Upload a JPEG, PNG, GIF or WebP image; this file is BMP."]


def test_an_image_over_the_size_limit_is_refused(client, world, media, settings):
    settings.TANDEM_MAX_IMAGE_BYTES = 1024 * 1024
    practice = draft(world)
    noisy = Image.frombytes("RGB", (700, 600), (bytes(range(256)) * 4923)[:1_260_000])
    buffer = BytesIO()
    noisy.save(buffer, "PNG", compress_level=0)
    assert buffer.tell() > 1024 * 1024
    messages = refused(upload(client, world, practice, buffer.getvalue(), "big.png"), media)
    assert len(messages) == 1
    assert messages[0].startswith("The file is 1.2 MB; an image may be at most 1 MB.")
    html = client.get(reverse("toolkits:practice_images", args=[practice.slug])).content.decode()
    assert "of at most 1 MB" in html


@pytest.mark.parametrize(
    ("width", "height"), [(100_000, 100_000), (8_000, 6_000)], ids=["bomb", "48-megapixels"]
)
def test_an_image_with_too_many_pixels_is_refused(client, world, media, width, height):
    practice = draft(world)
    response = upload(client, world, practice, png_claiming(width, height), "bomb.png")
    assert refused(response, media) == [
        "The image has too many pixels (at most 40 million); save it at a lower resolution."
    ]


@pytest.mark.parametrize("limit", [100, 200], ids=["bomb-error", "bomb-warning"])
def test_pillows_decompression_bomb_checks_become_a_field_message(
    client, world, media, monkeypatch, limit
):
    monkeypatch.setattr(Image, "MAX_IMAGE_PIXELS", limit)
    practice = draft(world)
    response = upload(client, world, practice, png(size=(16, 16)), "small.png")
    assert refused(response, media) == [
        "The image has too many pixels (at most 40 million); save it at a lower resolution."
    ]


def test_an_image_needs_its_text_alternative(client, world, media):
    practice = draft(world)
    response = upload(client, world, practice, png(), "photo.png", alt_text="  ")
    assert response.status_code == 400
    assert response.context["form"].errors == {"alt_text": ["Say what the image shows."]}
    assert not PracticeImage.objects.exists()
    assert stored_files(media) == []


def test_an_upload_without_a_file_is_refused(client, world):
    practice = draft(world)
    client.force_login(world.officer)
    response = client.post(
        reverse("toolkits:practice_images", args=[practice.slug]), {"alt_text": "Nothing"}
    )
    assert response.status_code == 400
    assert response.context["form"].errors == {"image": ["This field is required."]}
