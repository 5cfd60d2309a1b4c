"""Explained matching: rank the mentor candidates for an implementing city in a scheme.

Pure code: facts in, scores and their reasons out, no database. The selector
``matching.selectors.mentor_candidates`` gathers the facts; the coordinator's page shows
the ranking and turns a suggestion into a proposed pairing.

Every component of a score is a ``Reason`` with its points and a sentence a coordinator can check,
so the total is always the sum of the reasons shown. The weights below are the whole policy:

- Experience on the theme counts most, because a mentor city is there to pass on what it has
  already done: completed pairings on the theme (this scheme, or any scheme sharing a commitment
  of the programme's framework with it) and its published good practices in the theme.
- Mentoring on other themes counts a little: the city knows how a pairing works.
- Signatories of the programme's commitment framework (the Integrating Cities Charter for
  CITIES-GROW) have publicly committed to the standards the scheme serves. A programme without a
  framework leaves this criterion out altogether: no reason, no points.
- A shared language makes visits and calls work without interpreters.
- Short trips are cheaper and greener: up to 20 points at 0 km, falling linearly to 0 at
  3,000 km (about the widest span of a European programme).
- Spare capacity is preferred: every pairing the mentor already carries in the scheme costs a few
  points. A mentor at or over the scheme's capacity stays in the list, marked unavailable and
  pushed to the bottom, so that the coordinator sees why a strong city is not on top.
"""

from __future__ import annotations

import math
from collections.abc import Iterable
from dataclasses import dataclass

from django.utils.formats import number_format
from django.utils.functional import Promise
from django.utils.translation import gettext, ngettext
from django.utils.translation import gettext_lazy as _

EARTH_RADIUS_KM = 6371.0088  # the mean Earth radius (IUGG)

# Weights -----------------------------------------------------------------------------------------

THEME_PAIRING_POINTS = 20  # per completed pairing on the theme ...
THEME_PAIRING_CAP = 3  # ... counting at most this many
GOOD_PRACTICE_POINTS = 8  # per published good practice in the theme ...
GOOD_PRACTICE_CAP = 5  # ... counting at most this many
OTHER_PAIRING_POINTS = 5  # per completed pairing as mentor on another theme ...
OTHER_PAIRING_CAP = 3  # ... counting at most this many
SIGNATORY_POINTS = 10
SHARED_LANGUAGE_POINTS = 15  # one language in common is enough to work together
DISTANCE_MAX_POINTS = 20  # for a trip of 0 km ...
DISTANCE_ZERO_KM = 3000  # ... falling linearly to 0 points at this distance and beyond
LOAD_POINTS_PER_PAIRING = -5  # per proposed or active pairing the mentor has in the scheme
FULL_CAPACITY_POINTS = -1000  # at or over capacity: listed, unavailable, always below the others

# Reason labels -----------------------------------------------------------------------------------

THEME_PAIRINGS = _("Pairings on the theme")
GOOD_PRACTICES = _("Good practices on the theme")
OTHER_PAIRINGS = _("Mentoring on other themes")
LANGUAGES = _("Shared languages")
DISTANCE = _("Travel distance")
LOAD = _("Current load")


@dataclass(frozen=True)
class CityFacts:
    """What the ranking needs to know about the implementing city."""

    city_id: int
    name: str
    languages: tuple[str, ...]
    latitude: float
    longitude: float


@dataclass(frozen=True)
class Candidate:
    """The facts about one mentor candidate for a scheme."""

    city_id: int
    name: str
    completed_on_theme: int  # completed pairings as mentor on the scheme's theme
    completed_overall: int  # completed pairings as mentor in any scheme
    good_practices_on_theme: int  # published good practices in the scheme's theme
    framework: str | None  # the name of the programme's commitment framework, if it has one
    signatory: bool  # signed that framework
    languages: tuple[str, ...]
    load: int  # proposed and active pairings as mentor in this scheme
    capacity: int  # the scheme's pairings per mentor city
    latitude: float
    longitude: float

    @property
    def available(self) -> bool:
        return self.load < self.capacity


@dataclass(frozen=True)
class Reason:
    label: str | Promise
    points: int
    detail: str

    @property
    def signed_points(self) -> str:
        """The points with their sign, as shown beside the reason: "+20", "-5", "0"."""
        return f"{self.points:+d}" if self.points else "0"


@dataclass(frozen=True)
class Suggestion:
    candidate: Candidate
    score: int
    reasons: tuple[Reason, ...]
    distance_km: float

    @property
    def available(self) -> bool:
        return self.candidate.available

    @property
    def city_id(self) -> int:
        return self.candidate.city_id

    @property
    def name(self) -> str:
        return self.candidate.name


def haversine_km(lat1: float, lon1: float, lat2: float, lon2: float) -> float:
    """Great-circle distance in km between two points given in decimal degrees."""
    phi1, phi2 = math.radians(lat1), math.radians(lat2)
    d_phi = phi2 - phi1
    d_lambda = math.radians(lon2 - lon1)
    h = math.sin(d_phi / 2) ** 2 + math.cos(phi1) * math.cos(phi2) * math.sin(d_lambda / 2) ** 2
    return 2 * EARTH_RADIUS_KM * math.asin(min(1.0, math.sqrt(h)))


def _round_half_up(value: float) -> int:
    return math.floor(value + 0.5)


def _capped(count: int, cap: int) -> int:
    return max(0, min(count, cap))


def _theme_pairings(candidate: Candidate) -> Reason:
    count = candidate.completed_on_theme
    if count:
        detail = ngettext(
            "%(count)s completed pairing as mentor on this theme",
            "%(count)s completed pairings as mentor on this theme",
            count,
        ) % {"count": count}
    else:
        detail = gettext("No completed pairing as mentor on this theme yet")
    return Reason(THEME_PAIRINGS, THEME_PAIRING_POINTS * _capped(count, THEME_PAIRING_CAP), detail)


def _good_practices(candidate: Candidate) -> Reason:
    count = candidate.good_practices_on_theme
    if count:
        detail = ngettext(
            "%(count)s published good practice in this theme",
            "%(count)s published good practices in this theme",
            count,
        ) % {"count": count}
    else:
        detail = gettext("No published good practice in this theme")
    return Reason(GOOD_PRACTICES, GOOD_PRACTICE_POINTS * _capped(count, GOOD_PRACTICE_CAP), detail)


def _other_pairings(candidate: Candidate) -> Reason:
    # Pairings on the theme are counted above; only the others count here.
    count = max(0, candidate.completed_overall - candidate.completed_on_theme)
    if count:
        detail = ngettext(
            "%(count)s completed pairing as mentor on other themes",
            "%(count)s completed pairings as mentor on other themes",
            count,
        ) % {"count": count}
    else:
        detail = gettext("No completed pairing as mentor on other themes")
    return Reason(OTHER_PAIRINGS, OTHER_PAIRING_POINTS * _capped(count, OTHER_PAIRING_CAP), detail)


def _signature(candidate: Candidate) -> Reason | None:
    """Only where the programme has a framework; otherwise there is nothing to say."""
    if candidate.framework is None:
        return None
    names = {"framework": candidate.framework}
    if candidate.signatory:
        return Reason(
            candidate.framework, SIGNATORY_POINTS, gettext("Signed the %(framework)s") % names
        )
    return Reason(candidate.framework, 0, gettext("Has not signed the %(framework)s") % names)


def _normalised(languages: Iterable[str]) -> set[str]:
    return {code.strip().lower() for code in languages if code and code.strip()}


def _languages(candidate: Candidate, implementing: CityFacts) -> Reason:
    shared = sorted(_normalised(candidate.languages) & _normalised(implementing.languages))
    if shared:
        detail = gettext("Speaks %(languages)s with %(city)s") % {
            "languages": ", ".join(shared),
            "city": implementing.name,
        }
        return Reason(LANGUAGES, SHARED_LANGUAGE_POINTS, detail)
    detail = gettext("No language in common with %(city)s") % {"city": implementing.name}
    return Reason(LANGUAGES, 0, detail)


def _distance(distance_km: float, implementing: CityFacts) -> Reason:
    share_left = max(0.0, 1 - distance_km / DISTANCE_ZERO_KM)
    points = _round_half_up(DISTANCE_MAX_POINTS * share_left)
    km = number_format(_round_half_up(distance_km), decimal_pos=0, force_grouping=True)
    detail = gettext("%(km)s km from %(city)s") % {"km": km, "city": implementing.name}
    return Reason(DISTANCE, points, detail)


def _load(candidate: Candidate) -> Reason:
    taken = gettext("%(load)s of %(capacity)s places taken") % {
        "load": candidate.load,
        "capacity": candidate.capacity,
    }
    if not candidate.available:
        detail = gettext("%(taken)s: no place left in this scheme") % {"taken": taken}
        return Reason(LOAD, FULL_CAPACITY_POINTS, detail)
    return Reason(LOAD, LOAD_POINTS_PER_PAIRING * candidate.load, taken)


def score(candidate: Candidate, implementing: CityFacts) -> Suggestion:
    """The candidate's score for the implementing city, with one reason per component."""
    distance_km = haversine_km(
        candidate.latitude, candidate.longitude, implementing.latitude, implementing.longitude
    )
    reasons = tuple(
        reason
        for reason in (
            _theme_pairings(candidate),
            _good_practices(candidate),
            _other_pairings(candidate),
            _signature(candidate),
            _languages(candidate, implementing),
            _distance(distance_km, implementing),
            _load(candidate),
        )
        if reason is not None
    )
    return Suggestion(
        candidate=candidate,
        score=sum(reason.points for reason in reasons),
        reasons=reasons,
        distance_km=distance_km,
    )


def rank(candidates: Iterable[Candidate], implementing: CityFacts) -> list[Suggestion]:
    """Best first: highest score, then the shorter trip, then the name."""
    suggestions = [score(candidate, implementing) for candidate in candidates]
    return sorted(
        suggestions,
        key=lambda s: (-s.score, s.distance_km, s.name.casefold(), s.city_id),
    )
