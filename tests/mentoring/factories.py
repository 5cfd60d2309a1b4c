from datetime import date
from decimal import Decimal

import factory

from mentoring.models import (
    ExpertOrganisation,
    Pairing,
    PairingStatus,
    Participation,
    Programme,
    Scheme,
)
from mentoring.services.event_kinds import event_kinds_standard
from tests.cities.factories import CityFactory


class ProgrammeFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Programme
        skip_postgeneration_save = True

    name = factory.Sequence(lambda n: f"Programme {n}")
    slug = factory.Sequence(lambda n: f"programme-{n}")
    network = "EUROCITIES"
    starts_on = date(2016, 10, 1)
    ends_on = date(2018, 9, 30)
    budget = Decimal("650000.00")
    co_financing_rate = Decimal("0.1000")
    staff_days_allowance = 30

    # A programme starts with the standard event kinds, as programme_create gives them.
    kinds = factory.PostGeneration(
        lambda programme, create, extracted, **kwargs: (
            event_kinds_standard(programme=programme) if create else None
        )
    )


class ExpertOrganisationFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = ExpertOrganisation

    name = factory.Sequence(lambda n: f"Expert organisation {n}")


class SchemeFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Scheme

    programme = factory.SubFactory(ProgrammeFactory)
    code = factory.Sequence(lambda n: f"S{n}")
    theme = factory.Sequence(lambda n: f"Theme {n}")
    facilitator = factory.SubFactory(ExpertOrganisationFactory)


class ParticipationFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Participation

    programme = factory.SubFactory(ProgrammeFactory)
    city = factory.SubFactory(CityFactory)


class PairingFactory(factory.django.DjangoModelFactory):
    """A pairing whose two cities take part in the scheme's programme."""

    class Meta:
        model = Pairing
        skip_postgeneration_save = True

    scheme = factory.SubFactory(SchemeFactory)
    mentor = factory.SubFactory(CityFactory)
    implementing = factory.SubFactory(CityFactory)
    status = PairingStatus.ACTIVE

    @factory.post_generation
    def take_part(obj, create, extracted, **kwargs):
        if create:
            for city in (obj.mentor, obj.implementing):
                Participation.objects.get_or_create(programme=obj.scheme.programme, city=city)


def charter():
    """The Integrating Cities Charter framework (from its preset; made again if a transactional
    test emptied the database)."""
    from mentoring.services.frames import preset_framework

    return preset_framework("integrating-cities-charter")


def give_cities_grow_frame(programme: Programme) -> Programme:
    """CITIES-GROW's frame: the Charter and the demo's twelve target groups."""
    from toolkits.demo import TARGET_GROUPS
    from toolkits.models import TargetGroup

    programme.framework = charter()
    programme.save(update_fields=["framework"])
    for position, name in enumerate(TARGET_GROUPS):
        TargetGroup.objects.get_or_create(
            programme=programme, name=name, defaults={"position": position}
        )
    return programme
