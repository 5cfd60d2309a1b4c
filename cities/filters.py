import django_filters
from django.utils.translation import gettext_lazy as _
from django_countries import countries

from .models import City


class CityFilter(django_filters.FilterSet):
    q = django_filters.CharFilter(label=_("Name"), field_name="name", lookup_expr="icontains")
    country = django_filters.ChoiceFilter(
        label=_("Country"), choices=countries, empty_label=_("Any country")
    )
    ordering = django_filters.OrderingFilter(
        label=_("Sort by"),
        fields=(("name", "name"), ("country", "country")),
        field_labels={"name": _("City"), "country": _("Country")},
    )

    class Meta:
        model = City
        fields = ["q", "country"]
