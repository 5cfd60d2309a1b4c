"""The read API's representation of a city (``config.api``). Which cities a person sees is a
matter of the programmes they take part in, so the endpoint itself is mentoring's
(``mentoring.api.CityViewSet``), which builds on cities."""

from rest_framework import serializers

from config.api import DecimalText

from .models import City


class CitySerializer(serializers.ModelSerializer):
    country = serializers.CharField(source="country.code", help_text="ISO 3166-1 alpha-2 code")
    latitude = DecimalText()
    longitude = DecimalText()
    languages = serializers.ListField(child=serializers.CharField(), help_text="ISO 639-1 codes")

    class Meta:
        model = City
        fields = [
            "id",
            "slug",
            "name",
            "country",
            "latitude",
            "longitude",
            "time_zone",
            "languages",
        ]


class CityRefSerializer(serializers.ModelSerializer):
    """A city named inside another object."""

    class Meta:
        model = City
        fields = ["id", "slug", "name"]
