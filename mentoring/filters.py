import django_filters
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from django_countries import countries

from cities.forms import CityNameField

from .models import Pairing, PairingStatus, Programme, Scheme


class CityNameFilter(django_filters.Filter):
    """A city typed by name (``cities.forms.CityNameField``), found as mentor or implementing."""

    field_class = CityNameField

    def filter(self, qs, value):
        if value is None:
            return qs
        return qs.filter(Q(mentor__in=value) | Q(implementing__in=value))


class PairingFilter(django_filters.FilterSet):
    programme = django_filters.ModelChoiceFilter(
        label=_("Programme"),
        field_name="scheme__programme",
        queryset=Programme.objects.none(),
        to_field_name="slug",
        empty_label=_("All programmes"),
    )
    scheme = django_filters.ModelChoiceFilter(
        label=_("Scheme"), queryset=Scheme.objects.none(), empty_label=_("All schemes")
    )
    status = django_filters.ChoiceFilter(
        label=_("Status"), choices=PairingStatus.choices, empty_label=_("Any status")
    )
    country = django_filters.ChoiceFilter(
        label=_("Country"), choices=countries, method="filter_country", empty_label=_("Any country")
    )
    city = CityNameFilter(label=_("City"), help_text=_("Mentor or implementing: part of its name."))
    ordering = django_filters.OrderingFilter(
        label=_("Sort by"),
        fields=(
            ("scheme__code", "scheme"),
            ("mentor__name", "mentor"),
            ("implementing__name", "implementing"),
            ("status", "status"),
            ("created_at", "created"),
        ),
        field_labels={
            "scheme__code": _("Scheme"),
            "mentor__name": _("Mentor city"),
            "implementing__name": _("Implementing city"),
            "status": _("Status"),
            "created_at": _("Created"),
        },
    )

    class Meta:
        model = Pairing
        fields = ["programme", "scheme", "status", "country", "city"]

    def __init__(self, *args, schemes, cities, programmes=None, suggest_url="", **kwargs):
        super().__init__(*args, **kwargs)
        if programmes is None or len(programmes) < 2:
            # One programme: nothing to choose.
            del self.filters["programme"]
        else:
            self.filters["programme"].queryset = Programme.objects.filter(
                pk__in=[p.pk for p in programmes]
            )
        self.filters["scheme"].queryset = schemes
        # Only the countries of the cities one may see: a dozen options rather than 249 (the
        # select of every country cost more than the rest of the page).
        present = set(cities.order_by().values_list("country", flat=True).distinct())
        self.filters["country"].extra["choices"] = [
            (country.code, country.name) for country in countries if country.code in present
        ]
        self.form.fields["city"].limit_to(cities, suggest_url=suggest_url)

    def filter_country(self, queryset, name, value):
        return queryset.filter(Q(mentor__country=value) | Q(implementing__country=value))
