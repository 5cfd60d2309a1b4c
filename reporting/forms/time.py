"""Forms of the officer's time pages. They check the shape of what is typed (a number, a date, a
choice); the timesheet's rules live in reporting.services, whose ValidationErrors the views put
back on these forms and on the month grid's cells."""

import json
from dataclasses import dataclass, field
from datetime import date, timedelta
from decimal import Decimal, InvalidOperation

from django import forms
from django.core.exceptions import ValidationError
from django.db.models import QuerySet
from django.utils.formats import date_format
from django.utils.translation import gettext_lazy as _

from cities.models import City
from mentoring.models import Event, Programme

from ..models import Activity, OtherGrantHours, TimeEntry
from ..services import first_of_month, grid_description_field, grid_field

DATE_INPUT = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
DESCRIPTION_MAX_LENGTH = TimeEntry._meta.get_field("description").max_length
# Anything this large is a typing slip, not hours; the services' rules expect sensible numbers.
ABSURD_HOURS = Decimal(1000)


def programme_months(programme: Programme, today: date) -> list[date]:
    """First days of the programme's months up to this month, newest first."""
    first = first_of_month(programme.starts_on)
    last = first_of_month(min(programme.ends_on, today))
    months = []
    month = last
    while month >= first:
        months.append(month)
        month = (month - timedelta(days=1)).replace(day=1)
    return months


def month_value(month: date) -> str:
    return f"{month:%Y-%m}"


class GoToMonthForm(forms.Form):
    """Pick a programme and a month to open its grid."""

    programme = forms.ChoiceField(label=_("Programme"))
    month = forms.ChoiceField(label=_("Month"))

    def __init__(self, *args, programmes: list[Programme], today: date, **kwargs):
        super().__init__(*args, **kwargs)
        self.programmes = {programme.slug: programme for programme in programmes}
        self.today = today
        self.fields["programme"].choices = [(p.slug, p.name) for p in programmes]
        months = sorted(
            {month for p in programmes for month in programme_months(p, today)}, reverse=True
        )
        self.fields["month"].choices = [
            (month_value(month), date_format(month, "YEAR_MONTH_FORMAT")) for month in months
        ]

    def clean(self):
        data = super().clean()
        programme = self.programmes.get(data.get("programme", ""))
        raw = data.get("month")
        if programme is None or not raw:
            return data
        year, month = (int(part) for part in raw.split("-"))
        chosen = date(year, month, 1)
        if chosen not in programme_months(programme, self.today):
            self.add_error(
                "month",
                _("%(programme)s runs from %(start)s to %(end)s; choose a month up to now.")
                % {
                    "programme": programme,
                    "start": date_format(programme.starts_on, "YEAR_MONTH_FORMAT"),
                    "end": date_format(programme.ends_on, "YEAR_MONTH_FORMAT"),
                },
            )
        data["programme"], data["month"] = programme, chosen
        return data


class EventChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, event: Event) -> str:
        return f"{event.programme.name}: {event.title} ({date_format(event.starts_on)})"


class EntryForm(forms.Form):
    """One entry: which programme (and city), day, activity, event, hours and a description.

    When editing, the programme and city stay those of the entry and are left out.
    """

    city = forms.TypedChoiceField(label=_("City"), coerce=int)
    programme = forms.ModelChoiceField(label=_("Programme"), queryset=Programme.objects.none())
    day = forms.DateField(label=_("Day"), widget=DATE_INPUT)
    activity = forms.ChoiceField(label=_("Activity"), choices=Activity.choices)
    event = EventChoiceField(
        label=_("Event"),
        queryset=Event.objects.none(),
        required=False,
        help_text=_("If the time went to one event of the programme, e.g. a study visit."),
    )
    hours = forms.DecimalField(
        label=_("Hours"),
        widget=forms.NumberInput(attrs={"step": "0.5", "min": "0.5", "max": "24"}),
        help_text=TimeEntry._meta.get_field("hours").help_text,
    )
    description = forms.CharField(
        label=_("Description"),
        max_length=DESCRIPTION_MAX_LENGTH,
        required=False,
        help_text=_("What you did, in a few words."),
    )

    def __init__(
        self,
        *args,
        cities: list[City],
        programmes: QuerySet | None,
        events: QuerySet,
        **kwargs,
    ):
        super().__init__(*args, **kwargs)
        self.cities = {city.pk: city for city in cities}
        if len(cities) > 1:
            self.fields["city"].choices = [(city.pk, city.name) for city in cities]
        else:
            del self.fields["city"]
        if programmes is None:
            del self.fields["programme"]
        else:
            self.fields["programme"].queryset = programmes
        self.fields["event"].queryset = events

    def clean_city(self) -> City:
        return self.cities[self.cleaned_data["city"]]

    def clean_hours(self) -> Decimal:
        hours = self.cleaned_data["hours"]
        if abs(hours) >= ABSURD_HOURS:
            raise ValidationError(_("Enter the hours of one day, e.g. 2 or 2.5."))
        return hours

    def city_or(self, default: City) -> City:
        return self.cleaned_data.get("city") or default

    def service_fields(self) -> dict:
        """The cleaned values the services take, without the form's own choices."""
        data = dict(self.cleaned_data)
        data.pop("city", None)
        data.pop("version", None)
        return data


class OtherGrantHoursForm(forms.ModelForm):
    """Hours in another grant for a year; the service checks who may and that the project is
    not declared twice for the year."""

    note = forms.CharField(
        label=_("Note"),
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("Optional, e.g. your role in the project or the share of your contract."),
    )

    class Meta:
        model = OtherGrantHours
        fields = ["year", "project", "hours", "note"]

    def validate_unique(self):
        # The (person, year, project) rule needs the person: the service says it, on the field.
        pass


# The month grid ---------------------------------------------------------------------------------


@dataclass
class GridInput:
    """What the month grid's cells say: hours per (day, activity), a description per day, and
    the cells that could not be read."""

    hours: dict[tuple[date, str], Decimal | None] = field(default_factory=dict)
    descriptions: dict[date, str] = field(default_factory=dict)
    errors: dict[str, list[str]] = field(default_factory=dict)
    values: dict[str, str] = field(default_factory=dict)
    # The cells as the page showed them (None: the page sent none), by name and read.
    drawn: dict[str, str] | None = None
    drawn_hours: dict[tuple[date, str], Decimal | None] | None = None
    drawn_descriptions: dict[date, str] | None = None

    def changed_by_page(self, name: str) -> bool:
        """Whether the page changed this cell from what it showed."""
        if self.drawn is None:
            return True
        before, now = self.drawn.get(name, ""), self.values.get(name, "")
        try:
            return (parse_hours(before) or 0) != (parse_hours(now) or 0)
        except ValueError:
            return before.strip() != now.strip()


DRAWN_FIELD = "drawn"


def drawn_json(values: dict[str, str]) -> str:
    """The cells as a page shows them, for its hidden field: only those with a value."""
    return json.dumps({name: value for name, value in sorted(values.items()) if value})


def parse_hours(raw: str) -> Decimal | None:
    """A cell's hours: empty is None; a comma counts as a decimal point. ValueError otherwise."""
    text = raw.strip().replace(",", ".")
    if not text:
        return None
    try:
        value = Decimal(text)
    except InvalidOperation:
        raise ValueError(raw) from None
    if not value.is_finite() or abs(value) >= ABSURD_HOURS:
        raise ValueError(raw)
    return value


def parse_grid(data, days: list[date]) -> GridInput:
    """Read the cells of the given (editable) days from the posted data."""
    grid = GridInput()
    for day in days:
        name = grid_description_field(day)
        description = data.get(name, "")
        grid.values[name] = description
        if len(description.strip()) > DESCRIPTION_MAX_LENGTH:
            grid.errors[name] = [
                _("Keep the description under %(limit)d characters.")
                % {"limit": DESCRIPTION_MAX_LENGTH}
            ]
            description = ""
        grid.descriptions[day] = description.strip()
        for activity in Activity.values:
            name = grid_field(day, activity)
            raw = data.get(name, "")
            grid.values[name] = raw
            try:
                grid.hours[day, activity] = parse_hours(raw)
            except ValueError:
                grid.errors[name] = [
                    _("Enter a number of hours, e.g. 2 or 2.5, or leave it empty.")
                ]
    _parse_drawn(grid, data.get(DRAWN_FIELD), days)
    return grid


def _parse_drawn(grid: GridInput, raw: str | None, days: list[date]) -> None:
    """Read the hidden copy of the cells as the page showed them. A page that sent none is not
    compared; one that cannot be read (tampered with) is compared with an empty month, which
    refuses any cell someone has filled meanwhile rather than writing over it."""
    if raw is None:
        return
    try:
        drawn = json.loads(raw) if raw.strip() else {}
    except ValueError:
        drawn = {}
    if not isinstance(drawn, dict):
        drawn = {}
    grid.drawn = {str(k): str(v) for k, v in drawn.items() if isinstance(v, str | int | float)}
    grid.drawn_hours, grid.drawn_descriptions = {}, {}
    for day in days:
        grid.drawn_descriptions[day] = grid.drawn.get(grid_description_field(day), "").strip()
        for activity in Activity.values:
            try:
                before = parse_hours(grid.drawn.get(grid_field(day, activity), ""))
            except ValueError:
                before = None
            grid.drawn_hours[day, activity] = before
