from django.db import transaction

from config import stale
from config.slugs import settle_slug

from .models import City


def city_save(*, city: City, expected_version: str | None = None) -> City:
    """Create or update a city (name per country and coordinates are checked by full_clean).
    A new city that joins a programme at once is created by mentoring's
    ``city_create_in_programme``. A city changed since the page of ``expected_version`` was
    drawn is refused (``config.stale``). A slug typed in another script is transliterated;
    an empty one is made from the name (config.slugs)."""
    settle_slug(city, fallback="city")
    city.full_clean()
    with transaction.atomic():
        if city.pk:
            stale.locked(city, expected_version)
        city.save()
    return city
