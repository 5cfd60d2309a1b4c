"""The catalogue's search box and filters. Each list offers only what published practices have."""

import django_filters
from django import forms
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from cities.forms import CityNameField

from . import selectors
from .models import GoodPractice


class ThemeField(forms.ModelChoiceField):
    """A scheme named with its programme and code, since themes of programmes may look alike."""

    def label_from_instance(self, obj) -> str:
        return gettext("%(programme)s, %(code)s: %(theme)s") % {
            "programme": obj.programme.name,
            "code": obj.code,
            "theme": obj.theme,
        }


class ThemeFilter(django_filters.ModelChoiceFilter):
    field_class = ThemeField


class CommitmentField(forms.ModelChoiceField):
    """A commitment named with its framework's name: programmes may follow different ones."""

    def label_from_instance(self, obj) -> str:
        return f"{obj.framework.name}: {obj}"


class CommitmentFilter(django_filters.ModelChoiceFilter):
    field_class = CommitmentField


class TargetGroupField(forms.ModelChoiceField):
    """A target group named with its programme: each programme has its own list."""

    def label_from_instance(self, obj) -> str:
        return f"{obj.programme.name}: {obj.name}"


class TargetGroupFilter(django_filters.ModelChoiceFilter):
    field_class = TargetGroupField


class CityNameFilter(django_filters.Filter):
    """A city typed by name (``cities.forms.CityNameField``) rather than chosen among the
    hundreds with a published practice; the slug that links made when it was a select carry
    (``?city=gdansk``) names its city too."""

    field_class = CityNameField

    def filter(self, qs, value):
        return qs if value is None else qs.filter(city__in=value)


class YearFilter(django_filters.NumberFilter):
    field_class = forms.IntegerField


class PracticeFilter(django_filters.FilterSet):
    q = django_filters.CharFilter(
        label=_("Search"),
        method="filter_words",
        max_length=200,
        help_text=_("Words from the title, summary or text, or a city's name."),
        widget=forms.TextInput(attrs={"type": "search"}),
    )
    theme = ThemeFilter(
        label=_("Theme"),
        field_name="scheme",
        queryset=lambda request: selectors.themes_with_practices(),
        empty_label=_("Any theme"),
    )
    country = django_filters.ChoiceFilter(
        label=_("Country"), field_name="city__country", empty_label=_("Any country")
    )
    city = CityNameFilter(label=_("City"), help_text=_("Part of its name."))
    commitment = CommitmentFilter(
        label=_("Commitment"),
        field_name="commitments",
        queryset=lambda request: selectors.commitments_with_practices(),
        empty_label=_("Any commitment"),
    )
    target_group = TargetGroupFilter(
        label=_("Target group"),
        field_name="target_groups",
        queryset=lambda request: selectors.target_groups_with_practices(),
        empty_label=_("Any target group"),
    )
    year = YearFilter(
        label=_("Running in"),
        method="filter_year",
        min_value=1900,
        max_value=2100,
        help_text=_("A year, such as 2017."),
    )

    class Meta:
        model = GoodPractice
        fields = ["q", "theme", "country", "city", "commitment", "target_group", "year"]

    def __init__(self, *args, suggest_url: str = "", **kwargs):
        super().__init__(*args, **kwargs)
        # Read once: the form both validates and lists the choices.
        self.filters["country"].extra["choices"] = selectors.countries_with_practices()
        self.form.fields["city"].limit_to(
            selectors.cities_with_practices(), suggest_url=suggest_url
        )
        self.form.label_suffix = ""

    def filter_words(self, queryset, name, value):
        return selectors.search_practices(queryset, value)

    def filter_year(self, queryset, name, value):
        return selectors.running_in(queryset, value)
