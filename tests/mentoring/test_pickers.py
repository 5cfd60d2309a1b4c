"""Data-entry forms choose one city or person among hundreds by typing a name (issue 19: selects
of hundreds of options made the forms slow and poor to use): ``CityChoiceField`` and
``PersonChoiceField`` (config.named_choice), a select while the choices are few, a box with
suggestions scoped to exactly what the form accepts when they are many."""

import json
import re

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from accounts.forms import PersonChoiceField
from accounts.models import Role, User
from accounts.services import membership_grant
from cities.forms import CityChoiceField
from cities.models import City
from config import named_choice
from mentoring.forms.programmes import PairingCitiesForm
from mentoring.models import Attendance, Event, Pairing, Participation
from mentoring.services import participation_add
from tests.accounts.factories import UserFactory
from tests.cities.factories import CityFactory
from tests.mentoring.event_factories import build_world

pytestmark = pytest.mark.django_db

COORDINATOR = "coordinator@example.org"


def field_over(cities, **kwargs) -> CityChoiceField:
    field = CityChoiceField(**kwargs)
    field.limit_to(cities)
    return field


def messages_of(field, value) -> list[str]:
    with pytest.raises(ValidationError) as error:
        field.clean(value)
    return error.value.messages


def box(html: str, name: str) -> str:
    return re.search(rf'<input[^>]*name="{name}"[^>]*>', html).group(0)


def box_value(html: str, name: str) -> str:
    found = re.search(r'value="([^"]*)"', box(html, name))
    return found.group(1) if found else ""


def grow(programme, n: int, prefix: str = "Town") -> list[City]:
    """n more cities taking part in ``programme``."""
    cities = [CityFactory(name=f"{prefix} {index:03d}") for index in range(n)]
    for city in cities:
        participation_add(programme=programme, city=city)
    return cities


@pytest.fixture
def many(monkeypatch):
    """Few choices already count as many: every field is a box."""
    monkeypatch.setattr(named_choice, "SELECT_UP_TO", 3)


# The field -------------------------------------------------------------------------------------


def test_a_city_is_found_by_its_full_name_whatever_the_case_the_accents_and_the_script(demo):
    field = field_over(City.objects.filter(participations__programme=demo))
    gdansk = City.objects.get(slug="gdansk")
    for typed in ("Gdańsk", "gdansk", "  GDAŃSK ", str(gdansk.pk)):
        assert field.clean(typed) == gdansk, typed
    seoul = CityFactory(name="서울", slug="seoul", country="KR")
    participation_add(programme=demo, city=seoul)
    assert field.clean("seoul") == seoul


def test_part_of_a_name_is_not_a_choice_but_the_message_offers_the_names(demo):
    field = field_over(City.objects.filter(participations__programme=demo))
    assert messages_of(field, "Rotter") == [
        "No city of this programme is called “Rotter”.",
        "Did you mean: Rotterdam?",
    ]
    assert messages_of(field, "Atlantis") == ["No city of this programme is called “Atlantis”."]


def test_a_name_two_cities_share_is_refused_with_labels_that_tell_them_apart(demo):
    spain = CityFactory(name="Valencia", slug="valencia", country="ES")
    venezuela = CityFactory(name="Valencia", slug="valencia-ve", country="VE")
    for city in (spain, venezuela):
        participation_add(programme=demo, city=city)
    field = field_over(City.objects.filter(participations__programme=demo))
    (message,) = messages_of(field, "valencia")
    assert message == (
        "Several cities of this programme are called “valencia”: Valencia (ES), Valencia (VE). "
        "Type the one you mean as written here."
    )
    assert field.clean("Valencia (ES)") == spain
    assert field.clean("valencia (ve)") == venezuela
    assert messages_of(field, "Valencia (FR)") == [
        "No city of this programme is called “Valencia (FR)”."
    ]


def test_two_cities_of_one_name_in_one_country_are_told_apart_by_their_number(demo):
    """The database refuses the same name twice in a country, not the same name in capitals."""
    first = CityFactory(name="Frankfurt", slug="frankfurt", country="DE")
    second = CityFactory(name="FRANKFURT", slug="frankfurt-2", country="DE")
    for city in (first, second):
        participation_add(programme=demo, city=city)
    field = field_over(City.objects.filter(participations__programme=demo))
    (message,) = messages_of(field, "Frankfurt")
    assert f"FRANKFURT (DE, {second.pk}), Frankfurt (DE, {first.pk})" in message
    assert field.clean(f"Frankfurt (DE, {second.pk})") == second


def test_a_city_outside_the_allowed_ones_is_refused_by_name_and_by_number(demo):
    outsider = CityFactory(name="Oslo", slug="oslo", country="NO")
    field = field_over(City.objects.filter(participations__programme=demo))
    assert messages_of(field, "Oslo") == ["No city of this programme is called “Oslo”."]
    assert messages_of(field, str(outsider.pk)) == [
        f"No city of this programme has the number {outsider.pk}."
    ]
    assert messages_of(field, "99999999999999999999") == [
        "No city of this programme has the number 99999999999999999999."
    ]
    assert messages_of(CityChoiceField(), "Oslo")  # never limited: nothing is a choice
    assert "required" in messages_of(CityChoiceField(), "")[0]


def test_few_cities_are_a_select_and_many_a_box_with_suggestions(demo):
    cities = City.objects.filter(participations__programme=demo)
    few = field_over(cities)
    assert few.widget.input_type == "select"
    labels = [label for _pk, label in few.widget.choices]
    assert labels[1:4] == ["Athens", "Barcelona", "Birmingham"]
    grow(demo, named_choice.SELECT_UP_TO)
    many = CityChoiceField()
    many.limit_to(cities, suggest_url="/names.json")
    assert many.widget.input_type == "text"
    assert many.widget.attrs["data-suggest"] == "/names.json"
    assert many.help_text == "Type the city's name."


def test_a_person_is_found_by_name_or_address_and_a_shared_name_is_refused():
    olga = UserFactory(full_name="Olga Nowak", email="olga@gdansk.example")
    other = UserFactory(full_name="Olga Nowak", email="o.nowak@riga.example")
    UserFactory(full_name="Outside", email="outside@example.org")
    field = PersonChoiceField()
    field.limit_to(User.objects.filter(pk__in=[olga.pk, other.pk]))
    assert field.clean("OLGA@gdansk.example") == olga
    assert field.clean("Olga Nowak (o.nowak@riga.example)") == other
    assert field.clean(str(olga.pk)) == olga
    (message,) = messages_of(field, "olga nowak")
    assert "Olga Nowak (olga@gdansk.example)" in message
    assert "Olga Nowak (o.nowak@riga.example)" in message
    assert messages_of(field, "outside@example.org")[0] == (
        "Nobody who may be chosen here is called “outside@example.org”."
    )


# Suggestions -----------------------------------------------------------------------------------


def names(client, url: str, text: str) -> list[str]:
    response = client.get(url, {"q": text})
    assert response.status_code == 200, response.content
    return json.loads(response.content)["names"]


def test_suggestions_label_a_name_two_cities_share(client, demo, demo_user):
    for country in ("ES", "VE"):
        participation_add(programme=demo, city=CityFactory(name="Valencia", country=country))
    client.force_login(demo_user(COORDINATOR))
    url = reverse("mentoring:programme_city_suggestions", args=[demo.slug])
    assert names(client, url, "valen") == ["Valencia (ES)", "Valencia (VE)"]
    assert names(client, url, "gdan") == ["Gdańsk"]
    # The list filters read the labels back too.
    events = client.get(reverse("mentoring:events"), {"city": "Valencia (ES)"})
    assert events.status_code == 200


def test_the_programme_and_participation_suggestions_answer_from_what_the_forms_accept(
    client, demo, demo_user
):
    CityFactory(name="Gdynia", country="PL")  # in no programme: one that could join
    client.force_login(demo_user(COORDINATOR))
    ours = reverse("mentoring:programme_city_suggestions", args=[demo.slug])
    joinable = reverse("mentoring:participation_city_suggestions", args=[demo.slug])
    assert names(client, ours, "gd") == ["Gdańsk"]
    assert names(client, joinable, "gd") == ["Gdynia"]
    client.force_login(demo_user("officer.gdansk@example.org"))
    assert names(client, ours, "gd") == ["Gdańsk"]
    assert client.get(joinable, {"q": "gd"}).status_code == 403


# The forms -------------------------------------------------------------------------------------


def test_a_pairing_is_proposed_by_typing_two_city_names(client, demo, demo_user):
    grow(demo, named_choice.SELECT_UP_TO)
    valencia = CityFactory(name="València", slug="valencia", country="ES")
    participation_add(programme=demo, city=valencia)
    scheme = demo.schemes.get(code="C")
    client.force_login(demo_user(COORDINATOR))
    url = reverse("mentoring:pairing_create")
    page = client.get(url, {"programme": demo.slug}).content.decode()
    suggest = reverse("mentoring:programme_city_suggestions", args=[demo.slug])
    assert f'data-suggest="{suggest}"' in box(page, "mentor")
    assert "js/name-suggest.js" in page
    data = {"programme": demo.slug, "scheme": scheme.pk, "mentor": "Barcelona"}
    refused = client.post(url, {**data, "implementing": "Atlantis"})
    assert refused.status_code == 400
    html = refused.content.decode()
    assert "No city of this programme is called “Atlantis”." in html
    assert box_value(html, "implementing") == "Atlantis"  # as typed
    assert box_value(html, "mentor") == "Barcelona"
    response = client.post(url, {**data, "implementing": "valencia"})
    assert response.status_code == 302, response.content.decode()[:3000]
    pairing = Pairing.objects.get(scheme=scheme, implementing=valencia)
    assert pairing.mentor.name == "Barcelona"


def test_the_pairing_form_of_a_large_programme_lists_no_city(client, demo, demo_user):
    grow(demo, 300)
    client.force_login(demo_user(COORDINATOR))
    html = client.get(reverse("mentoring:pairing_create"), {"programme": demo.slug})
    html = html.content.decode()
    assert html.count("<option") < 10  # the schemes
    assert "Town 123" not in html


def test_a_pairing_edited_in_a_large_programme_shows_its_cities_by_name(client, demo, demo_user):
    grow(demo, named_choice.SELECT_UP_TO)
    pairing = Pairing.objects.get(scheme__code="A", implementing__slug="gdansk")
    client.force_login(demo_user(COORDINATOR))
    url = reverse("mentoring:pairing_edit", args=[pairing.pk])
    html = client.get(url).content.decode()
    assert (box_value(html, "mentor"), box_value(html, "implementing")) == ("Rotterdam", "Gdańsk")


def test_the_pairing_form_keeps_a_select_while_the_cities_are_few(client, demo, demo_user):
    client.force_login(demo_user(COORDINATOR))
    html = client.get(reverse("mentoring:pairing_create"), {"programme": demo.slug})
    assert '<select name="mentor"' in html.content.decode()
    pairing = Pairing.objects.get(scheme__code="A", implementing__slug="gdansk")
    form = PairingCitiesForm(
        initial={"mentor": pairing.mentor, "implementing": pairing.implementing_id},
        cities=City.objects.filter(participations__programme=demo),
    )
    assert f'<option value="{pairing.mentor_id}" selected>Rotterdam</option>' in str(form["mentor"])
    assert f'<option value="{pairing.implementing_id}" selected>' in str(form["implementing"])


def test_a_city_joins_a_programme_typed_by_name(client, demo, demo_user, many):
    CityFactory(name="Gdynia", slug="gdynia", country="PL")
    client.force_login(demo_user(COORDINATOR))
    url = reverse("mentoring:participation_add", args=[demo.slug])
    html = client.get(url).content.decode()
    suggest = reverse("mentoring:participation_city_suggestions", args=[demo.slug])
    assert f'data-suggest="{suggest}"' in box(html, "city")
    taken = client.post(url, {"city": "Gdańsk"})
    assert "No city that could join this programme is called “Gdańsk”." in taken.content.decode()
    assert client.post(url, {"city": "GDYNIA"}).status_code == 302
    assert Participation.objects.filter(programme=demo, city__slug="gdynia").exists()


def test_a_programme_wide_event_is_hosted_by_a_city_typed_by_name(client, demo, demo_user, many):
    client.force_login(demo_user(COORDINATOR))
    url = reverse("mentoring:event_create") + f"?programme={demo.slug}"
    html = client.get(url).content.decode()
    assert 'name="host_city"' in box(html, "host_city")
    response = client.post(
        url,
        {
            "kind": "conference",
            "title": "Conference in Gdańsk",
            "host_city": "gdansk",
            "starts_on": "2018-05-14",
            "ends_on": "2018-05-15",
            "venue": "City hall",
        },
    )
    assert response.status_code == 302, response.content.decode()[:3000]
    event = Event.objects.get(title="Conference in Gdańsk")
    assert event.host_city.slug == "gdansk"
    edit = client.get(reverse("mentoring:event_update", args=[event.pk])).content.decode()
    assert box_value(edit, "host_city") == "Gdańsk"


# Attendance ------------------------------------------------------------------------------------


@pytest.fixture
def world():
    world = build_world()
    # One more person of each of the pairing's cities, and one of another programme.
    for name, city in (("Olga Nowak", world.implementing), ("Mentor Colleague", world.mentor)):
        person = UserFactory(full_name=name)
        membership_grant(user=person, role=Role.OFFICER, city=city)
        world.people[name] = person
    return world


def test_a_person_is_recorded_typed_by_name_or_address(client, world, many):
    client.force_login(world["coordinator"])
    url = reverse("mentoring:event_attendance", args=[world.held.pk])
    html = client.get(url).content.decode()
    suggest = reverse("mentoring:attendance_people", args=[world.held.pk])
    assert f'data-suggest="{suggest}"' in box(html, "user")
    olga, colleague = world["Olga Nowak"], world["Mentor Colleague"]
    typed = {"user": "olga nowak", "city": world.implementing.name, "days": "1"}
    assert client.post(url, typed).status_code == 302
    typed = {"user": colleague.email.upper(), "city": world.mentor.name, "days": "2"}
    assert client.post(url, typed).status_code == 302
    recorded = Attendance.objects.filter(event=world.held)
    assert {(a.user, a.city) for a in recorded} == {
        (olga, world.implementing),
        (colleague, world.mentor),
    }
    unknown = client.post(url, {"user": "Nobody Here", "city": world.mentor.name, "days": "1"})
    assert unknown.status_code == 400
    assert box_value(unknown.content.decode(), "user") == "Nobody Here"


def test_the_people_suggested_are_those_the_form_accepts(client, world):
    url = reverse("mentoring:attendance_people", args=[world.held.pk])
    client.force_login(world["coordinator"])
    everyone = names(client, url, "o")
    assert f"Olga Nowak ({world['Olga Nowak'].email})" in everyone
    assert f"Mentor Colleague ({world['Mentor Colleague'].email})" in everyone
    assert not any(name.startswith("Outsider") for name in everyone)
    # The host city's officer records their own city's people only.
    client.force_login(world["host_officer"])
    own = names(client, url, "o")
    assert f"Olga Nowak ({world['Olga Nowak'].email})" in own
    assert not any(name.startswith("Mentor Colleague") for name in own)
    assert not any(name.startswith("Other City Officer") for name in own)
    assert names(client, url, world["Mentor Colleague"].email) == []


@pytest.mark.parametrize(
    ("who", "status"),
    [
        ("anonymous", 302),
        ("partner", 403),  # sees the event's row, not its attendance
        ("supervisor", 403),  # sees the attendance, does not record it
        ("unrelated_officer", 403),
        ("outsider", 404),
    ],
)
def test_the_people_are_not_suggested_to_those_who_may_not_record(client, world, who, status):
    if who != "anonymous":
        client.force_login(world[who])
    url = reverse("mentoring:attendance_people", args=[world.held.pk])
    assert client.get(url, {"q": "o"}).status_code == status
