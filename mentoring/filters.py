import django_filters
from django.db.models import Q, QuerySet
from django.utils.translation import gettext_lazy as _
from django_countries import countries
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import extend_schema_field

from cities.filters import CityFilter
from cities.forms import CityNameField

from .models import CommitmentFramework, EventReport, Pairing, PairingStatus, Programme, Scheme


@extend_schema_field(OpenApiTypes.STR)
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

    def filter_country(self, queryset: QuerySet, name: str, value: str) -> QuerySet:
        return queryset.filter(Q(mentor__country=value) | Q(implementing__country=value))


class CityListFilter(CityFilter):
    """The city filters, and which commitment framework a city signed (mentoring's)."""

    signed = django_filters.ModelChoiceFilter(
        label=_("Signed"),
        field_name="framework_signatures__framework",
        queryset=CommitmentFramework.objects.order_by("name"),
        empty_label=_("Any framework or none"),
    )

    class Meta(CityFilter.Meta):
        fields = [*CityFilter.Meta.fields, "signed"]


class ReportFilter(django_filters.FilterSet):
    """The API's filters of visit reports: an event's, or a programme's (by its slug, as the
    lists name programmes)."""

    event = django_filters.NumberFilter(label=_("Event"), field_name="event_id")
    programme = django_filters.CharFilter(
        label=_("Programme"), field_name="event__programme__slug", help_text=_("Its slug.")
    )

    class Meta:
        model = EventReport
        fields = ["event", "programme"]


class SchemeFilter(django_filters.FilterSet):
    """The API's filter of schemes: a programme's, by its slug, as the lists name programmes."""

    programme = django_filters.CharFilter(
        label=_("Programme"), field_name="programme__slug", help_text=_("Its slug.")
    )

    class Meta:
        model = Scheme
        fields = ["programme"]
