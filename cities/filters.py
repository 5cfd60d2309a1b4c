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

    def __init__(self, *args, programmes=None, **kwargs):
        """``programmes``: the programmes to choose from (a queryset), for a person in several;
        the cities app knows programmes only by this relation (mentoring builds on cities)."""
        super().__init__(*args, **kwargs)
        if programmes is not None:
            self.filters = {
                "programme": django_filters.ModelChoiceFilter(
                    label=_("Programme"),
                    field_name="participations__programme",
                    queryset=programmes,
                    to_field_name="slug",
                    empty_label=_("All programmes"),
                    distinct=True,
                ),
                **self.filters,
            }
