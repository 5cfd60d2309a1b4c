"""Slugs from names in any script (issue 15: 서울 was refused and files were named `city-35`):
suggested from the name when left empty, transliterated when typed in another script (the result
is shown), unique with a suffix, and one function for generated slugs and file names."""

from datetime import date
from io import BytesIO

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from PIL import Image

from cities.models import City
from cities.services import city_save
from config.slugs import slug_from, unique_slug
from mentoring.models import Programme
from tests.browser import page  # noqa: F401
from tests.cities.factories import CityFactory
from tests.mentoring.test_management import PROGRAMME_DATA


@pytest.mark.parametrize(
    ("name", "slug"),
    [
        ("서울", "seoul"),
        ("서울특별시 시청", "seoulteugbyeolsi-sicheong"),
        ("臺北", "taibei"),
        ("Αθήνα", "athina"),
        ("Москва", "moskva"),
        ("Łódź", "lodz"),  # Django's slugify alone gives "odz"
        ("Brighton & Hove", "brighton-hove"),
        ("Gdańsk", "gdansk"),
        ("  --!!--  ", ""),
    ],
)
def test_a_name_in_any_script_becomes_an_ascii_slug(name, slug):
    assert slug_from(name) == slug


def test_a_slug_is_cut_at_the_fields_length_without_a_trailing_hyphen():
    assert slug_from("서울 부산 대구", max_length=6) == "seoul"


@pytest.mark.django_db
def test_a_taken_slug_gets_a_suffix_current_or_old():
    seoul = CityFactory(name="Seoul", country="KR", slug="seoul")
    assert unique_slug(City, "서울") == "seoul-2"
    assert unique_slug(City, "서울", exclude_pk=seoul.pk) == "seoul", "its own slug is free"
    seoul.slug = "seoul-city"
    city_save(city=seoul)
    assert unique_slug(City, "서울") == "seoul-2", "seoul still leads to the renamed city"
    CityFactory(name="Seoul 2", country="KR", slug="seoul-2")
    assert unique_slug(City, "서울") == "seoul-3"


# In the browser, without JavaScript ---------------------------------------------------------

CITY = {
    "name": "서울",
    "slug": "",
    "country": "KR",
    "latitude": "37.5665",
    "longitude": "126.9780",
}


@pytest.fixture
def coordinator(client, demo, demo_user):
    client.force_login(demo_user("coordinator@example.org"))
    return client


def messages_of(response) -> list[str]:
    return [str(message) for message in response.context["messages"]]


def test_a_city_named_in_hangul_gets_its_slug_from_the_name(coordinator, demo):
    response = coordinator.post(
        reverse("portal:city_create"), {**CITY, "programme": demo.pk}, follow=True
    )
    seoul = City.objects.get(name="서울")
    assert seoul.slug == "seoul"
    assert response.redirect_chain[-1][0] == "/cities/seoul/"
    assert "Its address name “seoul” was made from the name." in messages_of(response)


def test_a_slug_typed_in_another_script_is_transliterated_and_shown(coordinator, demo):
    data = {**CITY, "name": "臺北", "slug": "臺北", "country": "TW", "programme": demo.pk}
    response = coordinator.post(reverse("portal:city_create"), data, follow=True)
    assert City.objects.get(name="臺北").slug == "taibei"
    assert "The address name “臺北” became “taibei”." in messages_of(response)


def test_a_second_city_of_the_same_name_gets_a_suffix(coordinator, demo):
    coordinator.post(reverse("portal:city_create"), {**CITY, "programme": demo.pk})
    coordinator.post(reverse("portal:city_create"), {**CITY, "country": "KP", "programme": demo.pk})
    assert sorted(City.objects.filter(name="서울").values_list("slug", flat=True)) == [
        "seoul",
        "seoul-2",
    ]


def test_a_typed_slug_in_use_is_refused_on_its_field_with_a_free_one(coordinator, demo):
    data = {**CITY, "slug": "gdańsk", "programme": demo.pk}
    response = coordinator.post(reverse("portal:city_create"), data)
    assert response.status_code == 400
    assert response.context["form"].errors["slug"] == [
        "“gdansk” is already in use; “gdansk-2” is free."
    ]
    assert 'value="gdańsk"' in response.content.decode(), "what was typed stays"
    assert not City.objects.filter(name="서울").exists()


def test_a_slug_with_no_letters_left_is_refused_on_its_field(coordinator, demo):
    response = coordinator.post(
        reverse("portal:city_create"), {**CITY, "slug": "!!!", "programme": demo.pk}
    )
    assert response.status_code == 400
    assert response.context["form"].errors["slug"] == [
        "Use letters or digits: “!!!” leaves nothing for an address."
    ]


def test_a_form_shown_again_holds_the_suggested_slug(coordinator, demo):
    """Without JavaScript the suggestion appears as soon as the form comes back."""
    response = coordinator.post(
        reverse("portal:city_create"), {**CITY, "latitude": "91", "programme": demo.pk}
    )
    assert response.status_code == 400
    assert 'value="seoul"' in response.content.decode()
    assert "latitude" in response.context["form"].errors


def test_a_changed_slug_keeps_the_old_address_working(coordinator, demo):
    coordinator.post(reverse("portal:city_create"), {**CITY, "programme": demo.pk})
    seoul = City.objects.get(name="서울")
    data = {**CITY, "slug": "서울특별시"}
    coordinator.post(reverse("portal:city_edit", args=["seoul"]), data)
    seoul.refresh_from_db()
    assert seoul.slug == "seoulteugbyeolsi"
    old = coordinator.get("/cities/seoul/")
    assert (old.status_code, old["Location"]) == (301, "/cities/seoulteugbyeolsi/")


def test_a_programme_named_in_any_script_gets_a_slug(coordinator):
    data = {**PROGRAMME_DATA, "name": "한-EU 도시 협력", "slug": ""}
    response = coordinator.post(reverse("mentoring:programme_create"), data, follow=True)
    programme = Programme.objects.get(name="한-EU 도시 협력")
    assert programme.slug == "han-eu-dosi-hyeoblyeog"
    assert "Its address name “han-eu-dosi-hyeoblyeog” was made from the name." in (
        messages_of(response)
    )


# Generated slugs and file names use the same function ------------------------------------------


@pytest.mark.django_db
def test_a_practice_and_a_toolkit_of_seoul_get_transliterated_slugs():
    from tests.toolkits.factories import build_toolkit_world, published, toolkit_with
    from tests.toolkits.test_pdf import city_with_officer

    world = build_toolkit_world()
    seoul, officer = city_with_officer("서울", "KR", "seoul")
    practice = published(world, title="공공조달 멘토링", city=seoul, author=officer)
    assert practice.slug == "seoul-gonggongjodal-mentoling"
    toolkit = toolkit_with(world, [practice], title="조달 도구")
    assert toolkit.slug == "jodal-dogu"


@pytest.mark.django_db
def test_an_uploaded_image_named_in_hangul_keeps_a_readable_name():
    from toolkits.images import checked_image

    buffer = BytesIO()
    Image.new("RGB", (4, 4), "red").save(buffer, "PNG")
    upload = SimpleUploadedFile("서울 시청.png", buffer.getvalue(), content_type="image/png")
    assert checked_image(upload).name == "seoul-sicheong.png"


@pytest.mark.django_db
def test_a_staff_cost_report_of_seoul_is_named_after_it():
    from reporting.models import StaffCostReport
    from reporting.reports import report_filename
    from tests.mentoring.factories import ProgrammeFactory

    programme = ProgrammeFactory(slug="icp-agir")
    seoul = CityFactory(name="서울", country="KR", slug="seoul-city")
    report = StaffCostReport(
        programme=programme, city=seoul, first_month=date(2022, 1, 1), last_month=date(2022, 6, 1)
    )
    assert report_filename(report, "pdf") == "staff-costs_icp-agir_seoul_2022-01_2022-06.pdf"


# The suggestion while typing (static/js/slug-suggest.js) ---------------------------------------


def test_the_suggestion_is_the_slug_a_save_would_make(coordinator, demo):
    url = reverse("portal:slug_suggestion", args=["city"])
    assert coordinator.get(url, {"name": "서울"}).json() == {"slug": "seoul"}
    assert coordinator.get(url, {"name": "Gdańsk"}).json() == {"slug": "gdansk-2"}
    gdansk = City.objects.get(slug="gdansk")
    assert coordinator.get(url, {"name": "Gdańsk", "exclude": gdansk.pk}).json() == {
        "slug": "gdansk"
    }
    assert coordinator.get(url, {"name": "!!!"}).json() == {"slug": ""}
    programmes = reverse("portal:slug_suggestion", args=["programme"])
    assert coordinator.get(programmes, {"name": "臺北 計畫"}).json() == {"slug": "taibei-jihua"}
    assert coordinator.get(reverse("portal:slug_suggestion", args=["scheme"])).status_code == 404


def test_the_forms_point_the_script_at_the_suggestion(coordinator, demo):
    html = coordinator.get(reverse("portal:city_create")).content.decode()
    assert 'data-slug-suggest="/slugs/city/"' in html
    assert 'data-slug-name="id_name"' in html
    assert "js/slug-suggest" in html
    html = coordinator.get(reverse("mentoring:programme_create")).content.decode()
    assert 'data-slug-suggest="/slugs/programme/"' in html


@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
def test_typing_a_name_in_hangul_fills_the_slug(page, demo, settings):  # noqa: F811
    from playwright.sync_api import expect

    from tests.browser import sign_in

    sign_in(page, "coordinator@example.org", settings.DEMO_PASSWORD)
    page.goto(reverse("portal:city_create"))
    page.locator("#id_name").fill("서울")
    expect(page.locator("#id_slug")).to_have_value("seoul")
    page.locator("#id_slug").fill("")  # emptied by hand: the name fills it again
    page.locator("#id_name").fill("부산")
    expect(page.locator("#id_slug")).to_have_value("busan")
    page.locator("#id_country").select_option("KR")
    page.locator("#id_latitude").fill("35.1796")
    page.locator("#id_longitude").fill("129.0756")
    page.locator("#id_programme").select_option(str(demo.pk))
    page.get_by_role("button", name="Save").click()
    page.get_by_role("heading", name="부산").wait_for()
    assert City.objects.get(name="부산").slug == "busan"
