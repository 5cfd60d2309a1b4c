from zoneinfo import ZoneInfo

from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from django_countries.fields import CountryField

from config.slugs import KeepsOldSlugs, OldSlug

from .timezones import suggest_time_zone, validate_time_zone


class City(KeepsOldSlugs):
    """A city that takes part in one or more programmes, as mentor, implementing city or both.
    Its old slugs keep leading to it (config.slugs)."""

    name = models.CharField(_("name"), max_length=120)
    slug = models.SlugField(_("slug"), max_length=120, unique=True)
    country = CountryField(_("country"))
    latitude = models.DecimalField(
        _("latitude"),
        max_digits=8,
        decimal_places=5,
        validators=[MinValueValidator(-90), MaxValueValidator(90)],
    )
    longitude = models.DecimalField(
        _("longitude"),
        max_digits=8,
        decimal_places=5,
        validators=[MinValueValidator(-180), MaxValueValidator(180)],
    )
    time_zone = models.CharField(
        _("time zone"),
        max_length=64,
        blank=True,
        validators=[validate_time_zone],
        help_text=_(
            "Where the city's clocks are, e.g. Asia/Seoul. Left empty, it is suggested from the "
            "country and the coordinates."
        ),
    )
    languages = models.JSONField(
        _("main languages"),
        default=list,
        blank=True,
        help_text=_("ISO 639-1 codes of the languages spoken in the city administration."),
    )
    integration_experience = models.TextField(_("integration experience"), blank=True)

    class Meta:
        verbose_name = _("city")
        verbose_name_plural = _("cities")
        ordering = ["name"]
        constraints = [
            models.UniqueConstraint(
                fields=["name", "country"], name="city_unique_name_per_country"
            ),
            models.CheckConstraint(
                condition=Q(latitude__gte=-90, latitude__lte=90), name="city_latitude_in_range"
            ),
            models.CheckConstraint(
                condition=Q(longitude__gte=-180, longitude__lte=180),
                name="city_longitude_in_range",
            ),
        ]

    def __str__(self) -> str:
        return self.name

    def get_absolute_url(self) -> str:
        return reverse("portal:city_detail", kwargs={"slug": self.slug})

    @property
    def zone(self) -> ZoneInfo:
        """The city's time zone; UTC until one is known."""
        return ZoneInfo(self.time_zone or "UTC")

    def clean(self) -> None:
        super().clean()
        self.suggest_time_zone()

    def save(self, *args, **kwargs) -> None:
        self.suggest_time_zone()
        super().save(*args, **kwargs)

    def suggest_time_zone(self) -> None:
        """Fill an empty time zone from the country and the coordinates."""
        if not self.time_zone and self.country:
            self.time_zone = suggest_time_zone(self.country.code, self.latitude, self.longitude)


class CityOldSlug(OldSlug):
    """A slug the city had before: addresses with it answer 301 to the current one."""

    owner = models.ForeignKey(
        City, on_delete=models.CASCADE, related_name="old_slugs", verbose_name=_("city")
    )

    class Meta:
        verbose_name = _("old city slug")
        verbose_name_plural = _("old city slugs")
        ordering = ["owner", "-retired_at"]
