"""The person who asked for a plan version's PDF hears that it is ready, or why it failed: once per
run of the job, by e-mail unless they chose otherwise; nobody else does."""

import pytest
from django.core import mail
from django.urls import reverse

from actionplans import documents, services
from actionplans.models import PlanPdf, PlanVersion
from actionplans.tasks import build_plan_pdf
from documents.models import JobStatus
from notifications.models import Delivery, Notification
from notifications.services import preference_set
from tests.actionplans.factories import build_plan_world, drafted_plan, fresh

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"


@pytest.fixture
def world():
    return build_plan_world()


@pytest.fixture
def version(world) -> PlanVersion:
    version = services.plan_submit(drafted_plan(world), by=fresh(world.author))
    Notification.objects.all().delete()  # the submission's own notices
    return version


def build(version, by, captured, language="en") -> PlanPdf:
    with captured(execute=True):
        pdf = services.pdf_request(version, by=fresh(by), language=language)
    pdf.refresh_from_db()
    return pdf


def told(kind: str) -> list[str]:
    return sorted(Notification.objects.filter(kind=kind).values_list("recipient__email", flat=True))


def mailed() -> list[str]:
    return sorted(address for message in mail.outbox for address in message.to)


def broken(html):
    raise RuntimeError("the fonts are missing")


def test_a_ready_pdf_tells_the_person_who_asked(world, version, django_capture_on_commit_callbacks):
    pdf = build(version, world.mentor_officer, django_capture_on_commit_callbacks, language="de")
    assert pdf.status == JobStatus.DONE
    assert told("actionplans.pdf_ready") == [world.mentor_officer.email]
    assert mailed() == [world.mentor_officer.email]
    row = Notification.objects.get()
    assert row.link == reverse("actionplans:pdf", kwargs={"pk": pdf.pk})
    assert row.about == pdf
    assert row.programme == "CITIES-GROW"
    assert (row.params["version"], row.params["pdf_language"]) == (1, "de")
    message = mail.outbox[0]
    assert message.subject == (
        "[CITIES-GROW] The PDF of version 1 of “Gdańsk buys local” (German) is ready."
    )
    assert f"/plans/pdfs/{pdf.pk}/" in message.body


def test_the_title_is_the_versions_not_the_plans_today(
    world, version, django_capture_on_commit_callbacks
):
    services.plan_request_changes(version.plan, by=fresh(world.mentor_officer), comment="More.")
    services.title_save(version.plan, by=fresh(world.author), title="A later title")
    build(version, world.author, django_capture_on_commit_callbacks)
    row = Notification.objects.get(kind="actionplans.pdf_ready")
    assert row.params["title"] == "Gdańsk buys local"


def test_a_later_download_joins_the_pdf_and_tells_nobody_again(
    client, world, version, django_capture_on_commit_callbacks
):
    build(version, world.author, django_capture_on_commit_callbacks)
    client.force_login(world.expert)
    url = reverse("actionplans:version_pdf", args=[version.plan_id, version.number, "en"])
    with django_capture_on_commit_callbacks(execute=True):
        assert client.get(url).status_code == 200
    assert told("actionplans.pdf_ready") == [world.author.email]
    assert len(mail.outbox) == 1


def test_a_redelivered_job_tells_nobody_twice(world, version, django_capture_on_commit_callbacks):
    pdf = build(version, world.author, django_capture_on_commit_callbacks)
    with django_capture_on_commit_callbacks(execute=True):
        build_plan_pdf.delay(pdf.pk)  # the queue hands the finished job over again
    assert told("actionplans.pdf_ready") == [world.author.email]
    assert len(mail.outbox) == 1


def test_a_failed_pdf_says_why_and_a_successful_retry_says_it_is_ready(
    world, version, django_capture_on_commit_callbacks, monkeypatch
):
    with monkeypatch.context() as patch:
        patch.setattr(documents, "html_to_pdf", broken)
        pdf = build(version, world.author, django_capture_on_commit_callbacks)
    assert pdf.status == JobStatus.FAILED
    assert told("actionplans.pdf_failed") == [world.author.email]
    assert not Notification.objects.filter(kind="actionplans.pdf_ready").exists()
    row = Notification.objects.get()
    assert "the fonts are missing" in row.params["comment"]
    assert row.link == reverse("actionplans:pdf", kwargs={"pk": pdf.pk})
    assert mailed() == [world.author.email]
    assert "could not be made" in mail.outbox[0].subject
    assert "the fonts are missing" in mail.outbox[0].body

    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        services.pdf_retry(pdf, by=fresh(world.colleague))
    pdf.refresh_from_db()
    assert (pdf.status, pdf.attempts) == (JobStatus.DONE, 2)
    assert told("actionplans.pdf_ready") == [world.author.email], "the one who asked for it"
    assert mailed() == [world.author.email]


def test_who_chose_the_portal_gets_a_row_and_no_e_mail(
    world, version, django_capture_on_commit_callbacks
):
    preference_set(user=world.author, kind="actionplans.pdf_ready", delivery=Delivery.PORTAL)
    build(version, world.author, django_capture_on_commit_callbacks)
    row = Notification.objects.get(kind="actionplans.pdf_ready")
    assert (row.recipient_id, row.delivery, row.emailed_at) == (
        world.author.pk,
        Delivery.PORTAL,
        None,
    )
    assert mail.outbox == []


def test_an_inactive_person_is_not_told(world, version, django_capture_on_commit_callbacks):
    author = fresh(world.author)
    with django_capture_on_commit_callbacks(execute=True):
        pdf = services.pdf_request(version, by=author)
        type(author).objects.filter(pk=author.pk).update(is_active=False)
    pdf.refresh_from_db()
    assert pdf.status == JobStatus.DONE
    assert not Notification.objects.exists()
    assert mail.outbox == []
