import re

from django import forms
from django.db.models import QuerySet
from django.utils.translation import gettext_lazy as _

from config.named_choice import NamedChoiceField
from config.slugs import SlugFromNameForm

from .models import City
from .selectors import cities_called, cities_matching, cities_named, city_labels, labels_among
from .timezones import time_zone_names

LANGUAGE_CODE = re.compile(r"^[a-z]{2,3}$")


class CityForm(SlugFromNameForm, forms.ModelForm):
    languages = forms.CharField(
        label=_("Main languages"),
        required=False,
        help_text=_("ISO 639-1 codes separated by commas, for example: fi, sv"),
    )

    class Meta:
        model = City
        fields = [
            "name",
            "slug",
            "country",
            "latitude",
            "longitude",
            "time_zone",
            "languages",
            "integration_experience",
        ]
        widgets = {
            "integration_experience": forms.Textarea(attrs={"rows": 4}),
        }

    def __init__(self, *args, programmes=None, **kwargs):
        super().__init__(*args, **kwargs)
        zones = list(time_zone_names())
        if self.instance.time_zone and self.instance.time_zone not in zones:
            zones.append(self.instance.time_zone)
        self.fields["time_zone"].widget = forms.Select(
            choices=[("", _("Suggest from the country and the coordinates"))]
            + [(zone, zone.replace("_", " ")) for zone in zones]
        )
        if programmes is not None:
            # A new city joins one of the person's programmes at once, so that it is visible.
            self.fields["programme"] = forms.ModelChoiceField(
                label=_("Takes part in"), queryset=programmes
            )
        if self.instance.pk and not self.is_bound:
            self.initial["languages"] = ", ".join(self.instance.languages)

    def clean_languages(self) -> list[str]:
        codes = [c.strip().lower() for c in self.cleaned_data["languages"].split(",") if c.strip()]
        wrong = [c for c in codes if not LANGUAGE_CODE.match(c)]
        if wrong:
            raise forms.ValidationError(
                _("Not a language code: %(codes)s. Use two-letter codes such as nl or el.")
                % {"codes": ", ".join(wrong)}
            )
        return list(dict.fromkeys(codes))


class CityNameField(forms.CharField):
    """A city typed by (part of) its name, where a select would list hundreds of them: it cleans
    to the ids of the cities among ``cities`` that the text names (``cities_named``), read in
    one query, or None when left empty. (The list's own queries then compare numbers: as a
    subquery repeated for each column it filters, the search cost the event list 20 ms of SQL
    more than the numbers do at 5,000 events.) A page without JavaScript sends the text; with it,
    ``static/js/name-suggest.js`` offers the names that the form's ``suggest_url`` answers as
    one types (``limit_to``).

    A number is a city's id, as links made when the filter was a select carry (``?city=12``):
    it finds that city among ``cities`` (one query), which the box then shows by name; a number
    outside them is refused with a message by the field.
    """

    widget = forms.SearchInput

    def __init__(self, **kwargs):
        kwargs.setdefault("max_length", 120)
        kwargs.setdefault("required", False)
        super().__init__(**kwargs)
        self.cities: QuerySet = City.objects.none()
        self.shown: dict[str, str] = {}

    def limit_to(self, cities: QuerySet, *, suggest_url: str = "") -> None:
        """Search among ``cities`` (those the person may see), and have the box suggest names
        from ``suggest_url``, which must answer from the same cities."""
        self.cities = cities
        if suggest_url:
            self.widget.attrs.update({"data-suggest": suggest_url, "autocomplete": "off"})

    def __deepcopy__(self, memo):
        field = super().__deepcopy__(memo)
        field.shown = {}  # what one form resolved is never shown on another's
        return field

    def clean(self, value):
        text = super().clean(value)
        if not text:
            return None
        if text.isascii() and text.isdigit():
            city = self.cities.filter(pk=int(text)).first() if int(text) < 2**31 else None
            if city is None:
                raise forms.ValidationError(
                    _(
                        "None of the cities you can see has the number %(number)s; type its "
                        "name instead."
                    ),
                    code="invalid_choice",
                    params={"number": text},
                )
            self.shown = {value: city.name}
            return [city.pk]
        return list(cities_named(self.cities, text).values_list("pk", flat=True))

    def bound_data(self, data, initial):
        """The city's name rather than the number an old link carried."""
        return self.shown.get(data, data)


class CityChoiceField(NamedChoiceField):
    """Exactly one city of those ``limit_to`` is given, typed by name, where ``CityNameField``
    filters a list by part of a name: the name in full, whatever its case, accents and script
    (``cities_called``: gdansk is Gdańsk), or the label a suggestion gives a name two cities
    share ("Valencia (ES)"); a name both of them have is refused with their labels. A select
    up to ``config.named_choice.SELECT_UP_TO`` cities, a box with suggestions beyond
    (``cities.suggestions.city_names`` at ``suggest_url`` answers with the same labels)."""

    default_error_messages = {
        "unknown": _("No city of this programme is called “%(text)s”."),
        "ambiguous": _(
            "Several cities of this programme are called “%(text)s”: %(labels)s. Type the one "
            "you mean as written here."
        ),
        "number": _("No city of this programme has the number %(number)s."),
    }
    box_help = _("Type the city's name.")

    def limit_to(self, cities: QuerySet, *, suggest_url: str = "") -> None:
        super().limit_to(cities.order_by("name", "pk"), suggest_url=suggest_url)

    def labels(self, cities: list) -> dict[int, str]:
        return city_labels((city.pk, city.name, city.country.code) for city in cities)

    def label_of(self, city: City) -> str:
        return labels_among(self.queryset, [city])[city.pk]

    def called(self, cities: QuerySet, text: str) -> QuerySet:
        return cities_called(cities, text)

    def near(self, cities: QuerySet, text: str) -> QuerySet:
        return cities_matching(cities, text)
