"""Who hears of a good practice's review and of the PDFs they asked for: the scheme's experts and
the programme's coordinators of a submission, the authors of a request for changes, a
publication or a withdrawal; never the person who took the step; once; nothing when the step
rolls back or is refused; e-mails only for those who want them."""

import pytest
from django.core import mail
from django.core.exceptions import ValidationError
from django.db import transaction
from django.urls import reverse

from documents.models import JobStatus
from notifications.models import Delivery, Notification
from notifications.services import preference_set
from tests.accounts.factories import CityOfficerFactory, CoordinatorFactory, ExpertFactory
from tests.toolkits.factories import build_toolkit_world, draft, fresh, published, toolkit_with
from tests.toolkits.test_pdf import render_edition
from toolkits import rendering as renderer
from toolkits import services
from toolkits.models import GoodPractice, PracticeReview, PracticeStatus, Rendering, ReviewAction
from toolkits.tasks import render_pdf

pytestmark = pytest.mark.django_db


@pytest.fixture
def world():
    return build_toolkit_world()


@pytest.fixture
def colleague(world):
    """A second officer of the practice's city."""
    return CityOfficerFactory(city=world.city, user__full_name="Kasia Colleague").user


def told(kind: str) -> list[str]:
    """The addresses of those told of ``kind``, one entry per notification."""
    return sorted(Notification.objects.filter(kind=kind).values_list("recipient__email", flat=True))


def mailed() -> list[str]:
    return sorted(address for message in mail.outbox for address in message.to)


def submitted(world) -> GoodPractice:
    practice = draft(world)
    return services.practice_submit(practice, by=fresh(world.officer))


def last_step(practice: GoodPractice) -> PracticeReview:
    return practice.reviews.order_by("-at", "-pk").first()


# The review -----------------------------------------------------------------------------------


def test_a_submission_tells_the_schemes_expert_and_the_programmes_coordinators(
    world, django_capture_on_commit_callbacks
):
    practice = draft(world)
    with django_capture_on_commit_callbacks(execute=True):
        services.practice_submit(practice, by=fresh(world.officer))
    reviewers = sorted([world.expert.email, world.coordinator.email])
    assert told("toolkits.practice_submitted") == reviewers
    assert mailed() == reviewers, "not the other scheme's expert, a partner or another programme"
    row = Notification.objects.get(recipient=world.expert)
    assert row.link == reverse("toolkits:practice_review", kwargs={"slug": practice.slug})
    assert row.event == f"toolkits.practice_submitted:{last_step(practice).pk}"
    assert row.programme == "CITIES-GROW"
    assert row.about == practice
    message = next(m for m in mail.outbox if m.to == [world.expert.email])
    assert message.subject.startswith("[CITIES-GROW]")
    assert "Gdańsk has submitted its good practice" in message.subject
    assert "Buying from newcomers' businesses" in message.body
    assert f"/practices/{practice.slug}/review/" in message.body


def test_a_second_submission_tells_the_reviewers_again(world, colleague):
    practice = submitted(world)
    services.practice_return(practice, by=fresh(world.expert), comment="Add figures.")
    services.practice_submit(practice, by=fresh(colleague))
    rows = Notification.objects.filter(kind="toolkits.practice_submitted", recipient=world.expert)
    assert rows.count() == 2, "each submission is an event of its own"


def test_a_request_for_changes_tells_the_author_and_the_citys_officers_what_to_change(
    world, colleague, django_capture_on_commit_callbacks
):
    practice = submitted(world)
    with django_capture_on_commit_callbacks(execute=True):
        services.practice_return(
            practice, by=fresh(world.expert), comment="Give the figures of 2018 too."
        )
    authors = sorted([world.officer.email, colleague.email])
    assert told("toolkits.practice_returned") == authors
    assert mailed() == authors, "not the supervisor, the reviewers or the other city"
    row = Notification.objects.get(kind="toolkits.practice_returned", recipient=world.officer)
    assert row.link == reverse("toolkits:practice_edit", kwargs={"slug": practice.slug})
    assert row.params["comment"] == "Give the figures of 2018 too."
    assert row.event == f"toolkits.practice_returned:{last_step(practice).pk}"
    for message in mail.outbox:
        assert "Eve Expert has requested changes" in message.subject
        assert "Give the figures of 2018 too." in message.body


def test_a_publication_tells_the_author_with_the_public_page(
    world, colleague, django_capture_on_commit_callbacks
):
    practice = submitted(world)
    with django_capture_on_commit_callbacks(execute=True):
        services.practice_publish(practice, by=fresh(world.coordinator))
    assert told("toolkits.practice_published") == [world.officer.email]
    assert mailed() == [world.officer.email]
    row = Notification.objects.get(kind="toolkits.practice_published")
    assert row.link == practice.get_absolute_url() == f"/practices/{practice.slug}/"
    assert "Cora Coord has published your good practice" in mail.outbox[0].subject


def test_a_withdrawal_tells_the_author_why(world, colleague, django_capture_on_commit_callbacks):
    practice = published(world)
    with django_capture_on_commit_callbacks(execute=True):
        services.practice_withdraw(
            practice, by=fresh(world.expert), comment="The figures were wrong."
        )
    assert told("toolkits.practice_withdrawn") == [world.officer.email]
    assert mailed() == [world.officer.email]
    row = Notification.objects.get(kind="toolkits.practice_withdrawn")
    assert row.params["comment"] == "The figures were wrong."
    assert row.link == reverse("toolkits:practice_edit", kwargs={"slug": practice.slug})
    assert "withdrawn" in mail.outbox[0].subject
    assert "The figures were wrong." in mail.outbox[0].body


def test_the_person_who_takes_the_step_is_not_told(
    world, colleague, django_capture_on_commit_callbacks
):
    # The colleague is also the scheme's expert: they submit, and later return, the practice.
    ExpertFactory(scheme=world.scheme, user=colleague)
    practice = draft(world)
    with django_capture_on_commit_callbacks(execute=True):
        services.practice_submit(practice, by=fresh(colleague))
        services.practice_return(practice, by=fresh(colleague), comment="One more figure.")
    assert told("toolkits.practice_submitted") == sorted(
        [world.expert.email, world.coordinator.email]
    )
    assert told("toolkits.practice_returned") == [world.officer.email]
    assert colleague.email not in mailed()


def test_a_person_with_two_reviewing_roles_is_told_once(world, django_capture_on_commit_callbacks):
    ExpertFactory(scheme=world.scheme, user=world.coordinator)
    CoordinatorFactory(programme=world.programme, user=world.expert)
    practice = draft(world)
    with django_capture_on_commit_callbacks(execute=True):
        services.practice_submit(practice, by=fresh(world.officer))
    assert told("toolkits.practice_submitted") == sorted(
        [world.expert.email, world.coordinator.email]
    )
    assert mailed() == sorted([world.expert.email, world.coordinator.email])


def test_the_same_step_told_twice_is_told_once(world, django_capture_on_commit_callbacks):
    from toolkits import notifications

    practice = draft(world)
    with django_capture_on_commit_callbacks(execute=True):
        services.practice_submit(practice, by=fresh(world.officer))
        step = last_step(practice)
        notifications.practice_step(GoodPractice.objects.get(pk=practice.pk), step)
    assert told("toolkits.practice_submitted") == sorted(
        [world.expert.email, world.coordinator.email]
    )
    assert len(mail.outbox) == 2


def _submit_then_fail(practice, officer) -> None:
    with transaction.atomic():
        services.practice_submit(practice, by=officer)
        raise RuntimeError("something later failed")


def test_nothing_is_told_when_the_transaction_rolls_back(world, django_capture_on_commit_callbacks):
    practice = draft(world)
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        with pytest.raises(RuntimeError):
            _submit_then_fail(practice, fresh(world.officer))
    assert callbacks == []
    assert not Notification.objects.exists()
    assert mail.outbox == []
    assert GoodPractice.objects.get(pk=practice.pk).status == PracticeStatus.DRAFT


def test_a_refused_step_tells_nobody(world, django_capture_on_commit_callbacks):
    practice = submitted(world)
    Notification.objects.all().delete()
    with django_capture_on_commit_callbacks(execute=True), pytest.raises(ValidationError):
        services.practice_return(practice, by=fresh(world.other_expert), comment="No.")
    assert not Notification.objects.exists()
    assert mail.outbox == []
    assert not practice.reviews.filter(action=ReviewAction.RETURNED).exists()


def test_a_reviewer_who_chose_the_portal_gets_a_row_and_no_e_mail(
    world, django_capture_on_commit_callbacks
):
    preference_set(user=world.expert, kind="toolkits.practice_submitted", delivery=Delivery.PORTAL)
    practice = draft(world)
    with django_capture_on_commit_callbacks(execute=True):
        services.practice_submit(practice, by=fresh(world.officer))
    row = Notification.objects.get(recipient=world.expert)
    assert (row.delivery, row.emailed_at) == (Delivery.PORTAL, None)
    assert mailed() == [world.coordinator.email]


# PDFs -----------------------------------------------------------------------------------------


@pytest.fixture
def edition(world):
    toolkit = toolkit_with(world, [published(world)])
    edition = services.edition_publish(toolkit, by=fresh(world.expert), notes="First edition")
    Notification.objects.all().delete()
    return edition


def broken(*args, **kwargs):
    raise OSError("no room left for the fonts")


def test_a_pdf_tells_the_person_who_asked_that_it_is_ready(
    world, edition, django_capture_on_commit_callbacks
):
    rendering = render_edition(
        edition, django_capture_on_commit_callbacks, language="de", by=fresh(world.officer)
    )
    assert rendering.status == JobStatus.DONE
    assert told("toolkits.pdf_ready") == [world.officer.email]
    assert mailed() == [world.officer.email]
    row = Notification.objects.get()
    assert row.link == reverse("toolkits:rendering", kwargs={"pk": rendering.pk})
    assert row.about == rendering
    assert row.programme == "CITIES-GROW"
    assert row.params["pdf_language"] == "de"
    message = mail.outbox[0]
    assert "Buyers and suppliers, 1" in message.subject
    assert "is ready" in message.subject
    assert f"/renderings/{rendering.pk}/" in message.body


def test_a_pdf_a_visitor_asked_for_tells_nobody(world, edition, django_capture_on_commit_callbacks):
    rendering = render_edition(edition, django_capture_on_commit_callbacks, by=None)
    assert rendering.status == JobStatus.DONE
    assert not Notification.objects.exists()
    assert mail.outbox == []


def test_a_failed_pdf_says_why_and_a_successful_retry_says_it_is_ready(
    world, edition, django_capture_on_commit_callbacks, monkeypatch
):
    with monkeypatch.context() as patch:
        patch.setattr(renderer, "html_to_document", broken)
        rendering = render_edition(
            edition, django_capture_on_commit_callbacks, by=fresh(world.coordinator)
        )
    assert rendering.status == JobStatus.FAILED
    assert told("toolkits.pdf_failed") == [world.coordinator.email]
    row = Notification.objects.get(kind="toolkits.pdf_failed")
    assert "no room left for the fonts" in row.params["comment"]
    assert row.link == reverse("toolkits:rendering", kwargs={"pk": rendering.pk})
    assert mailed() == [world.coordinator.email]
    assert "could not be made" in mail.outbox[0].subject
    assert "no room left for the fonts" in mail.outbox[0].body
    assert not Notification.objects.filter(kind="toolkits.pdf_ready").exists()

    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        services.rendering_retry(rendering, by=None)
    rendering.refresh_from_db()
    assert (rendering.status, rendering.attempts) == (JobStatus.DONE, 2)
    assert told("toolkits.pdf_ready") == [world.coordinator.email]
    assert mailed() == [world.coordinator.email]


def test_a_redelivered_job_tells_nobody_twice(world, edition, django_capture_on_commit_callbacks):
    rendering = render_edition(edition, django_capture_on_commit_callbacks, by=fresh(world.officer))
    with django_capture_on_commit_callbacks(execute=True):
        render_pdf.delay(rendering.pk)  # the queue hands the finished job over again
    assert told("toolkits.pdf_ready") == [world.officer.email]
    assert len(mail.outbox) == 1


def test_a_pdf_redone_tells_the_coordinator_who_asked_for_it(
    world, edition, django_capture_on_commit_callbacks
):
    rendering = render_edition(edition, django_capture_on_commit_callbacks, by=None)
    with django_capture_on_commit_callbacks(execute=True):
        services.rendering_redo(rendering, by=fresh(world.coordinator))
    assert told("toolkits.pdf_ready") == [world.coordinator.email]


def test_who_chose_the_portal_for_pdfs_gets_a_row_and_no_e_mail(
    world, edition, django_capture_on_commit_callbacks
):
    preference_set(user=world.officer, kind="toolkits.pdf_ready", delivery=Delivery.PORTAL)
    render_edition(edition, django_capture_on_commit_callbacks, by=fresh(world.officer))
    row = Notification.objects.get(kind="toolkits.pdf_ready")
    assert (row.recipient_id, row.delivery, row.emailed_at) == (
        world.officer.pk,
        Delivery.PORTAL,
        None,
    )
    assert mail.outbox == []


def test_a_practice_pdf_tells_the_person_who_asked(world, django_capture_on_commit_callbacks):
    practice = published(world)
    Notification.objects.all().delete()
    with django_capture_on_commit_callbacks(execute=True):
        rendering = services.practice_rendering(
            practice, language="fr", by=fresh(world.other_officer)
        )
    assert Rendering.objects.get(pk=rendering.pk).status == JobStatus.DONE
    assert told("toolkits.pdf_ready") == [world.other_officer.email]
    row = Notification.objects.get()
    assert row.params["title"] == practice.title
    assert row.link == reverse("toolkits:rendering", kwargs={"pk": rendering.pk})
