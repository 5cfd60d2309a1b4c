"""Staff time's read API: approved totals per programme and city from the priced totals (to the
cent, with the programme's currency), costs only for those the pages show costs to, and the
staff-cost reports as the reports list shows them; nothing for anyone else."""

from datetime import date
from decimal import Decimal

import pytest
from django.urls import reverse

from reporting.costs import cents
from reporting.models import StaffCostReport
from reporting.selectors import person_months, staff_cost_summary
from tests.accounts.factories import PartnerFactory
from tests.documents.factories import finished_with
from tests.reporting.factories import approved_month, build_time_world, rate, record

from .bearer import every_page, reader

pytestmark = pytest.mark.django_db

STAFF_TIME = reverse("api:staff-time-list")
REPORTS = reverse("api:staff-cost-report-list")
MARCH = date(2017, 3, 1)


def time_world(**programme):
    """Ghent's officer and Gdańsk's officer each with an approved March 2017 (the coordinator's
    €52,000 a year: a rate of 30.2326… an hour, so cents come from full precision)."""
    world = build_time_world(**programme)
    world.partner = PartnerFactory(programme=world.programme).user
    for day, hours in ((6, 7.5), (7, 7.5), (8, 5.5)):
        record(world, world.officer, date(2017, 3, day), hours)
        record(world, world.other_officer, date(2017, 3, day), 8)
    rate(world, world.officer, 2017, "52000")
    rate(world, world.other_officer, 2017, "41280", share="0.8", city=world.other_city)
    approved_month(world, world.officer, MARCH)
    approved_month(world, world.other_officer, MARCH)
    record(world, world.officer, date(2017, 4, 3), 5)  # not approved: counts nowhere
    return world


@pytest.fixture
def world():
    return time_world()


def rows_by_city(user, query: str = "") -> dict[str, dict]:
    rows = every_page(reader(user), STAFF_TIME + query)
    return {row["city"]["name"]: row for row in rows}


def test_each_person_sees_the_staff_time_their_pages_show(world):
    everyone = rows_by_city(world.coordinator)
    assert set(everyone) == {"Ghent", "Gdańsk"}
    assert all(row["cost"] is not None for row in everyone.values())
    # A supervisor: their city, with its costs; an officer: their city's days, no costs.
    supervised = rows_by_city(world.supervisor)
    assert set(supervised) == {"Ghent"}
    assert supervised["Ghent"]["cost"] == everyone["Ghent"]["cost"]
    for officer, city in ((world.officer, "Ghent"), (world.other_officer, "Gdańsk")):
        seen = rows_by_city(officer)
        assert set(seen) == {city}
        assert seen[city]["cost"] is None
        assert seen[city]["approved_hours"] == everyone[city]["approved_hours"]
    # Another programme's coordinator sees nothing of this one; a partner has no staff time.
    assert rows_by_city(world.outsider_coordinator) == {}
    refused = reader(world.partner).get(STAFF_TIME)
    assert refused.status_code == 403
    assert reader(None).get(STAFF_TIME).status_code == 401


def test_the_figures_are_the_priced_totals_to_the_cent(world):
    programme = world.programme
    summary = staff_cost_summary(
        programme, city=None, first_month=date(2016, 10, 1), last_month=date(2018, 9, 1)
    )
    rows = rows_by_city(world.coordinator)
    assert len(summary.by_city) == 2
    for city in summary.by_city:
        row = rows[city.city]
        assert row["approved_hours"] == format(city.hours, "f")
        assert row["approved_days"] == format(city.days, "f")
        assert row["cost"] == {"amount": str(cents(city.cost, "EUR")), "currency": "EUR"}
        assert row["allowance_days"] == 30
        assert row["first_month"] == "2016-10-01"
        assert row["last_month"] == "2018-09-01"
    # And what reporting.costs gives each approved month, added up at full precision.
    by_city: dict[str, Decimal] = {}
    for month in person_months(
        programme, city=None, first_month=date(2016, 10, 1), last_month=date(2018, 9, 1)
    ):
        by_city[month.city] = by_city.get(month.city, Decimal(0)) + month.cost
    assert {name: rows[name]["cost"]["amount"] for name in rows} == {
        name: str(cents(cost, "EUR")) for name, cost in by_city.items()
    }
    assert rows["Ghent"]["approved_hours"] == "20.5"  # April's open month is not counted
    assert rows["Ghent"]["cost"]["amount"] == "619.77"  # 52,000 / 1,720 × 20.5 = 619.767…, half-up


def test_money_comes_in_the_programmes_own_currency():
    world = time_world(currency="JPY")
    rows = rows_by_city(world.coordinator)
    amount = rows["Ghent"]["cost"]
    assert amount["currency"] == "JPY"
    assert "." not in amount["amount"]  # the yen has no minor unit


def test_the_period_and_programme_filters(world):
    march = rows_by_city(world.coordinator, "?first_month=2017-03&last_month=2017-03")
    assert march["Ghent"]["first_month"] == "2017-03-01"
    assert march["Ghent"]["approved_hours"] == "20.5"
    later = rows_by_city(world.coordinator, "?first_month=2017-04")
    assert later["Ghent"]["approved_hours"] == "0"
    assert later["Ghent"]["cost"] == {"amount": "0.00", "currency": "EUR"}
    assert set(rows_by_city(world.coordinator, f"?programme={world.programme.slug}")) == {
        "Ghent",
        "Gdańsk",
    }
    client = reader(world.coordinator)
    for query, field in (
        ("first_month=2017-13", "first_month"),
        ("first_month=March", "first_month"),
        ("first_month=2017-05&last_month=2017-04", "last_month"),
        ("programme=not-mine", "programme"),
    ):
        refused = client.get(STAFF_TIME + "?" + query)
        assert refused.status_code == 400, query
        assert field in refused.json()["fields"], query


# Staff-cost reports -------------------------------------------------------------------------------


def report(world, city, *, done: bool = True) -> StaffCostReport:
    made = StaffCostReport.objects.create(
        programme=world.programme,
        city=city,
        first_month=MARCH,
        last_month=MARCH,
        requested_by=world.coordinator,
    )
    if not done:
        return made
    return finished_with(made, field="csv", filename="r.csv", content_type="text/csv")


def test_reports_are_those_the_reports_list_shows(world):
    ghent, gdansk, whole = report(world, world.city), report(world, world.other_city), None
    whole = report(world, None, done=False)
    expected = {
        world.coordinator: {ghent.pk, gdansk.pk, whole.pk},
        world.supervisor: {ghent.pk},
        world.other_supervisor: {gdansk.pk},
        world.outsider_coordinator: set(),
    }
    for user, ids in expected.items():
        client = reader(user)
        assert {row["id"] for row in every_page(client, REPORTS)} == ids
        for made in (ghent, gdansk, whole):
            detail = client.get(reverse("api:staff-cost-report-detail", args=[made.pk]))
            assert detail.status_code == (200 if made.pk in ids else 404)
    for user in (world.officer, world.partner):
        client = reader(user)
        assert client.get(REPORTS).status_code == 403
        assert (
            client.get(reverse("api:staff-cost-report-detail", args=[ghent.pk])).status_code == 404
        )


def test_a_report_with_its_status_and_downloads(world):
    ghent = report(world, world.city)
    waiting = report(world, None, done=False)
    rows = {row["id"]: row for row in reader(world.coordinator).get(REPORTS).json()["results"]}
    done = rows[ghent.pk]
    assert done["status"] == "done"
    assert done["city"]["id"] == world.city.pk
    assert done["first_month"] == "2017-03-01"
    assert done["downloads"] == [
        {
            "format": "csv",
            "url": "http://testserver"
            + reverse("reporting:report_download", args=[ghent.pk, "csv"]),
        }
    ]
    assert rows[waiting.pk]["city"] is None
    assert rows[waiting.pk]["downloads"] == []
    assert list(rows) == [waiting.pk, ghent.pk]  # newest first, as the list page
    assert reader(world.coordinator).get(REPORTS + "?programme=nope").status_code == 400
