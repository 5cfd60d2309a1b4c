"""The content of a practice or a toolkit as plain data, and the checksum of what a PDF holds.

A toolkit edition keeps the snapshot taken when it was published; a practice's PDF is made from
its snapshot of the moment. The checksum covers the snapshot, the language of the PDF's labels
and the version of the templates, so equal content is rendered once and any change to it makes
a new rendering.
"""

import hashlib
import json

from .models import GoodPractice, Toolkit

# Raise when the PDF templates change in a way that should render every edition again.
RENDERER_VERSION = 1


def practice_snapshot(practice: GoodPractice) -> dict:
    """Everything a PDF shows of a practice. Expects target_groups, commitments and images
    prefetched when called for many practices."""
    return {
        "id": practice.pk,
        "slug": practice.slug,
        "title": practice.title,
        "city": practice.city.name,
        "country": str(practice.city.country.code),
        "scheme": practice.scheme.code,
        "theme": practice.scheme.theme,
        "partners": practice.partner_list(),
        "summary": practice.summary,
        "challenge": practice.challenge,
        "actions": practice.actions,
        "target_groups": [group.name for group in practice.target_groups.all()],
        "results": practice.results,
        "resources": practice.resources,
        "budget": None if practice.budget is None else str(practice.budget),
        "eu_contribution": (
            None if practice.eu_contribution is None else str(practice.eu_contribution)
        ),
        "currency": practice.currency,
        "started_on": practice.started_on.isoformat(),
        "ended_on": practice.ended_on.isoformat() if practice.ended_on else None,
        "transferability": practice.transferability,
        "contact_name": practice.contact_name,
        "contact_email": practice.contact_email,
        "links": practice.link_list(),
        "framework": _framework_name(practice),
        "commitments": [str(commitment) for commitment in practice.commitments.all()],
        "language": practice.language,
        "images": [
            {"name": image.image.name, "alt": image.alt_text, "caption": image.caption}
            for image in practice.images.all()
        ],
    }


def _framework_name(practice: GoodPractice) -> str:
    """The name of the framework the practice's commitments belong to (its programme's)."""
    commitments = list(practice.commitments.all())
    return commitments[0].framework.name if commitments else ""


def published_entries(toolkit: Toolkit):
    """The toolkit's published practices in their order, with what a snapshot reads."""
    return (
        toolkit.entries.filter(practice__status="published")
        .select_related("practice__city", "practice__scheme")
        .prefetch_related(
            "practice__target_groups", "practice__commitments__framework", "practice__images"
        )
        .order_by("position", "pk")
    )


def toolkit_snapshot(toolkit: Toolkit) -> dict:
    scheme = toolkit.scheme
    return {
        "title": toolkit.title,
        "slug": toolkit.slug,
        "language": toolkit.language,
        "programme": scheme.programme.name,
        "network": scheme.programme.network,
        "scheme": scheme.code,
        "theme": scheme.theme,
        "introduction": toolkit.introduction,
        "success_factors": [
            {"name": factor.name, "description": factor.description}
            for factor in toolkit.success_factors.all()
        ],
        "practices": [practice_snapshot(entry.practice) for entry in published_entries(toolkit)],
    }


def checksum(data: dict) -> str:
    encoded = json.dumps(data, sort_keys=True, ensure_ascii=False, separators=(",", ":"))
    return hashlib.sha256(encoded.encode()).hexdigest()


def rendering_hash(kind: str, snapshot_hash: str, language: str) -> str:
    """The checksum of one PDF: what it shows, in which language, by which templates."""
    return checksum(
        {"kind": kind, "content": snapshot_hash, "language": language, "v": RENDERER_VERSION}
    )
