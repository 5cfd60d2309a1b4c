"""Reads for matching: the facts about each mentor candidate, in one query however many cities."""

from django.db.models import Count, Exists, OuterRef, Q, QuerySet, Subquery
from django.db.models.functions import Coalesce

from cities.models import City
from mentoring.models import (
    FrameworkSignature,
    Pairing,
    PairingStatus,
    Participation,
    Programme,
    Scheme,
)
from mentoring.selectors.pairings import withdrawn_partners
from mentoring.services.pairings import ACTIVE_STATUSES
from toolkits.models import GoodPractice, PracticeStatus

from .ranking import Candidate, CityFacts


def implementing_facts(city: City) -> CityFacts:
    """The implementing city as the pure ranking sees it (no query)."""
    return CityFacts(
        city_id=city.pk,
        name=city.name,
        languages=tuple(city.languages or ()),
        latitude=float(city.latitude),
        longitude=float(city.longitude),
    )


def theme_schemes(scheme: Scheme) -> QuerySet:
    """The schemes on the same theme: this one, and any scheme of any programme that shares at
    least one commitment of this programme's framework with it (a subquery, not evaluated
    here). A programme without a framework shares nothing: only the scheme itself counts."""
    shared = scheme.commitments.filter(
        framework__programmes=scheme.programme_id, framework__isnull=False
    )
    return (
        Scheme.objects.filter(Q(pk=scheme.pk) | Q(commitments__in=shared)).values("pk").distinct()
    )


def published_practices_on_theme(scheme: Scheme) -> Coalesce:
    """The number of the candidate city's published good practices in the scheme's theme (this
    scheme or one sharing a commitment of its framework with it), as a subquery on the city: a
    join would multiply the pairing counts."""
    counted = (
        GoodPractice.objects.filter(
            city=OuterRef("pk"),
            status=PracticeStatus.PUBLISHED,
            scheme__in=theme_schemes(scheme),
        )
        .order_by()
        .values("city")
        .annotate(count=Count("pk"))
        .values("count")
    )
    return Coalesce(Subquery(counted), 0)


def mentor_candidates(*, scheme: Scheme, implementing: City) -> list[Candidate]:
    """The cities that could mentor the implementing city in the scheme, with their facts.

    Candidates take part in the scheme's programme; left out are the implementing city itself,
    any city already paired with it in this scheme (whatever the status), and any city whose
    pairing with it was withdrawn in any scheme of the programme. One query, with the counts as
    aggregates over the candidate's pairings as mentor and a subquery counting its published
    good practices.
    """
    completed = Q(pairings_as_mentor__status=PairingStatus.COMPLETED)
    # The programme's framework and whether the candidate signed it, as subqueries: when the
    # programme has none, the name is NULL and the ranking leaves the criterion out.
    framework_name = Subquery(
        Programme.objects.filter(pk=scheme.programme_id).values("framework__name")[:1]
    )
    signed = Exists(
        FrameworkSignature.objects.filter(
            city=OuterRef("pk"), framework__programmes=scheme.programme_id
        )
    )
    cities = (
        City.objects.filter(
            pk__in=Participation.objects.filter(programme_id=scheme.programme_id).values("city_id")
        )
        .exclude(pk=implementing.pk)
        .exclude(
            pk__in=Pairing.objects.filter(scheme=scheme, implementing=implementing).values(
                "mentor_id"
            )
        )
        .exclude(pk__in=withdrawn_partners(scheme=scheme, city=implementing))
        .annotate(
            completed_overall=Count("pairings_as_mentor", filter=completed),
            completed_on_theme=Count(
                "pairings_as_mentor",
                filter=completed & Q(pairings_as_mentor__scheme__in=theme_schemes(scheme)),
            ),
            good_practices_on_theme=published_practices_on_theme(scheme),
            signatory=signed,
            framework_name=framework_name,
            load=Count(
                "pairings_as_mentor",
                filter=Q(
                    pairings_as_mentor__scheme=scheme,
                    pairings_as_mentor__status__in=ACTIVE_STATUSES,
                ),
            ),
        )
        .order_by("name", "pk")
    )
    return [
        Candidate(
            city_id=city.pk,
            name=city.name,
            completed_on_theme=city.completed_on_theme,
            completed_overall=city.completed_overall,
            good_practices_on_theme=city.good_practices_on_theme,
            framework=city.framework_name,
            signatory=city.signatory,
            languages=tuple(city.languages or ()),
            load=city.load,
            capacity=scheme.mentor_capacity,
            latitude=float(city.latitude),
            longitude=float(city.longitude),
        )
        for city in cities
    ]
