"""Every edit form of its kind refuses a save from an older page (config.stale): two clients
draw the edit page, the first saves, the second's save is refused with 409, the message, the
values saved meanwhile, and what it typed kept; nothing of it is stored; saving again from the
refused page (a deliberate choice) goes through. The month grid and single time entries are in
tests/reporting/test_stale_saves.py."""

from dataclasses import dataclass

import pytest
from django.test import Client
from django.urls import reverse

from mentoring.models import Event, EventReport
from mentoring.services.events import RecommendationInput, report_save
from reporting.models import StaffRate
from tests.mentoring.event_factories import build_world
from tests.pageforms import post_form
from tests.reporting.factories import build_time_world, rate
from tests.toolkits.factories import build_toolkit_world, draft
from toolkits.models import GoodPractice

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


def run(race: Race):
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
    assert MESSAGE in html
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
