"""Every edit form of its kind refuses a save from an older page (config.stale): two clients
draw the edit page, the first saves, the second's save is refused with 409, the message, the
values saved meanwhile, and what it typed kept; nothing of it is stored; saving again from the
refused page (a deliberate choice) goes through. The month grid and single time entries are in
tests/reporting/test_stale_saves.py."""

import json
import subprocess
from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from pathlib import Path

import pytest
from django.test import Client
from django.urls import reverse

from cities.models import City
from mentoring.models import Event, EventReport, ExpertOrganisation, Pairing, Programme, Scheme
from mentoring.services.events import RecommendationInput, report_save
from mentoring.services.pairings import pairing_create
from reporting import services as time_services
from reporting.models import OtherGrantHours, StaffRate
from tests.mentoring.event_factories import build_world
from tests.pageforms import post_form
from tests.reporting.factories import build_time_world, rate, record
from tests.toolkits.factories import build_toolkit_world, draft, published, toolkit_with
from toolkits.models import GoodPractice, Toolkit

pytestmark = pytest.mark.django_db

MESSAGE = "Someone else saved this while you were editing it"


@dataclass
class Race:
    user: object
    url: str
    form_class: str | None
    first: dict  # what the first page changes
    second: dict  # what the second page changes (other fields)
    stored: object  # () -> the stored values that matter
    newer_shown: str  # a newer value as the refused page shows it


def run(race: Race, message: str = MESSAGE):
    pages = []
    for _ in range(2):
        client = Client()
        client.force_login(race.user)
        response = client.get(race.url)
        assert response.status_code == 200, race.url
        pages.append((client, post_form(response.content.decode(), css_class=race.form_class)))
    (first, page_a), (second, page_b) = pages
    response = first.post(race.url, {**page_a, **race.first})
    assert response.status_code == 302, response.content.decode()[:2000]
    after_first = race.stored()

    response = second.post(race.url, {**page_b, **race.second})

    assert response.status_code == 409, response.content.decode()[:3000]
    html = response.content.decode()
    assert message in html
    assert 'role="alert"' in html
    assert "What was saved meanwhile" in html
    assert race.newer_shown in html
    kept = post_form(html, css_class=race.form_class)
    for name, value in race.second.items():
        assert kept.get(name) == value, name  # what was typed is kept
    assert race.stored() == after_first  # nothing of the older page was written

    # Saving again from the refused page is deliberate: it goes through.
    assert second.post(race.url, kept).status_code == 302
    assert race.stored() != after_first


def test_staff_rates():
    world = build_time_world()
    saved = rate(world, world.officer, 2017, "40000")

    def stored():
        r = StaffRate.objects.get(pk=saved.pk)
        return (r.annual_costs, r.working_time_share)

    run(
        Race(
            user=world.coordinator,
            url=reverse("reporting:rate_edit", args=[saved.pk]),
            form_class=None,
            first={"annual_costs": ["45000.00"]},
            second={"working_time_share": ["0.50"]},
            stored=stored,
            newer_shown="45,000",
        )
    )


def test_hours_in_other_grants():
    world = build_time_world()
    saved = time_services.other_grant_hours_save(
        row=OtherGrantHours(
            person=world.officer, year=2017, project="Interreg Europe", hours=Decimal(40)
        ),
        by=world.officer,
    )

    def stored():
        r = OtherGrantHours.objects.get(pk=saved.pk)
        return (r.hours, r.note)

    run(
        Race(
            user=world.officer,
            url=reverse("reporting:other_grant_edit", args=[saved.pk]),
            form_class=None,
            first={"hours": ["55.5"]},
            second={"note": ["Mondays only"]},
            stored=stored,
            newer_shown="55.5",
        )
    )


def test_events():
    world = build_world()
    event = world.planned

    def stored():
        e = Event.objects.get(pk=event.pk)
        return (e.title, e.venue)

    run(
        Race(
            user=world["coordinator"],
            url=reverse("mentoring:event_update", args=[event.pk]),
            form_class=None,
            first={"title": ["Study visit, day one"]},
            second={"venue": ["The town hall"]},
            stored=stored,
            newer_shown="Study visit, day one",
        )
    )


def test_visit_reports():
    world = build_world()
    report_save(
        event=world.held,
        findings="What we saw",
        recommendations=[RecommendationInput(text="Meet monthly")],
    )

    def stored():
        report = EventReport.objects.get(event=world.held)
        return (report.findings, [r.text for r in report.recommendations.all()])

    run(
        Race(
            user=world["coordinator"],
            url=reverse("mentoring:event_report", args=[world.held.pk]),
            form_class=None,
            first={"findings": ["What we saw, and more"]},
            second={"recommendations-0-text": ["Meet every week"]},
            stored=stored,
            newer_shown="What we saw, and more",
        )
    )


def test_a_first_report_written_meanwhile_is_not_overwritten(client):
    world = build_world()
    url = reverse("mentoring:event_report", args=[world.held.pk])
    client.force_login(world["coordinator"])
    page = post_form(client.get(url).content.decode())
    report_save(event=world.held, findings="Written first", recommendations=[])
    response = client.post(url, {**page, "findings": ["Mine"]})
    assert response.status_code == 409
    assert "Written first" in response.content.decode()
    assert EventReport.objects.get().findings == "Written first"


@pytest.fixture
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path


def test_good_practices(media):
    world = build_toolkit_world()
    practice = draft(world)

    def stored():
        p = GoodPractice.objects.get(pk=practice.pk)
        return (p.title, p.resources)

    run(
        Race(
            user=world.officer,
            url=reverse("toolkits:practice_edit", args=[practice.slug]),
            form_class="practice-form",
            first={"title": ["A newer title"]},
            second={"resources": ["Three officers"]},
            stored=stored,
            newer_shown="A newer title",
        )
    )


# Programmes, schemes, organisations, cities, pairings and toolkits ------------------------------


def test_programmes(demo, demo_user):
    def stored():
        p = Programme.objects.get(pk=demo.pk)
        return (p.name, p.funder)

    run(
        Race(
            user=demo_user("coordinator@example.org"),
            url=reverse("mentoring:programme_edit", args=[demo.slug]),
            form_class=None,
            first={"name": ["CITIES-GROW, renamed"]},
            second={"funder": ["Another funder"]},
            stored=stored,
            newer_shown="CITIES-GROW, renamed",
        )
    )


def test_schemes(demo, demo_user):
    scheme = demo.schemes.get(code="A")

    def stored():
        s = Scheme.objects.get(pk=scheme.pk)
        return (s.theme, s.description)

    run(
        Race(
            user=demo_user("coordinator@example.org"),
            url=reverse("mentoring:scheme_edit", args=[demo.slug, scheme.pk]),
            form_class=None,
            first={"theme": ["A newer theme"]},
            second={"description": ["My description"]},
            stored=stored,
            newer_shown="A newer theme",
        )
    )


def test_expert_organisations(demo, demo_user):
    # The coordinator added it, so owns it (mentoring.permissions.can_edit_organisation).
    organisation = ExpertOrganisation.objects.create(
        name="Urbact", country="FR", created_by=demo_user("coordinator@example.org")
    )

    def stored():
        o = ExpertOrganisation.objects.get(pk=organisation.pk)
        return (o.name, o.website)

    run(
        Race(
            user=demo_user("coordinator@example.org"),
            url=reverse("mentoring:organisation_edit", args=[organisation.pk]),
            form_class=None,
            first={"name": ["URBACT"]},
            second={"website": ["https://urbact.eu"]},
            stored=stored,
            newer_shown="URBACT",
        )
    )


def test_cities(demo, demo_user):
    def stored():
        c = City.objects.get(slug="gdansk")
        return (c.name, c.integration_experience)

    run(
        Race(
            user=demo_user("coordinator@example.org"),
            url=reverse("portal:city_edit", args=["gdansk"]),
            form_class=None,
            first={"name": ["Gdańsk (Pomerania)"]},
            second={"integration_experience": ["Ten years of welcome centres."]},
            stored=stored,
            newer_shown="Gdańsk (Pomerania)",
        )
    )


def test_pairings(demo, demo_user):
    coordinator = demo_user("coordinator@example.org")
    pairing = pairing_create(
        scheme=demo.schemes.get(code="A"),
        mentor=City.objects.get(slug="rotterdam"),
        implementing=City.objects.get(slug="riga"),
        by=coordinator,
    )
    athens, riga = City.objects.get(slug="athens"), City.objects.get(slug="riga")

    def stored():
        return Pairing.objects.get(pk=pairing.pk).implementing_id

    url = reverse("mentoring:pairing_edit", args=[pairing.pk])
    pages = []
    for _ in range(2):
        client = Client()
        client.force_login(coordinator)
        pages.append((client, post_form(client.get(url).content.decode())))
    (first, page_a), (second, page_b) = pages
    assert first.post(url, {**page_a, "implementing": [str(athens.pk)]}).status_code == 302
    # The second page still shows Riga and changes nothing but would write Riga back.
    response = second.post(url, {**page_b, "mentor": page_b["mentor"]})
    assert response.status_code == 409
    assert "Athens" in response.content.decode()
    assert stored() == athens.pk
    assert riga.pk != athens.pk


def test_toolkits():
    world = build_toolkit_world()
    toolkit = toolkit_with(world, [published(world)])

    def stored():
        t = Toolkit.objects.get(pk=toolkit.pk)
        return (t.title, t.introduction)

    run(
        Race(
            user=world.coordinator,
            url=reverse("toolkits:toolkit_edit", args=[toolkit.slug]),
            form_class=None,
            first={"title": ["A newer title"]},
            second={"introduction": ["My introduction"]},
            stored=stored,
            newer_shown="A newer title",
        )
    )


def test_a_toolkits_success_factors(media):
    world = build_toolkit_world()
    toolkit = toolkit_with(world, [published(world)])

    def stored():
        return list(toolkit.success_factors.values_list("name", "description"))

    run(
        Race(
            user=world.coordinator,
            url=reverse("toolkits:toolkit_factors", args=[toolkit.slug]),
            form_class="success-factors",
            first={"factors-0-name": ["Political leadership"]},
            second={"factors-0-description": ["A mayor who cares."]},
            stored=stored,
            newer_shown="Political leadership",
        ),
    )


def test_a_toolkits_practices(media):
    world = build_toolkit_world()
    first_practice, second_practice = published(world), published(world, title="Second")
    toolkit = toolkit_with(world, [first_practice])

    def stored():
        return list(toolkit.entries.values_list("practice_id", flat=True))

    url = reverse("toolkits:toolkit_practices", args=[toolkit.slug])
    pages = []
    for _ in range(2):
        client = Client()
        client.force_login(world.coordinator)
        pages.append(
            (client, post_form(client.get(url).content.decode(), css_class="toolkit-practices"))
        )
    (first, page_a), (second, page_b) = pages
    both = [str(first_practice.pk), str(second_practice.pk)]
    assert first.post(url, {**page_a, "practices": both}).status_code == 302
    assert stored() == [first_practice.pk, second_practice.pk]
    # The second page still shows one practice: saved as drawn, it would drop the other.
    response = second.post(url, page_b)
    assert response.status_code == 409
    html = response.content.decode()
    assert MESSAGE in html
    assert "Second" in html
    assert stored() == [first_practice.pk, second_practice.pk]


# The refused pages are valid HTML ----------------------------------------------------------------


def test_the_refused_pages_are_valid_html(tmp_path):
    """A month grid and an entry refused as stale, checked by the Nu Html Checker."""
    from tests.test_accessibility import JAVA, VNU, VNU_KNOWN_FALSE_POSITIVES, _require

    _require(JAVA, "Java")
    _require(VNU, "vnu-jar")
    world = build_time_world()
    entry = record(world, world.officer, date(2017, 3, 6), 2)
    grid = reverse(
        "reporting:grid", kwargs={"programme": world.programme.slug, "year": 2017, "month": 3}
    )
    cell = "h_06_action_planning"
    pages = {}
    for name, url, first, second, css in [
        ("grid.html", grid, {cell: ["5"]}, {cell: ["6"]}, "month-grid-form"),
        (
            "entry.html",
            reverse("reporting:entry_edit", args=[entry.pk]),
            {"hours": ["4"]},
            {"hours": ["3"]},
            "entry-form",
        ),
    ]:
        drawn = []
        for _ in range(2):
            client = Client()
            client.force_login(world.officer)
            drawn.append((client, post_form(client.get(url).content.decode(), css_class=css)))
        (a, page_a), (b, page_b) = drawn
        assert a.post(url, {**page_a, **first}).status_code == 302
        response = b.post(url, {**page_b, **second})
        assert response.status_code == 409
        (tmp_path / name).write_bytes(response.content)
        pages[name] = url
    run = subprocess.run(  # noqa: S603 - our own command line, no shell
        [JAVA, "-jar", str(VNU), "--errors-only", "--format", "json", *sorted(pages)],
        cwd=tmp_path,
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
    )
    report = json.loads(run.stderr or run.stdout)
    problems = [
        f"{Path(m.get('url', '?')).name} line {m.get('lastLine')}: {m.get('message')}"
        for m in report["messages"]
        if not any(known in m.get("message", "") for known, _ in VNU_KNOWN_FALSE_POSITIVES)
    ]
    assert not problems, problems
