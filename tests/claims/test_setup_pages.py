"""The coordinators' pages: set-up, audits, the programme's claims and the budget burn."""

from datetime import timedelta
from decimal import Decimal

import pytest
from django.urls import reverse

from accounts.selectors import today_for
from claims.models import (
    Audit,
    CityBudget,
    ClaimRules,
    ControlAssignment,
    Correction,
    CostOption,
    LineKind,
    ReportingPeriod,
)
from claims.services.audits import audit_record
from claims.services.setup import budget_key, budgets_save
from config.stale import version_of

from .factories import build_claim_world
from .setup_helpers import certify, submitted_claim

pytestmark = pytest.mark.django_db


@pytest.fixture
def world():
    return build_claim_world()


def signed_in(client, user):
    client.force_login(user)
    return client


def kw(world, **more):
    return {"programme": world.programme.slug, **more}


SETUP_PAGES = [
    "setup",
    "rules",
    "periods",
    "period_create",
    "periods_generate",
    "cost_options",
    "cost_option_create",
    "budgets",
    "checklist_questions",
    "checklist_question_create",
    "assignments",
    "assignment_create",
    "overview",
    "budget",
]


def test_every_page_opens_for_the_coordinator_and_no_one_else(client, world):
    for name in SETUP_PAGES:
        url = reverse(f"claims:{name}", kwargs=kw(world))
        assert signed_in(client, world.coordinator).get(url).status_code == 200, name
        refused = signed_in(client, world.outsider_coordinator).get(url)
        assert refused.status_code == 403, name
        assert "coordinator" in refused.content.decode()
    for name, pk in (
        ("period_edit", world.period.pk),
        ("cost_option_edit", world.unit.pk),
        ("assignment_edit", ControlAssignment.objects.get().pk),
    ):
        url = reverse(f"claims:{name}", kwargs=kw(world, pk=pk))
        assert signed_in(client, world.coordinator).get(url).status_code == 200, name


def test_rules_form_keeps_what_was_typed_and_refuses_a_stale_page(client, world):
    signed_in(client, world.coordinator)
    url = reverse("claims:rules", kwargs=kw(world))
    response = client.post(url, {"burn_warning_percent": "150", "sample_percent": "40"})
    assert response.status_code == 400
    assert 'value="150"' in response.content.decode()
    response = client.post(
        url, {"burn_warning_percent": "70", "sample_percent": "40", "version": "new"}
    )
    assert response.status_code == 302
    rules = ClaimRules.objects.get(programme=world.programme)
    assert (rules.burn_warning_percent, rules.sample_percent) == (70, 40)
    response = client.post(
        url, {"burn_warning_percent": "75", "sample_percent": "40", "version": "new"}
    )
    assert response.status_code == 409
    rules.refresh_from_db()
    assert rules.burn_warning_percent == 70


def test_a_cost_option_without_its_figures_gets_field_messages(client, world):
    signed_in(client, world.coordinator)
    url = reverse("claims:cost_option_create", kwargs=kw(world))
    data = {"name": "Expert day", "kind": "unit", "category": "expertise", "active": "on"}
    response = client.post(url, data)
    assert response.status_code == 400
    page = response.content.decode()
    assert "Give the amount" in page
    assert "Say what one unit is" in page
    assert 'value="Expert day"' in page
    response = client.post(url, data | {"name": world.unit.name, "amount": "5", "unit": "day"})
    assert response.status_code == 400
    assert "of this name already" in response.content.decode()
    response = client.post(url, data | {"amount": "400", "unit": "day of an expert"})
    assert response.status_code == 302
    assert CostOption.objects.filter(name="Expert day").exists()


def test_periods_are_generated_from_the_page(client, world):
    ControlAssignment.objects.all().delete()
    signed_in(client, world.coordinator)
    url = reverse("claims:periods_generate", kwargs=kw(world))
    assert client.post(url, {"months": "0", "deadline_days": "60"}).status_code == 400
    response = client.post(url, {"months": "6", "deadline_days": "60"})
    assert response.status_code == 302
    assert ReportingPeriod.objects.filter(programme=world.programme).count() == 4


def test_the_budget_grid(client, world):
    signed_in(client, world.coordinator)
    url = reverse("claims:budgets", kwargs=kw(world))
    page = client.get(url)
    version = page.context["form"].initial["version"]
    key = budget_key(world.city.pk, "travel")
    response = client.post(url, {key: "-5", "version": version})
    assert response.status_code == 400
    assert 'value="-5"' in response.content.decode()
    response = client.post(url, {key: "1500.00", "version": version})
    assert response.status_code == 302
    assert CityBudget.objects.get().amount == Decimal("1500.00")
    # The page drawn before that save is stale now.
    response = client.post(url, {key: "1700.00", "version": version})
    assert response.status_code == 409
    assert CityBudget.objects.get().amount == Decimal("1500.00")


def test_checklist_staff_checks_button(client, world):
    signed_in(client, world.coordinator)
    url = reverse("claims:checklist_auto_checks", kwargs=kw(world))
    assert client.post(url).status_code == 302
    page = client.get(reverse("claims:checklist_questions", kwargs=kw(world))).content.decode()
    assert "No day claimed twice" in page
    assert "Add Tandem&#x27;s staff-cost checks" not in page


def test_assignments_say_how_to_invite_a_controller_when_there_is_none(client, world):
    signed_in(client, world.coordinator)
    url = reverse("claims:assignments", kwargs=kw(world))
    assert "Invite a controller" not in client.get(url).content.decode()
    ControlAssignment.objects.all().delete()
    world.controller.memberships.all().delete()
    world.other_controller.memberships.all().delete()
    page = client.get(url).content.decode()
    assert "Invite a controller" in page
    assert "role=controller" in page


def test_ending_an_assignment_from_the_page(client, world):
    signed_in(client, world.coordinator)
    assignment = ControlAssignment.objects.get()
    url = reverse("claims:assignment_end", kwargs=kw(world, pk=assignment.pk))
    assert client.post(url).status_code == 302
    assignment.refresh_from_db()
    assert assignment.ends_on == today_for(world.coordinator) - timedelta(days=1)


def test_an_assignment_edit_from_a_stale_page_is_refused(client, world):
    signed_in(client, world.coordinator)
    assignment = ControlAssignment.objects.get()
    url = reverse("claims:assignment_edit", kwargs=kw(world, pk=assignment.pk))
    data = {
        "controller": assignment.controller_id,
        "city": assignment.city_id,
        "period": assignment.period_id,
        "starts_on": "2016-01-01",
        "ends_on": "2030-01-01",
        "version": version_of(assignment),
    }
    assert client.post(url, data).status_code == 302
    assert client.post(url, data | {"ends_on": "2031-01-01"}).status_code == 409


def test_audits_and_corrections_from_the_claim_page(client, world):
    claim = submitted_claim(world)
    ticket = claim.lines.get(kind=LineKind.REAL)
    signed_in(client, world.coordinator)
    new_audit = reverse("claims:audit_create", kwargs={"pk": claim.pk})
    refused = client.get(new_audit)
    assert refused.status_code == 403
    assert "certified" in refused.content.decode()
    certify(claim, {ticket: Decimal("50.00")})
    page = client.get(claim.get_absolute_url()).content.decode()
    assert "Record an audit" in page
    day = today_for(world.coordinator).isoformat()
    response = client.post(new_audit, {"body": "", "held_on": day, "findings": "Late payment"})
    assert response.status_code == 400
    assert "Late payment" in response.content.decode()
    response = client.post(
        new_audit, {"body": "Audit authority", "held_on": day, "findings": "Late payment"}
    )
    assert response.status_code == 302
    audit = Audit.objects.get()
    url = reverse("claims:correction_create", kwargs={"pk": audit.pk})
    data = {"category": "travel", "line": ticket.pk, "amount": "500", "description": "Late"}
    response = client.post(url, data)
    assert response.status_code == 400
    assert "more off" in response.content.decode()
    assert client.post(url, data | {"amount": "30.00"}).status_code == 302
    assert Correction.objects.get().amount == Decimal("30.00")
    page = client.get(claim.get_absolute_url()).content.decode()
    # Travel: claimed 250.00, certified 200.00, corrected 30.00, final 170.00.
    for figure in ("250.00", "200.00", "30.00", "170.00", "Audit authority"):
        assert figure in page
    # The city's people see the claim but record no audit; other programmes see nothing.
    assert signed_in(client, world.officer).get(new_audit).status_code == 403
    assert "Audits and corrections" not in client.get(claim.get_absolute_url()).content.decode()
    assert signed_in(client, world.outsider_coordinator).get(new_audit).status_code == 404
    assert client.get(url).status_code == 404


def test_budget_burn_for_a_citys_people_is_their_city_only(client, world):
    budgets_save(
        programme=world.programme,
        amounts={
            (world.city.pk, "travel"): Decimal("260"),
            (world.other_city.pk, "travel"): Decimal("999"),
        },
        by=world.coordinator,
    )
    submitted_claim(world)
    programme_url = reverse("claims:budget", kwargs=kw(world))
    ghent_url = reverse("claims:budget_city", kwargs=kw(world, city=world.city.slug))
    gdansk_url = reverse("claims:budget_city", kwargs=kw(world, city=world.other_city.slug))
    coordinator = signed_in(client, world.coordinator).get(programme_url).content.decode()
    assert "Warning: Ghent has claimed 96%" in coordinator  # 250.00 of 260.00
    assert "Gdańsk" in coordinator
    assert "<svg" in coordinator
    signed_in(client, world.officer)
    response = client.get(programme_url)
    assert response.status_code == 302
    assert response["Location"] == ghent_url
    page = client.get(ghent_url).content.decode()
    assert "96%" in page
    assert "999" not in page
    assert client.get(gdansk_url).status_code == 403
    assert client.get(f"{programme_url}?city={world.other_city.pk}").status_code == 403
    assert client.get(f"{programme_url}?city={world.city.pk}").status_code == 200
    assert client.get(f"{programme_url}?city=x").status_code == 404
    assert signed_in(client, world.outsider_coordinator).get(programme_url).status_code == 403


def test_the_overview_shows_every_city_and_period(client, world):
    claim = submitted_claim(world)
    certify(claim)
    audit_record(
        claim=claim,
        body="Body",
        held_on=today_for(world.coordinator),
        findings="F.",
        by=world.coordinator,
    )
    page = (
        signed_in(client, world.coordinator)
        .get(reverse("claims:overview", kwargs=kw(world)))
        .content.decode()
    )
    assert "896.88" in page
    assert "Certified" in page
    assert "No claim" in page


def test_a_coordinator_invites_a_controller_to_the_programme(client, world):
    from accounts.models import Invitation, Role

    signed_in(client, world.coordinator)
    where = f"programme:{world.programme.pk}"
    page = client.get(f"{reverse('portal:invitations')}?role=controller&where={where}")
    form = page.context["form"]
    assert form["role"].value() == "controller"
    assert form["where"].value() == where
    response = client.post(
        reverse("portal:invitations"),
        {"email": "new.controller@example.com", "role": "controller", "where": where},
    )
    assert response.status_code == 302
    invitation = Invitation.objects.get(email="new.controller@example.com")
    assert (invitation.role, invitation.programme) == (Role.CONTROLLER, world.programme)
