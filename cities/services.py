from django.db import transaction

from .models import City


def city_save(*, city: City, programme=None) -> City:
    """Create or update a city (name per country and coordinates are checked by full_clean),
    and let it take part in a programme when one is given."""
    from mentoring.services import participation_add

    city.full_clean()
    with transaction.atomic():
        city.save()
        if programme is not None:
            participation_add(programme=programme, city=city)
    return city
