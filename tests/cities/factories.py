from decimal import Decimal

import factory

from cities.models import City


class CityFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = City

    name = factory.Sequence(lambda n: f"City {n}")
    slug = factory.Sequence(lambda n: f"city-{n}")
    country = "BE"
    latitude = Decimal("50.85000")
    longitude = Decimal("4.35000")
    languages = factory.LazyFunction(lambda: ["nl", "fr"])
