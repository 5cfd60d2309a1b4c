"""In a real browser: a coordinator pairs two cities from a suggestion and plans their study
visit; an officer records who of their city took part in a held visit."""

import pytest
from django.urls import reverse

from accounts.models import User
from mentoring.models import Attendance, Event, EventStatus, Pairing, PairingStatus
from tests.browser import page, sign_in  # noqa: F401

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_coordinator_pairs_from_a_suggestion_and_plans_a_visit(page, demo, settings):  # noqa: F811
    scheme = demo.schemes.get(code="B")
    sign_in(page, "coordinator@example.org", settings.DEMO_PASSWORD)
    page.goto(demo.get_absolute_url())
    page.get_by_role("link", name="Find a mentor city", exact=True).click()
    page.get_by_label("Scheme").select_option(value=str(scheme.pk))
    page.get_by_label("Implementing city").select_option(label="Athens")
    page.get_by_role("button", name="Show suggestions").click()

    first_proposal = page.get_by_role("button", name="as mentor").first
    mentor_name = first_proposal.inner_text().removeprefix("Propose ").removesuffix(" as mentor")
    first_proposal.click()
    page.get_by_role("heading", name=f"{mentor_name} → Athens").wait_for()
    pairing = Pairing.objects.get(scheme=scheme, implementing__name="Athens")
    assert (pairing.mentor.name, pairing.status) == (mentor_name, PairingStatus.PROPOSED)

    page.get_by_label("New status").select_option(value="active")
    page.get_by_role("button", name="Change status").click()
    page.get_by_text("The pairing is now active.").wait_for()

    page.get_by_role("link", name="Plan a visit").click()
    page.get_by_label("Kind").select_option(label="Study visit")
    page.get_by_label("Title").fill(f"Study visit to {mentor_name}")
    page.get_by_label("Host city").select_option(label=mentor_name)
    page.get_by_label("Starts on").fill("2018-03-05")
    page.get_by_label("Ends on").fill("2018-03-07")
    page.get_by_label("Venue").fill("City hall")
    page.get_by_role("button", name="Plan the event").click()
    page.get_by_role("heading", name=f"Study visit to {mentor_name}").wait_for()
    event = Event.objects.get(pairing=pairing)
    assert (event.host_city.name, str(event.starts_on)) == (mentor_name, "2018-03-05")


def test_officer_records_attendance_at_a_held_visit(page, demo, settings):  # noqa: F811
    event = (
        Event.objects.filter(status=EventStatus.HELD, pairing__isnull=False)
        .select_related("pairing__implementing")
        .first()
    )
    city = event.pairing.implementing
    attended = set(Attendance.objects.filter(event=event).values_list("user_id", flat=True))
    person = (
        User.objects.filter(memberships__city=city)
        .exclude(pk__in=attended)
        .order_by("email")
        .first()
    )
    assert person is not None, "the demo leaves someone of the city to record"

    sign_in(page, f"officer.{city.slug}@example.org", settings.DEMO_PASSWORD)
    page.goto(reverse("mentoring:event", args=[event.pk]))
    page.get_by_role("link", name="Record attendance").click()
    page.get_by_label("Person").select_option(label=f"{person} ({person.email})")
    page.get_by_label("For city").select_option(label=city.name)
    page.get_by_label("Days attended").fill("2.5")
    page.get_by_role("button", name="Record").click()
    page.get_by_text(f"{person} is recorded.").wait_for()
    attendance = Attendance.objects.get(event=event, user=person)
    assert str(attendance.days) == "2.5"


def test_the_dashboard_map_draws_cities_and_pairings(page, demo, settings):  # noqa: F811
    sign_in(page, "partner@example.org", settings.DEMO_PASSWORD)
    page.goto(demo.get_absolute_url())
    page.locator("#programme-map .leaflet-interactive").first.wait_for()
    shapes = page.locator("#programme-map path.leaflet-interactive").count()
    assert shapes == 16 + 8  # a circle per city, a line per pairing


def test_the_event_lists_city_box_suggests_names_as_one_types(page, demo, settings):  # noqa: F811
    """The box is a plain text field the server searches; our script only adds the names the
    server finds to a datalist the browser offers (CSP: a file of ours, no inline script)."""
    sign_in(page, "coordinator@example.org", settings.DEMO_PASSWORD)
    page.goto(reverse("mentoring:events"))
    box = page.get_by_label("City")
    box.press_sequentially("gda")
    page.locator('datalist#id_city-suggestions option[value="Gdańsk"]').wait_for(state="attached")
    assert page.locator("datalist#id_city-suggestions option").count() == 1
    assert box.get_attribute("list") == "id_city-suggestions"
    box.fill("Gdańsk")
    page.get_by_role("button", name="Apply").click()
    page.wait_for_url("**/events/?*city=Gda*")
    for_column = page.locator("table.data tbody tr td:nth-child(5)").all_inner_texts()
    hosts = page.locator("table.data tbody tr td:nth-child(6)").all_inner_texts()
    assert for_column
    rows = zip(for_column, hosts, strict=True)
    assert all("Gdańsk" in pair or host == "Gdańsk" for pair, host in rows)


def test_in_a_large_programme_a_pairings_cities_are_typed_with_suggestions(page, demo, settings):  # noqa: F811
    """Past a select's worth of cities the form's city fields are boxes: the names come from the
    programme's cities as one types (a datalist the browser offers); the form sends the text."""
    from cities.models import City
    from config.named_choice import SELECT_UP_TO
    from mentoring.services import participation_add
    from tests.cities.factories import CityFactory

    for index in range(SELECT_UP_TO):
        participation_add(programme=demo, city=CityFactory(name=f"Gdańsk district {index:02d}"))
    valencia = CityFactory(name="Valencia", slug="valencia", country="ES")
    participation_add(programme=demo, city=valencia)
    participation_add(programme=demo, city=CityFactory(name="Valencia", country="VE"))
    scheme = demo.schemes.get(code="C")
    sign_in(page, "coordinator@example.org", settings.DEMO_PASSWORD)
    page.goto(reverse("mentoring:pairing_create") + f"?programme={demo.slug}")
    page.get_by_label("Scheme").select_option(value=str(scheme.pk))
    mentor = page.get_by_label("Mentor city")
    mentor.press_sequentially("barc")
    page.locator('datalist#id_mentor-suggestions option[value="Barcelona"]').wait_for(
        state="attached"
    )
    mentor.fill("Barcelona")
    implementing = page.get_by_label("Implementing city")
    implementing.press_sequentially("valen")
    page.locator('datalist#id_implementing-suggestions option[value="Valencia (ES)"]').wait_for(
        state="attached"
    )
    implementing.fill("Valencia")  # both are called so: the form asks which
    page.get_by_role("button", name="Propose").click()
    page.get_by_text("Several cities of this programme are called “Valencia”").wait_for()
    page.get_by_label("Implementing city").fill("Valencia (ES)")
    page.get_by_role("button", name="Propose").click()
    page.get_by_role("heading", name="Barcelona → Valencia").wait_for()
    pairing = Pairing.objects.get(scheme=scheme, implementing=valencia)
    assert pairing.mentor == City.objects.get(slug="barcelona")
