"""Who may do what on every staff-time URL: a role × endpoint matrix of status codes, what each
role reads of another's time and rates, and a database left untouched by every refused POST.

404 where the object is outside the person's scope (other cities' timesheets and rates do not
exist for them), 403 where it is visible but the action is not theirs, a redirect to sign in
for anonymous visitors.
"""

from collections.abc import Callable
from dataclasses import dataclass
from datetime import date
from decimal import Decimal

import pytest
from django.db import transaction
from django.urls import reverse

from reporting import services
from reporting.models import ExchangeRate, StaffRate, TimeEntry, TimesheetLog, TimesheetMonth
from tests.accounts.factories import ExpertFactory
from tests.reporting.factories import approved_month, build_time_world, fresh, rate, record

pytestmark = pytest.mark.django_db

MARCH, APRIL, MAY = date(2017, 3, 1), date(2017, 4, 1), date(2017, 5, 1)
SECRET_NOTE = "Drafted the Ghent plan alone"
SECRET_COSTS = "41,280.00"
EXCHANGE_SOURCE = "Scoping test source"

ROLES = [
    "anonymous",
    "owner",
    "colleague",
    "supervisor",
    "other_officer",
    "other_supervisor",
    "coordinator",
    "outsider_coordinator",
    "expert",
]


@dataclass
class Scene:
    """Olga (the owner) has March open, April submitted and May approved, and a 2017 rate."""

    world: object
    users: dict
    march: TimesheetMonth
    april: TimesheetMonth
    may: TimesheetMonth
    entry: TimeEntry
    rate: StaffRate
    exchange_rate: ExchangeRate | None = None


@pytest.fixture
def scene() -> Scene:
    w = build_time_world()
    rate_ = rate(w, w.officer, 2017, "41280")
    entry = record(w, w.officer, MARCH, 6, description=SECRET_NOTE)
    record(w, w.officer, APRIL, 5)
    record(w, w.officer, MAY, 4)
    record(w, w.colleague, MARCH, 3)
    record(w, w.other_officer, MARCH, 2)

    def sheet(month):
        return TimesheetMonth.objects.get(person=w.officer, programme=w.programme, month=month)

    services.month_submit(sheet(APRIL), by=fresh(w.officer))
    approved_month(w, w.officer, MAY)
    users = {
        "anonymous": None,
        "owner": w.officer,
        "colleague": w.colleague,
        "supervisor": w.supervisor,
        "other_officer": w.other_officer,
        "other_supervisor": w.other_supervisor,
        "coordinator": w.coordinator,
        "outsider_coordinator": w.outsider_coordinator,
        "expert": ExpertFactory(scheme__programme=w.programme).user,
    }
    exchange = services.exchange_rate_save(
        programme=w.programme,
        currency="ZAR",
        month=MARCH,
        rate=Decimal("0.0612"),
        source=EXCHANGE_SOURCE,
        by=fresh(w.coordinator),
    )
    return Scene(w, users, sheet(MARCH), sheet(APRIL), sheet(MAY), entry, rate_, exchange)


def snapshot() -> dict:
    """Everything a staff-time POST could change."""
    return {
        "entries": sorted(
            TimeEntry.objects.values_list(
                "pk", "person_id", "day", "activity", "hours", "description", "timesheet_id"
            )
        ),
        "months": sorted(
            TimesheetMonth.objects.values_list(
                "pk",
                "status",
                "submitted_at",
                "approved_at",
                "approved_by_id",
                "return_comment",
                "hours",
                "rate",
            )
        ),
        "log": sorted(TimesheetLog.objects.values_list("pk", "action", "actor_id")),
        "exchange_rates": sorted(
            ExchangeRate.objects.values_list("pk", "currency", "month", "rate", "source")
        ),
        "rates": sorted(
            StaffRate.objects.values_list(
                "pk", "person_id", "city_id", "year", "annual_costs", "working_time_share"
            )
        ),
    }


def owners_records(owner_id: int) -> dict:
    full = snapshot()
    return {
        "entries": [row for row in full["entries"] if row[1] == owner_id],
        "rates": [row for row in full["rates"] if row[1] == owner_id],
    }


@dataclass
class Endpoint:
    name: str
    method: str
    url: Callable[[Scene], str]
    expected: dict[str, int]
    data: Callable[[Scene], dict] | None = None
    # A string of the owner's that only the roles listed may read on the page.
    secret: str | None = None
    readers: tuple[str, ...] = ()


def statuses(default: int, **roles: int) -> dict[str, int]:
    table = {role: default for role in ROLES}
    table["anonymous"] = 302
    table.update(roles)
    return table


def month_url(name: str, month: str) -> Callable[[Scene], str]:
    return lambda s: reverse(f"reporting:{name}", args=[getattr(s, month).pk])


GRID = lambda s: reverse(  # noqa: E731
    "reporting:grid", kwargs={"programme": s.world.programme.slug, "year": 2017, "month": 3}
)

ENDPOINTS = [
    # One month and its signatures.
    Endpoint(
        "month",
        "get",
        month_url("month", "march"),
        statuses(404, owner=200, supervisor=200, coordinator=200),
        secret=SECRET_NOTE,
        readers=("owner", "supervisor", "coordinator"),
    ),
    Endpoint(
        "month (approved, with costs)",
        "get",
        month_url("month", "may"),
        statuses(404, owner=200, supervisor=200, coordinator=200),
        secret="24.0000 EUR",
        readers=("owner", "supervisor", "coordinator"),
    ),
    Endpoint(
        "month_submit",
        "post",
        month_url("month_submit", "march"),
        statuses(404, owner=302, supervisor=403, coordinator=403),
    ),
    Endpoint(
        "month_approve",
        "post",
        month_url("month_approve", "april"),
        statuses(404, owner=403, supervisor=302, coordinator=403),
    ),
    Endpoint(
        "month_return",
        "post",
        month_url("month_return", "april"),
        statuses(404, owner=403, supervisor=302, coordinator=403),
        data=lambda s: {"comment": "Please split the hours."},
    ),
    Endpoint(
        "month_reopen",
        "post",
        month_url("month_reopen", "may"),
        statuses(404, owner=403, supervisor=403, coordinator=302),
        data=lambda s: {"reason": "The 4th was a holiday."},
    ),
    *[
        Endpoint(f"{name} (GET)", "get", month_url(name, month), statuses(405))
        for name, month in [
            ("month_submit", "march"),
            ("month_approve", "april"),
            ("month_return", "april"),
            ("month_reopen", "may"),
        ]
    ],
    # The approval queue.
    Endpoint(
        "approvals",
        "get",
        lambda s: reverse("reporting:approvals"),
        statuses(403, supervisor=200, other_supervisor=200),
        secret="Olga Officer",
        readers=("supervisor",),
    ),
    Endpoint(
        "approvals (approve selected)",
        "post",
        lambda s: reverse("reporting:approvals"),
        statuses(403, supervisor=200, other_supervisor=400),
        data=lambda s: {"months": [s.april.pk]},
    ),
    # Rates.
    Endpoint(
        "rates",
        "get",
        lambda s: reverse("reporting:rates"),
        statuses(200),
        secret=SECRET_COSTS,
        readers=("owner", "supervisor", "coordinator"),
    ),
    Endpoint(
        "rate_create",
        "get",
        lambda s: reverse("reporting:rate_create"),
        statuses(403, supervisor=200, other_supervisor=200, coordinator=200),
    ),
    Endpoint(
        "rate_create (save)",
        "post",
        lambda s: reverse("reporting:rate_create"),
        statuses(403, supervisor=302, other_supervisor=400, coordinator=302),
        data=lambda s: {
            "city": s.world.city.pk,
            "person": s.world.officer.pk,
            "year": 2018,
            "annual_costs": "1",
            "working_time_share": "1",
        },
    ),
    Endpoint(
        "rate_edit",
        "get",
        lambda s: reverse("reporting:rate_edit", args=[s.rate.pk]),
        statuses(404, owner=403, supervisor=200, coordinator=200),
        secret="41280",
        readers=("supervisor", "coordinator"),
    ),
    Endpoint(
        "rate_edit (save)",
        "post",
        lambda s: reverse("reporting:rate_edit", args=[s.rate.pk]),
        statuses(404, owner=403, supervisor=302, coordinator=302),
        data=lambda s: {"annual_costs": "1", "working_time_share": "1"},
    ),
    # The programme's exchange rates: its coordinators only.
    Endpoint(
        "exchange_rates",
        "get",
        lambda s: reverse("reporting:exchange_rates", args=[s.world.programme.slug]),
        statuses(403, coordinator=200),
        secret=EXCHANGE_SOURCE,
        readers=("coordinator",),
    ),
    Endpoint(
        "exchange_rates (add)",
        "post",
        lambda s: reverse("reporting:exchange_rates", args=[s.world.programme.slug]),
        statuses(403, coordinator=302),
        data=lambda s: {"currency": "ZAR", "month": "2017-06", "rate": "0.06", "source": "X"},
    ),
    Endpoint(
        "exchange_rate_edit",
        "get",
        lambda s: reverse(
            "reporting:exchange_rate_edit", args=[s.world.programme.slug, s.exchange_rate.pk]
        ),
        statuses(403, coordinator=200),
        secret=EXCHANGE_SOURCE,
        readers=("coordinator",),
    ),
    Endpoint(
        "exchange_rate_edit (save)",
        "post",
        lambda s: reverse(
            "reporting:exchange_rate_edit", args=[s.world.programme.slug, s.exchange_rate.pk]
        ),
        statuses(403, coordinator=302),
        data=lambda s: {"currency": "ZAR", "month": "2017-03", "rate": "0.07", "source": "X"},
    ),
    # Dashboards.
    Endpoint(
        "programme_dashboard",
        "get",
        lambda s: reverse("reporting:programme_dashboard", args=[s.world.programme.slug]),
        statuses(403, coordinator=200),
    ),
    Endpoint(
        "city_dashboard",
        "get",
        lambda s: reverse(
            "reporting:city_dashboard", args=[s.world.programme.slug, s.world.city.pk]
        ),
        statuses(404, owner=200, colleague=200, supervisor=200, coordinator=200),
        secret="Olga Officer",
        readers=("owner", "colleague", "supervisor", "coordinator"),
    ),
    # The officers' own pages: everyone sees and changes only their own time.
    Endpoint(
        "grid",
        "get",
        GRID,
        statuses(403, owner=200, colleague=200, other_officer=200),
        secret=SECRET_NOTE,
        readers=("owner",),
    ),
    Endpoint(
        "grid (save)",
        "post",
        GRID,
        statuses(403, owner=302, colleague=302, other_officer=302),
        data=lambda s: {"h_02_action_planning": "2"},
    ),
    Endpoint(
        "entry_edit",
        "get",
        lambda s: reverse("reporting:entry_edit", args=[s.entry.pk]),
        statuses(404, owner=200),
        secret=SECRET_NOTE,
        readers=("owner",),
    ),
    Endpoint(
        "entry_edit (save)",
        "post",
        lambda s: reverse("reporting:entry_edit", args=[s.entry.pk]),
        statuses(404, owner=302),
        data=lambda s: {"day": "2017-03-01", "activity": "follow_up", "hours": "5"},
    ),
    Endpoint(
        "entry_delete",
        "get",
        lambda s: reverse("reporting:entry_delete", args=[s.entry.pk]),
        statuses(404, owner=200),
    ),
    Endpoint(
        "entry_delete (delete)",
        "post",
        lambda s: reverse("reporting:entry_delete", args=[s.entry.pk]),
        statuses(404, owner=302),
    ),
]


@pytest.mark.parametrize("endpoint", ENDPOINTS, ids=lambda e: e.name)
def test_role_by_endpoint_matrix(client, scene, endpoint):
    """Each role in turn, in a savepoint rolled back afterwards so that one role's change does
    not meet the next one."""
    url = endpoint.url(scene)
    data = endpoint.data(scene) if endpoint.data else {}
    got, leaks, changed = {}, [], []
    for role in ROLES:
        with transaction.atomic():
            client.logout()
            user = scene.users[role]
            if user is not None:
                client.force_login(user)
            before = snapshot()
            owners_before = owners_records(scene.world.officer.pk)
            if endpoint.method == "get":
                response = client.get(url)
            else:
                response = client.post(url, data)
            got[role] = response.status_code
            if role == "anonymous":
                assert response.status_code == 302
                assert response.url.startswith(reverse("account_login")), response.url
            if endpoint.secret and response.status_code == 200:
                shown = endpoint.secret in response.content.decode()
                if shown != (role in endpoint.readers):
                    leaks.append(role)
            refused = role == "anonymous" or response.status_code in (400, 403, 404, 405)
            if refused and snapshot() != before:
                changed.append(role)
            if role != "owner" and endpoint.method == "post" and not refused:
                # Colleagues saving their own grid, supervisors and coordinators acting on the
                # month or rate: nobody but the owner touches the owner's entries, and the
                # rate only through the rate pages.
                after = owners_records(scene.world.officer.pk)
                if after["entries"] != owners_before["entries"]:
                    changed.append(role)
            transaction.set_rollback(True)
    assert got == endpoint.expected
    assert leaks == [], f"{endpoint.name}: shown to the wrong people"
    assert changed == [], f"{endpoint.name}: refused requests changed the database"


def test_every_url_of_the_review_pages_is_in_the_matrix():
    from reporting import urls
    from reporting.views import review

    names = {p.name for p in urls.urlpatterns if p.callback.__module__ == review.__name__}
    covered = {endpoint.name.split(" ")[0] for endpoint in ENDPOINTS}
    assert names <= covered, names - covered


def test_allowed_posts_did_what_they_say(client, scene):
    """The matrix's successful POSTs really acted (so that its refusals mean something)."""
    w = scene.world
    client.force_login(w.officer)
    client.post(reverse("reporting:month_submit", args=[scene.march.pk]))
    client.force_login(w.supervisor)
    client.post(reverse("reporting:month_approve", args=[scene.april.pk]))
    client.force_login(w.coordinator)
    client.post(reverse("reporting:month_reopen", args=[scene.may.pk]), {"reason": "Check."})
    statuses_ = dict(TimesheetMonth.objects.filter(person=w.officer).values_list("month", "status"))
    assert statuses_ == {MARCH: "submitted", APRIL: "approved", MAY: "open"}
