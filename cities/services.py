from django.db import transaction

from .models import City


def city_save(*, city: City) -> City:
    """Create or update a city (name per country and coordinates are checked by full_clean).
    A new city that joins a programme at once is created by mentoring's
    ``city_create_in_programme``."""
    city.full_clean()
    with transaction.atomic():
        city.save()
    return city
