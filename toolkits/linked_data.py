"""A published practice described for search engines: schema.org as JSON-LD on its page.

An Article about the practice, written by its city (a government organisation, located where the
city is), about its theme, its target groups and the commitments it serves; under the open
licence of its programme when the programme chose one."""

from datetime import UTC

from django.conf import settings

from .models import GoodPractice


def _absolute(path: str) -> str:
    return settings.SITE_URL.rstrip("/") + path


def _moment(value) -> str | None:
    return value.astimezone(UTC).isoformat() if value else None


def practice_json_ld(practice: GoodPractice) -> dict | None:
    """The description of a published practice (None for any other): reads only what the
    practice page loads already (city, scheme and programme, target groups, commitments)."""
    if not practice.is_published:
        return None
    city, scheme = practice.city, practice.scheme
    programme = scheme.programme
    place = {"@type": "Place", "name": city.name, "address": {"@type": "PostalAddress"}}
    place["address"]["addressCountry"] = city.country.code
    if city.latitude is not None and city.longitude is not None:
        place["geo"] = {
            "@type": "GeoCoordinates",
            "latitude": str(city.latitude),
            "longitude": str(city.longitude),
        }
    about = [{"@type": "Thing", "name": scheme.theme}]
    about += [{"@type": "Thing", "name": group.name} for group in practice.target_groups.all()]
    about += [{"@type": "Thing", "name": str(c)} for c in practice.commitments.all()]
    data = {
        "@context": "https://schema.org",
        "@type": "Article",
        "@id": _absolute(practice.get_absolute_url()),
        "url": _absolute(practice.get_absolute_url()),
        "name": practice.title,
        "headline": practice.title[:110],
        "description": practice.summary,
        "inLanguage": practice.language,
        "datePublished": _moment(practice.published_at),
        "dateModified": _moment(practice.updated_at),
        "author": {"@type": "GovernmentOrganization", "name": city.name, "location": place},
        "spatialCoverage": place,
        "about": about,
        "isPartOf": {"@type": "CreativeWorkSeries", "name": programme.name},
        "isAccessibleForFree": True,
    }
    if programme.network:
        data["publisher"] = {"@type": "Organization", "name": programme.network}
    if programme.licence is not None:
        data["license"] = programme.licence.url
    return {key: value for key, value in data.items() if value is not None}
