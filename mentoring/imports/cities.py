"""Cities into a programme: a city is found by its name in its country as everywhere else
(``cities.selectors.cities_called``: whatever the case, accents or script), updated where a
cell differs, and added to the programme where it did not take part yet."""

import re
from decimal import ROUND_HALF_UP, Decimal

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django_countries import countries

from cities.models import City
from cities.selectors import cities_called
from cities.services import city_save
from documents import imports
from documents.imports import Column

from ..models import Participation, Programme
from ..services import city_create_in_programme, participation_add
from .base import ProgrammeImport

PLACES = Decimal("0.00001")  # the coordinates' precision in the model


def country_code(text: str) -> str:
    """An ISO 3166 code, or a country's English name, as its code ("" when neither)."""
    text = text.strip()
    if len(text) == 2 and countries.alpha2(text.upper()):
        return text.upper()
    return countries.by_name(text) or ""


def coordinate(result: imports.RowResult, key: str) -> Decimal | None:
    text = result.values.get(key, "")
    if not text:
        return None
    try:
        return imports.parse_decimal(text).quantize(PLACES, rounding=ROUND_HALF_UP)
    except ValidationError as error:
        result.add_error(key, error.messages[0])
        return None


def languages(text: str) -> list[str]:
    return [code.lower() for code in re.split(r"[\s,;/]+", text) if code]


class CityImport(ProgrammeImport):
    key = "cities"
    label = gettext_lazy("Cities")
    description = gettext_lazy(
        "Each row is a city taking part in the programme. A city already in Tandem (the same "
        "name in the same country) is updated and added to the programme; an empty cell keeps "
        "what is there."
    )
    columns = [
        Column(
            "name",
            gettext_lazy("Name"),
            required=True,
            example="Gdańsk",
            help=gettext_lazy("The city's name in any script."),
        ),
        Column(
            "country",
            gettext_lazy("Country"),
            required=True,
            example="PL",
            help=gettext_lazy("The two-letter ISO 3166 code, e.g. PL, KR, ZA."),
        ),
        Column(
            "latitude",
            gettext_lazy("Latitude"),
            example="54.352",
            help=gettext_lazy("Decimal degrees, -90 to 90; needed for a new city."),
        ),
        Column(
            "longitude",
            gettext_lazy("Longitude"),
            example="18.6466",
            help=gettext_lazy("Decimal degrees, -180 to 180; needed for a new city."),
        ),
        Column(
            "time_zone",
            gettext_lazy("Time zone"),
            example="Europe/Warsaw",
            help=gettext_lazy("An IANA time zone such as Asia/Seoul; empty: suggested."),
        ),
        Column(
            "languages",
            gettext_lazy("Main languages"),
            example="pl",
            help=gettext_lazy("ISO 639-1 codes separated by commas, e.g. ca, es."),
        ),
        Column(
            "integration_experience",
            gettext_lazy("Integration experience"),
            example="",
            help=gettext_lazy("Free text."),
        ),
    ]

    def row(self, result, *, user, target: Programme) -> str:
        values = result.values
        code = country_code(values["country"])
        if not code:
            result.add_error(
                "country",
                _("“%(value)s” is not a country's ISO code (such as PL or KR).")
                % {"value": values["country"]},
            )
        latitude = coordinate(result, "latitude")
        longitude = coordinate(result, "longitude")
        self.refuse_if_errors(result)
        found = list(cities_called(City.objects.filter(country=code), values["name"])[:2])
        if len(found) > 1:
            result.add_error("name", _("Several cities in this country have this name."))
            self.refuse_if_errors(result)
        changes = {
            "latitude": latitude,
            "longitude": longitude,
            "time_zone": values.get("time_zone", "").strip() or None,
            "languages": languages(values["languages"]) if values.get("languages") else None,
            "integration_experience": values.get("integration_experience", "").strip() or None,
        }
        changes = {name: value for name, value in changes.items() if value is not None}
        if not found:
            for key in ("latitude", "longitude"):
                if key not in changes:
                    result.add_error(key, _("A new city needs its coordinates."))
            self.refuse_if_errors(result)
            city = City(name=values["name"].strip(), country=code, **changes)
            city_create_in_programme(city=city, programme=target)
            return imports.CREATE
        city = found[0]
        differs = {name for name, value in changes.items() if getattr(city, name) != value}
        taking_part = Participation.objects.filter(programme=target, city=city).exists()
        if not differs and taking_part:
            return imports.UNCHANGED
        if differs:
            for name in differs:
                setattr(city, name, changes[name])
            city_save(city=city)
        participation_add(programme=target, city=city)
        return imports.UPDATE

    def export(self, *, user, target: Programme):
        cities = City.objects.filter(participations__programme=target).order_by("name", "pk")
        return [
            {
                "name": city.name,
                "country": city.country.code,
                "latitude": imports.as_text(city.latitude),
                "longitude": imports.as_text(city.longitude),
                "time_zone": city.time_zone,
                "languages": ", ".join(city.languages),
                "integration_experience": city.integration_experience,
            }
            for city in cities
        ]
