"""The PDF of one version of an action plan, as the Celery job builds it.

``produce_pdf`` is what ``tasks.build_plan_pdf`` runs (through ``documents.jobs.run``). The content
is the version's frozen snapshot (never the plan as it reads now) and the labels are in the PDF's
language; the job runner stores the file whole before it attaches it to the job, with the
outcome, in one transaction: a build that dies half-way leaves the job as it was, and running it
again starts over.

Its one time, the submission, is written in the implementing city's zone (the plan is that
city's, and reads the same for whoever downloads it), and the PDF names the zone.
"""

from collections import Counter
from datetime import date
from decimal import Decimal

from django.utils import translation
from django.utils.translation import gettext as _

from config import clock
from config.slugs import slug_from
from documents import jobs
from documents.pdf import html_to_pdf, render_html

from .models import (
    ActionStatus,
    IndicatorKind,
    Level,
    PlanPdf,
    PlanVersion,
    Section,
    Sector,
    Stage,
    Transition,
)

TEMPLATE = "actionplans/pdf/version.html"
PDF_TYPE = "application/pdf"

Progress = jobs.Progress


def produce_pdf(pdf: PlanPdf, *, progress: Progress) -> jobs.Produced:
    """Make the version's PDF, for the job runner to store and attach."""
    with translation.override(pdf.language):
        progress(1, _("Collecting the content"))
        version = PlanVersion.objects.select_related(
            "plan__pairing__scheme__programme",
            "plan__pairing__mentor",
            "plan__pairing__implementing",
        ).get(pk=pdf.version_id)
        context = version_context(version)
        progress(10, _("Building the pages"))
        html = render_html(TEMPLATE, context, language=pdf.language)
        progress(20, _("Laying out and writing the pages"))
        body = html_to_pdf(html)
        progress(90, _("Storing the PDF"))
        return jobs.Produced(
            files={"pdf": jobs.Output(body, filename(version, pdf.language), PDF_TYPE)},
            note=_("The PDF is ready."),
        )


def filename(version: PlanVersion, language: str) -> str:
    """E.g. gdansk-action-plan-v2-en.pdf (ASCII: safe in every browser)."""
    city = version.plan.pairing.implementing
    slug = getattr(city, "slug", "") or slug_from(city.name) or "city"
    return f"{slug}-action-plan-v{version.number}-{language}.pdf"


# What goes into the template --------------------------------------------------------------------


def version_context(version: PlanVersion) -> dict:
    snapshot = version.snapshot
    plan = version.plan
    pairing = plan.pairing
    step = Transition.objects.filter(version=version).order_by("at", "pk").only("to_stage").first()
    comments = Counter(version.comments.values_list("section", flat=True))
    return {
        "title": snapshot.get("title") or plan.title,
        "author": pairing.implementing.name,
        "pairing": {
            "programme": pairing.scheme.programme.name,
            "network": pairing.scheme.programme.network,
            "currency": pairing.scheme.programme.currency,
            "scheme_code": pairing.scheme.code,
            "scheme_theme": pairing.scheme.theme,
            "mentor": pairing.mentor.name,
            "implementing": pairing.implementing.name,
        },
        "version": {
            "number": version.number,
            "submitted_at": version.submitted_at,
        },
        "zone": clock.zone_or_default(pairing.implementing.time_zone),
        "stage": _label(Stage, step.to_stage) if step else "",
        "context": snapshot.get("context", ""),
        "objectives": snapshot.get("objectives", ""),
        "actions": [
            {
                **action,
                "starts_on": _date(action.get("starts_on")),
                "ends_on": _date(action.get("ends_on")),
                "cost": _decimal(action.get("cost")),
                "status_label": _label(ActionStatus, action.get("status")),
                "partner_lines": [
                    line.strip()
                    for line in (action.get("partners") or "").splitlines()
                    if line.strip()
                ],
            }
            for action in snapshot.get("actions", [])
        ],
        "indicators": [
            {
                **indicator,
                "kind_label": _label(IndicatorKind, indicator.get("kind")),
                "baseline": _decimal(indicator.get("baseline")),
                "target": _decimal(indicator.get("target")),
            }
            for indicator in snapshot.get("indicators", [])
        ],
        "risks": [
            {
                **risk,
                "likelihood_label": _label(Level, risk.get("likelihood")),
                "impact_label": _label(Level, risk.get("impact")),
            }
            for risk in snapshot.get("risks", [])
        ],
        "local_group": [
            {**member, "sector_label": _label(Sector, member.get("sector"))}
            for member in snapshot.get("local_group", [])
        ],
        "comments": {section.value: comments.get(section.value, 0) for section in Section},
    }


def _label(choices, value) -> str:
    try:
        return str(choices(value).label)
    except ValueError:  # a code a later vocabulary no longer has
        return str(value or "")


def _decimal(value: str | None) -> Decimal | None:
    return None if value in (None, "") else Decimal(value)


def _date(value: str | None) -> date | None:
    return date.fromisoformat(value) if value else None
