"""The main pages of every role pass axe-core in Chromium and the Nu Html Checker.

axe-core and vnu-jar come from npm at the versions package-lock.json pins (`make install` runs
`npm ci`); vnu runs on the machine's Java. Without them the tests skip, and fail under CI.
"""

import json
import os
import re
import shutil
import subprocess
from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from pathlib import Path

import pytest
from django.conf import settings as django_settings
from django.db import connections
from django.urls import reverse

from accounts.models import User
from actionplans import permissions as plan_permissions
from actionplans.models import ActionPlan, Section
from mentoring.models import Event, Pairing, Programme
from mentoring.services.programmes import programme_update
from portal.navigation import navigation_for
from reporting import services as reporting_services
from reporting.models import OtherGrantHours, TimesheetMonth
from tests.browser import CHROMIUM, CHROMIUM_ARGS, sign_in
from toolkits.models import GoodPractice, PracticeStatus, Toolkit

NODE_MODULES = Path(django_settings.BASE_DIR) / "node_modules"
AXE = NODE_MODULES / "axe-core" / "axe.min.js"
VNU = NODE_MODULES / "vnu-jar" / "build" / "dist" / "vnu.jar"
JAVA = shutil.which("java") or "/usr/bin/java"

AXE_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]
AXE_FAILING_IMPACTS = {"serious", "critical"}

# Messages of the Nu Html Checker that are filtered out, each with the reason. Keep it short.
VNU_KNOWN_FALSE_POSITIVES: list[tuple[str, str]] = []

ROLES = {
    "anonymous": None,
    "partner": "partner@example.org",
    "officer": "officer.gdansk@example.org",
    # Riga's plan has changes requested: its officer may edit it.
    "Riga officer": "officer.riga@example.org",
    "supervisor": "supervisor.gdansk@example.org",
    "expert": "expert@example.org",
    "coordinator": "coordinator@example.org",
    "controller": "controller@example.org",
}


@dataclass(frozen=True)
class Page:
    role: str
    url: str

    @property
    def email(self) -> str | None:
        return ROLES[self.role]

    def __str__(self) -> str:
        return f"{self.url} as {self.role}"


def _require(path: Path | str, what: str) -> None:
    if Path(path).exists():
        return
    reason = f"{what} is missing at {path}: run `make install` (npm ci) and install Java 17"
    if os.environ.get("CI"):
        pytest.fail(f"CI is set but {reason}")
    pytest.skip(reason)


def _summary(problems: list[str], what: str, shown: int = 40) -> str:
    lines = problems[:shown]
    if len(problems) > shown:
        lines.append(f"... and {len(problems) - shown} more")
    return f"{len(problems)} {what}:\n" + "\n".join(lines)


def _coordinate_an_older_programme_too() -> None:
    """The demo coordinator coordinates an earlier programme as well, so that the header's
    programme switcher is on every coordinator page checked (CITIES-GROW stays current)."""
    from accounts.models import Role
    from accounts.services import membership_grant
    from tests.mentoring.factories import ProgrammeFactory

    older = ProgrammeFactory(
        name="Earlier Programme", starts_on=date(2012, 1, 1), ends_on=date(2014, 12, 31)
    )
    coordinator = User.objects.get(email=ROLES["coordinator"])
    membership_grant(user=coordinator, role=Role.COORDINATOR, programme=older)


def _one_click_url(officer: User) -> str:
    """The officer's notifications (one read, one with a comment, over two programmes, so
    that the list shows each way an item looks) and the one-click page of their kind."""
    from notifications.emails import preference_token
    from notifications.models import Notification
    from notifications.services import notify

    plan = ActionPlan.objects.get(pairing__implementing__slug="gdansk")
    for index, programme in enumerate(("CITIES-GROW", "ICP AGIR", "CITIES-GROW")):
        notify(
            "actionplans.changes_requested",
            recipients=[officer],
            about=plan,
            link=plan.get_absolute_url(),
            params={
                "person": "Eve Expert",
                "title": plan.title,
                "comment": "Give the 2016 baseline." if index == 1 else "",
            },
            programme=programme,
        )
    first = Notification.objects.filter(recipient=officer).order_by("pk").first()
    Notification.objects.filter(pk=first.pk).update(read_at=first.created_at)
    token = preference_token(officer, "actionplans.changes_requested")
    return reverse("notifications:one_click", args=[token])


def _digest_link_url(officer: User) -> str:
    """The page a digest's link opens: stop the digests."""
    from notifications.emails import DIGEST, preference_token

    return reverse("notifications:one_click", args=[preference_token(officer, DIGEST)])


def _import_preview_url(programme: Programme) -> str:
    """The preview of a cities import with one error cell (its country)."""
    from django.core.files.uploadedfile import SimpleUploadedFile

    from documents import imports
    from documents.importing import run_start

    content = "Name,Country,Latitude,Longitude\nGdańsk,PL,54.352,18.6466\nNowhere,XX,1,1\n"
    run = run_start(
        kind=imports.get("cities"),
        target=programme,
        user=User.objects.get(email=ROLES["coordinator"]),
        upload=SimpleUploadedFile("cities.csv", content.encode()),
    )
    return reverse("documents:import_run", args=[run.pk])


def _pages(programme: Programme) -> list[Page]:
    """About sixty pages: each role's home and navigation, the public pages, forms, a month grid,
    a plan, a staff-cost report and the notifications."""
    officer = User.objects.get(email=ROLES["officer"])
    supervisor = User.objects.get(email=ROLES["supervisor"])
    gdansk = officer.memberships.get().city
    practice = GoodPractice.objects.filter(status=PracticeStatus.PUBLISHED).order_by("pk").first()
    toolkit = Toolkit.objects.order_by("pk").first()
    pairing = Pairing.objects.filter(implementing__slug="gdansk").get()
    plan = ActionPlan.objects.get(pairing=pairing)
    editable_plan = ActionPlan.objects.get(pairing__implementing__slug="riga")
    assert plan_permissions.can_edit(User.objects.get(email=ROLES["Riga officer"]), editable_plan)
    month = TimesheetMonth.objects.filter(person=officer).order_by("month").first()
    event = Event.objects.order_by("pk").first()
    report = reporting_services.report_request(
        programme=programme,
        city=gdansk,
        first_month=programme.starts_on,
        last_month=date(programme.starts_on.year, 12, 1),
        by=supervisor,
    )

    # The officer also works in another EU-funded project: a row to list, change and delete.
    other_grant = reporting_services.other_grant_hours_save(
        row=OtherGrantHours(
            person=officer,
            year=month.month.year,
            project="Interreg Europe – PGI-0042",
            hours=Decimal(120),
            note="Half a day a week",
        ),
        by=officer,
    )

    # CITIES-GROW publishes open data: its dataset page is public.
    programme.open_data_licence = "CC-BY-4.0"
    programme_update(programme=programme)

    pages = [
        Page("anonymous", reverse("home")),
        Page("anonymous", reverse("account_login")),
        Page("anonymous", reverse("account_reset_password")),
        Page("anonymous", reverse("toolkits:catalogue")),
        Page("anonymous", reverse("toolkits:practice", args=[practice.slug])),
        Page("anonymous", reverse("toolkits:toolkits")),
        Page("anonymous", reverse("toolkits:toolkit", args=[toolkit.slug])),
        Page("anonymous", reverse("portal:open_data_index")),
        Page("anonymous", reverse("portal:open_data", args=[programme.slug])),
    ]
    for role, email in ROLES.items():
        if email is None or role == "Riga officer":
            continue
        for item in navigation_for(User.objects.get(email=email)):
            if item.key != "admin":
                pages.append(Page(role, item.url.split("#")[0]))
    pages += [
        Page("officer", reverse("reporting:entry_create")),
        Page(
            "officer",
            reverse(
                "reporting:grid",
                kwargs={
                    "programme": programme.slug,
                    "year": month.month.year,
                    "month": month.month.month,
                },
            ),
        ),
        Page("officer", reverse("reporting:month", args=[month.pk])),
        Page("officer", reverse("reporting:other_grants")),
        Page("officer", reverse("reporting:other_grant_create")),
        Page("officer", reverse("reporting:other_grant_edit", args=[other_grant.pk])),
        Page("officer", reverse("reporting:other_grant_delete", args=[other_grant.pk])),
        Page("officer", reverse("actionplans:plan", args=[plan.pk])),
        Page("Riga officer", reverse("actionplans:plan", args=[editable_plan.pk])),
        Page(
            "Riga officer",
            reverse("actionplans:section_edit", args=[editable_plan.pk, Section.CONTEXT]),
        ),
        Page("officer", reverse("toolkits:practice_create")),
        Page("officer", reverse("portal:pairing", args=[pairing.pk])),
        Page("supervisor", reverse("reporting:report", args=[report.pk])),
        Page("supervisor", reverse("reporting:rate_create")),
        Page(
            "supervisor",
            reverse(
                "reporting:city_dashboard", kwargs={"programme": programme.slug, "city": gdansk.pk}
            ),
        ),
        Page("supervisor", reverse("documents:import", args=["timesheets", gdansk.slug])),
        Page("expert", reverse("actionplans:versions", args=[plan.pk])),
        *(
            Page("expert", reverse("actionplans:version", args=[plan.pk, version.number]))
            for version in plan.versions.order_by("number")[:1]
        ),
        Page("coordinator", reverse("portal:programme_switch")),
        Page("coordinator", reverse("mentoring:pairing_create")),
        Page("coordinator", reverse("mentoring:event", args=[event.pk])),
        Page("coordinator", reverse("mentoring:calendar")),
        Page("coordinator", reverse("mentoring:event_kinds", args=[programme.slug])),
        Page("coordinator", reverse("mentoring:event_create") + f"?programme={programme.slug}"),
        Page("coordinator", reverse("matching:matching", args=[programme.slug])),
        Page("coordinator", reverse("reporting:exchange_rates", args=[programme.slug])),
        Page("coordinator", reverse("mentoring:organisations")),
        Page("coordinator", reverse("portal:city_detail", args=[gdansk.slug])),
        Page("coordinator", reverse("portal:city_edit", args=[gdansk.slug])),
        Page("coordinator", reverse("portal:frame", args=[programme.slug])),
        Page("coordinator", reverse("toolkits:toolkit_edit", args=[toolkit.slug])),
        Page("officer", reverse("accounts:my_data")),
        Page("officer", reverse("accounts:settings")),
        Page("officer", reverse("accounts:api_tokens")),
        # Not the API documentation (/api/v1/docs/): Swagger UI's own markup fails axe (nested
        # interactive controls in each operation's summary, unlabelled selects of the "Try it
        # out" parameters, the contrast of its badges), which the portal cannot fix without
        # patching Swagger UI. tests/api/test_browser_docs.py checks it renders under the CSP.
        Page("officer", reverse("accounts:api_token_revoke", args=[_api_token(officer).pk])),
        Page("officer", reverse("notifications:list")),
        Page("officer", reverse("notifications:list") + "?show=unread"),
        Page("officer", reverse("notifications:preferences")),
        Page("anonymous", _one_click_url(officer)),
        Page("anonymous", _digest_link_url(officer)),
        Page("coordinator", reverse("accounts:person_erase", args=[officer.pk])),
        Page("coordinator", reverse("audit:history", args=["mentoring.pairing", pairing.pk])),
        Page("coordinator", reverse("documents:import", args=["cities", programme.slug])),
        Page("coordinator", reverse("documents:import", args=["attendance", event.pk])),
        Page("coordinator", _import_preview_url(programme)),
        *_claims_pages(programme, officer),
    ]
    return list(dict.fromkeys(pages))


def _claims_pages(programme: Programme, officer: User) -> list[Page]:
    """Claims (issue 16): the demo's claims of Gdańsk (the first certified, the second in
    verification) and a draft of the third period, from each side."""
    from claims.models import Claim, EvidencePack, ReportingPeriod
    from claims.services import claim_open

    gdansk = officer.memberships.get().city
    certified = Claim.objects.get(city=gdansk, period__number=1)
    in_verification = Claim.objects.get(city=gdansk, period__number=2)
    draft = claim_open(
        period=ReportingPeriod.objects.get(programme=programme, number=3), city=gdansk, by=officer
    )
    sampled = in_verification.lines.filter(sampled=True).order_by("pk").first()
    pack = EvidencePack.objects.create(
        claim=certified, requested_by=certified.submitted_by, fingerprint="accessibility"
    )
    slug = programme.slug
    return [
        Page("officer", reverse("claims:list")),
        Page("officer", reverse("claims:claim", args=[certified.pk])),
        Page("officer", reverse("claims:claim", args=[draft.pk])),
        Page("officer", reverse("claims:line_create", args=[draft.pk])),
        Page("supervisor", reverse("claims:submit", args=[draft.pk])),
        Page("supervisor", reverse("claims:budget_city", args=[slug, gdansk.slug])),
        Page("supervisor", reverse("claims:pack", args=[pack.pk])),
        Page("controller", reverse("claims:control")),
        Page("controller", reverse("claims:verify", args=[in_verification.pk])),
        Page("controller", reverse("claims:checklist", args=[in_verification.pk])),
        Page("controller", reverse("claims:line_verify", args=[sampled.pk])),
        Page("controller", reverse("claims:certify", args=[in_verification.pk])),
        Page("coordinator", reverse("claims:overview", args=[slug])),
        Page("coordinator", reverse("claims:budget", args=[slug])),
        Page("coordinator", reverse("claims:setup", args=[slug])),
        Page("coordinator", reverse("claims:periods", args=[slug])),
        Page("coordinator", reverse("claims:cost_options", args=[slug])),
        Page("coordinator", reverse("claims:budgets", args=[slug])),
        Page("coordinator", reverse("claims:checklist_questions", args=[slug])),
        Page("coordinator", reverse("claims:assignments", args=[slug])),
        Page("coordinator", reverse("claims:reopen", args=[in_verification.pk])),
        Page("coordinator", reverse("claims:audit_create", args=[certified.pk])),
    ]


def _api_token(person):
    """A token of the person's, so that their tokens page lists one and can revoke it."""
    from datetime import timedelta

    from django.utils import timezone

    from accounts.services import token_create

    return token_create(
        owner=person, name="Partner system", expires_at=timezone.now() + timedelta(days=30)
    ).token


# axe-core in Chromium ------------------------------------------------------------------------


@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
def test_no_serious_or_critical_axe_violations_on_the_main_pages(
    live_server, demo_with_staff_time, settings
):
    if not shutil.which(CHROMIUM):
        _require(CHROMIUM, "Chromium")
    _require(AXE, "axe-core")
    _coordinate_an_older_programme_too()
    pages = _pages(demo_with_staff_time)
    from playwright.sync_api import sync_playwright

    # Playwright's sync API runs an event loop in this thread (see tests/browser.py).
    os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"
    problems: list[str] = []
    try:
        with sync_playwright() as playwright:
            browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
            for role, email in ROLES.items():
                # axe is injected as a script tag, which the strict Content-Security-Policy
                # (scripts only from 'self') would block: the checker, not the page, needs
                # the bypass. The pages' own scripts and styles are still served from /static/.
                context = browser.new_context(
                    base_url=live_server.url, locale="en-GB", bypass_csp=True
                )
                page = context.new_page()
                page.set_default_timeout(15_000)
                if email is not None:
                    sign_in(page, email, settings.DEMO_PASSWORD)
                    page.wait_for_url(lambda url: "/accounts/login/" not in url)
                for checked in (p for p in pages if p.role == role):
                    problems += _axe_problems(page, checked)
                context.close()
            browser.close()
    finally:
        connections.close_all()
        os.environ.pop("DJANGO_ALLOW_ASYNC_UNSAFE", None)
    assert not problems, _summary(problems, "axe problems")


def _axe_problems(page, checked: Page) -> list[str]:
    response = page.goto(checked.url)
    if response is None or response.status >= 400:
        status = response.status if response else "no response"
        return [f"{checked}: answered {status}"]
    page.add_script_tag(path=str(AXE))
    result = page.evaluate(
        """tags => axe.run(document, {
            runOnly: {type: "tag", values: tags},
            resultTypes: ["violations"],
        })""",
        AXE_TAGS,
    )
    problems = []
    for violation in result["violations"]:
        if violation["impact"] not in AXE_FAILING_IMPACTS:
            continue
        targets = "; ".join(", ".join(node["target"]) for node in violation["nodes"][:5])
        problems.append(
            f"{checked}: {violation['id']} ({violation['impact']}) on {targets}"
            f" — {violation['help']}"
        )
    return problems


# The Nu Html Checker -------------------------------------------------------------------------


@pytest.mark.django_db
def test_the_main_pages_are_valid_html(client, demo_with_staff_time, tmp_path):
    _require(JAVA, "Java")
    _require(VNU, "vnu-jar")
    _coordinate_an_older_programme_too()
    pages = _pages(demo_with_staff_time)
    files: dict[str, Page] = {}
    for number, checked in enumerate(pages):
        client.logout()
        if checked.email is not None:
            client.force_login(User.objects.get(email=checked.email))
        response = client.get(checked.url)
        assert response.status_code == 200, f"{checked}: answered {response.status_code}"
        slug = re.sub(r"[^a-z0-9]+", "-", f"{checked.role} {checked.url}".lower())
        name = f"{number:02d}-{slug.strip('-')}.html"
        (tmp_path / name).write_bytes(response.content)
        files[name] = checked

    run = subprocess.run(  # noqa: S603 - our own command line, no shell
        [JAVA, "-jar", str(VNU), "--errors-only", "--format", "json", *sorted(files)],
        cwd=tmp_path,
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
    )
    # vnu writes its JSON report to stderr and exits 1 when it finds errors.
    report = json.loads(run.stderr or run.stdout)
    problems = []
    for message in report["messages"]:
        if any(known in message.get("message", "") for known, _ in VNU_KNOWN_FALSE_POSITIVES):
            continue
        name = Path(message.get("url", "?")).name
        problems.append(
            f"{files.get(name, name)} ({name}), line {message.get('lastLine', '?')}: "
            f"{message.get('type')}: {message.get('message')}"
        )
    assert not problems, _summary(problems, "HTML errors")
