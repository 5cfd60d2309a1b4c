"""Claims' share of a person's data: the steps they took on claims (their signatures, with the
network address they signed from), the expenditure lines they entered, the lines they checked as
a controller, and their control assignments.

Nothing is erased: a claim and its verification are the programme's accounting records, kept for
its audits. The person's name goes with their account (accounts.privacy), and the claim's
records keep the anonymised account."""

from typing import Any

from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from accounts.models import User
from accounts.privacy import PersonalDataPart, Row, register

from .models import ClaimLine, ClaimLog, ControlAssignment


def export(person: User) -> dict[str, Any]:
    return {
        "claim_steps": [
            {
                "claim": str(entry.claim),
                "action": entry.action,
                "at": entry.at,
                "comment": entry.comment,
                "ip_address": entry.ip_address,
            }
            for entry in ClaimLog.objects.filter(actor=person)
            .select_related("claim__city", "claim__period")
            .order_by("at", "pk")
        ],
        "claim_lines_entered": [
            {
                "claim": str(line.claim),
                "category": line.category,
                "supplier": line.supplier,
                "invoice_number": line.invoice_number,
                "description": line.description,
                "entered_at": line.created_at,
            }
            for line in ClaimLine.objects.filter(created_by=person)
            .select_related("claim__city", "claim__period")
            .order_by("created_at", "pk")
        ],
        "claim_lines_checked": [
            {
                "claim": str(line.claim),
                "line": str(line),
                "deducted": line.deducted,
                "error_type": line.error_type,
                "comment": line.control_comment,
                "checked_at": line.verified_at,
            }
            for line in ClaimLine.objects.filter(verified_by=person)
            .select_related("claim__city", "claim__period", "person")
            .order_by("verified_at", "pk")
        ],
        "control_assignments": [
            {
                "programme": a.programme.name,
                "city": a.city.name,
                "period": str(a.period),
                "from": a.starts_on,
                "until": a.ends_on,
            }
            for a in ControlAssignment.objects.filter(controller=person)
            .select_related("programme", "city", "period")
            .order_by("starts_on", "pk")
        ],
    }


def programmes(person: User, *, city_ids: set[int]) -> set[int]:
    ids = set(ClaimLog.objects.filter(actor=person).values_list("claim__programme_id", flat=True))
    ids |= set(
        ControlAssignment.objects.filter(controller=person).values_list("programme_id", flat=True)
    )
    return ids


def kept(person: User) -> dict[str, int]:
    return {
        "claim_steps": ClaimLog.objects.filter(actor=person).count(),
        "claim_lines": ClaimLine.objects.filter(
            Q(created_by=person) | Q(verified_by=person) | Q(person=person)
        ).count(),
        "control_assignments": ControlAssignment.objects.filter(controller=person).count(),
    }


register(
    PersonalDataPart(
        name="claims",
        order=15,
        export=export,
        programmes=programmes,
        kept=kept,
        kept_rows=(
            Row("claim_steps", _("Their signatures and steps on claims"), 41),
            Row("claim_lines", _("Claim lines they entered, checked or that cost their time"), 42),
            Row("control_assignments", _("Their control assignments"), 43),
        ),
    )
)
