"""Every app's e-mails are written in the recipient's language: one step of each app (and a
digest) told to a French or German reader, whose subject and body read in French or German
(the sentences of locale/fr and locale/de), and not in English."""

from dataclasses import dataclass
from datetime import UTC, date, datetime

import pytest
from django.core import mail

from accounts.models import User
from actionplans import services as plan_services
from mentoring.models import StandardEventKind
from mentoring.services.events import event_create
from mentoring.services.pairings import pairing_create
from notifications.models import Delivery, Notification
from notifications.services import preference_set, send_digests
from tests.actionplans.factories import build_plan_world, plan_at
from tests.actionplans.factories import fresh as fresh_plan_person
from tests.mentoring.event_factories import build_world, kind_of
from tests.mentoring.event_factories import fresh as fresh_mentoring_person
from tests.toolkits.factories import build_toolkit_world, draft, published
from tests.toolkits.factories import fresh as fresh_toolkit_person
from toolkits import services as toolkit_services

pytestmark = pytest.mark.django_db


@dataclass
class Case:
    """What a reader of ``language`` finds in the subject and the body, and the English they
    would have read instead."""

    language: str
    subject: list[str]
    body: list[str]
    english: list[str]


FOOTER = {
    "fr": "Modifier la façon dont vous en êtes informé, sans vous connecter",
    "de": "Ohne Anmeldung ändern, wie Sie hiervon erfahren:",
}
ENGLISH_FOOTER = "Change how you hear of this"


def speaking(person: User, language: str) -> User:
    User.objects.filter(pk=person.pk).update(language=language)
    return person


def pairing_proposed(language: str) -> User:
    world = build_world()
    reader = speaking(world["unrelated_officer"], language)
    pairing_create(
        scheme=world.scheme,
        mentor=world.mentor,
        implementing=world.unrelated,
        by=fresh_mentoring_person(world["coordinator"]),
    )
    return reader


def event_planned(language: str) -> User:
    world = build_world()
    reader = speaking(world["host_officer"], language)
    event_create(
        programme=world.programme,
        pairing=world.pairing,
        kind=kind_of(world.programme, StandardEventKind.MENTORING_VISIT),
        title="Second mentoring visit",
        host_city=world.implementing,
        starts_on=date(2018, 2, 6),
        ends_on=date(2018, 2, 8),
        venue="City hall",
        by=fresh_mentoring_person(world["coordinator"]),
    )
    return reader


def practice_published(language: str) -> User:
    world = build_toolkit_world()
    reader = speaking(world.officer, language)
    practice = draft(world)
    toolkit_services.practice_submit(practice, by=fresh_toolkit_person(world.officer))
    mail.outbox.clear()
    Notification.objects.all().delete()
    toolkit_services.practice_publish(practice, by=fresh_toolkit_person(world.coordinator))
    return reader


def plan_approved(language: str) -> User:
    world = build_plan_world()
    plan = plan_at(world, "resubmitted")
    reader = speaking(world.author, language)
    User.objects.filter(pk=world.colleague.pk).update(is_active=False)  # one reader only
    mail.outbox.clear()
    Notification.objects.all().delete()
    plan_services.plan_approve(plan, by=fresh_plan_person(world.supervisor), comment="Good.")
    return reader


def pdf_ready(language: str) -> User:
    """A practice's PDF in German, asked for by someone who reads French: the PDF's language is
    named in theirs."""
    world = build_toolkit_world()
    practice = published(world)
    reader = speaking(world.other_officer, language)
    mail.outbox.clear()
    Notification.objects.all().delete()
    toolkit_services.practice_rendering(
        practice, language="de", by=fresh_toolkit_person(world.other_officer)
    )
    return reader


def digest(language: str) -> User:
    """The practice's publication, which the author hears of in the morning's digest."""
    world = build_toolkit_world()
    reader = speaking(world.officer, language)
    User.objects.filter(pk=reader.pk).update(time_zone="Europe/Berlin")
    preference_set(user=reader, kind="toolkits.practice_published", delivery=Delivery.DIGEST)
    practice = draft(world)
    toolkit_services.practice_submit(practice, by=fresh_toolkit_person(world.officer))
    mail.outbox.clear()
    Notification.objects.all().delete()
    toolkit_services.practice_publish(practice, by=fresh_toolkit_person(world.coordinator))
    return reader


def send_the_digest() -> None:
    assert mail.outbox == []  # not at once
    Notification.objects.update(created_at=datetime(2026, 3, 10, 9, tzinfo=UTC))
    assert send_digests(datetime(2026, 3, 11, 9, tzinfo=UTC)) == 1


STEPS = {
    "pairing_proposed": (
        pairing_proposed,
        Case(
            "fr",
            subject=["Le jumelage", "est proposé dans le volet"],
            body=["serait la ville mentor de", "Ouvrir le jumelage", FOOTER["fr"]],
            english=["is proposed in scheme", "Open the pairing", ENGLISH_FOOTER],
        ),
    ),
    "event_planned": (
        event_planned,
        Case(
            "de",
            subject=["„Second mentoring visit“ soll am 6. Februar 2018 in", "beginnen"],
            body=["Veranstaltung öffnen", FOOTER["de"]],
            english=["is planned to begin", "February", "Open the event", ENGLISH_FOOTER],
        ),
    ),
    "practice_published": (
        practice_published,
        Case(
            "fr",
            subject=["Cora Coord a publié votre bonne pratique", "dans le catalogue"],
            body=["Ouvrir la pratique", FOOTER["fr"]],
            english=["has published your good practice", "Open the practice", ENGLISH_FOOTER],
        ),
    ),
    "plan_approved": (
        plan_approved,
        Case(
            "de",
            subject=["Sam Supervisor hat Ihren lokalen Aktionsplan", "genehmigt"],
            body=["Plan öffnen", FOOTER["de"]],
            english=["has approved your local action plan", "Open the plan", ENGLISH_FOOTER],
        ),
    ),
    "pdf_ready": (
        pdf_ready,
        Case(
            "fr",
            subject=["Le PDF de", "(Allemand) est prêt"],
            body=["Télécharger le PDF", FOOTER["fr"]],
            english=["is ready", "German", "Download the PDF", ENGLISH_FOOTER],
        ),
    ),
    "digest": (
        digest,
        Case(
            "de",
            subject=["Ihre Tandem-Zusammenfassung: 1 Benachrichtigungen"],
            body=[
                "Cora Coord hat Ihr Praxisbeispiel",
                "im Katalog veröffentlicht",
                "Diese Zusammenfassungen ohne Anmeldung abbestellen:",
            ],
            english=["Your Tandem digest", "has published", "Stop these digests"],
        ),
    ),
}


@pytest.mark.parametrize("step", list(STEPS))
def test_each_apps_email_is_in_the_readers_language(step, django_capture_on_commit_callbacks):
    take, case = STEPS[step]
    with django_capture_on_commit_callbacks(execute=True):
        reader = take(case.language)
    if step == "digest":
        send_the_digest()
    (message,) = [message for message in mail.outbox if message.to == [reader.email]]
    html = message.alternatives[0][0]
    for words in case.subject:
        assert words in message.subject, (words, message.subject)
    for words in case.body:
        assert words in message.body, (words, message.body)
    for words in case.english:
        assert words not in message.subject, (words, message.subject)
        assert words not in message.body, (words, message.body)
    assert f'lang="{case.language}"' in html
