"""Toolkits' share of a person's data: the good practices they wrote or that name them as contact,
and their review steps. The contact details are erased; the practices and reviews are the
programme's shared work and stay."""

from typing import Any

from django.utils.translation import gettext_lazy as _

from accounts.models import User
from accounts.privacy import PersonalDataPart, Row, register

from .models import GoodPractice, PracticeReview


def export(person: User) -> dict[str, Any]:
    return {
        "good_practices_authored": [
            {
                "title": p.title,
                "status": p.status,
                "created_at": p.created_at,
                "published_at": p.published_at,
                "contact_name": p.contact_name,
                "contact_email": p.contact_email,
            }
            for p in GoodPractice.objects.filter(author=person).order_by("created_at", "pk")
        ],
        "practice_reviews": [
            {"practice": r.practice.title, "action": r.action, "at": r.at, "comment": r.comment}
            for r in PracticeReview.objects.filter(by=person)
            .select_related("practice")
            .order_by("at", "pk")
        ],
    }


def deleted(person: User) -> dict[str, int]:
    return {
        "practice_contacts": GoodPractice.objects.filter(
            contact_email__iexact=person.email
        ).count(),
    }


def kept(person: User) -> dict[str, int]:
    return {
        "good_practices": GoodPractice.objects.filter(author=person).count(),
        "practice_reviews": PracticeReview.objects.filter(by=person).count(),
    }


def erase(person: User, *, old_email: str) -> None:
    GoodPractice.objects.filter(contact_email__iexact=old_email).update(
        contact_name="", contact_email=""
    )


register(
    PersonalDataPart(
        name="toolkits",
        order=30,
        export=export,
        deleted=deleted,
        kept=kept,
        erase=erase,
        deleted_rows=(
            Row(
                "practice_contacts",
                _("Good practices naming them as contact (the contact is removed)"),
                90,
            ),
        ),
        kept_rows=(
            Row("good_practices", _("Good practices they wrote"), 70),
            Row("practice_reviews", _("Review steps on good practices"), 80),
        ),
    )
)
