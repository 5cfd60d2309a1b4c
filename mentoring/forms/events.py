"""Forms of the events pages. They check the shape of the input; the rules live in
mentoring.services.events, whose ValidationErrors the views put back on these forms."""

import json

from django import forms
from django.db.models import Q, QuerySet
from django.utils.translation import gettext_lazy as _

from accounts.forms import PersonChoiceField
from cities.forms import CityChoiceField, CityNameField
from cities.models import City
from cities.timezones import time_zone_names

from ..models import (
    Attendance,
    Event,
    EventKind,
    EventScope,
    EventStatus,
    ExpertOrganisation,
    Pairing,
    Programme,
    Scheme,
)
from ..selectors.events import usual_time_zone
from ..services.events import DAY_ENDS, DAY_STARTS, RecommendationInput

DATE_INPUT = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
TIME_INPUT = forms.TimeInput(attrs={"type": "time"}, format="%H:%M")


class EventForm(forms.Form):
    """What an event is: its kind, title, host, local days and times, place and agenda.

    A plain form rather than a ModelForm, so that the model's constraints are checked once, by
    the service, with a message next to the field concerned. The kinds offered are the
    programme's own; the kind's usual length fills in a last day left empty (the service does
    it; ``static/js/event-form.js`` shows it as you choose).
    """

    kind = forms.ModelChoiceField(
        label=_("Kind"), queryset=EventKind.objects.none(), to_field_name="code"
    )
    title = forms.CharField(label=_("Title"), max_length=200)
    host_city = CityChoiceField(
        label=_("Host city"),
        required=False,
        help_text=_(
            "Required for kinds a city hosts in person; the event's times are then in the host "
            "city's zone."
        ),
    )
    starts_on = forms.DateField(label=_("Starts on"), widget=DATE_INPUT)
    start_time = forms.TimeField(
        label=_("Starts at (local time)"),
        widget=TIME_INPUT,
        initial=DAY_STARTS,
        required=False,
        help_text=_("On the first day. Left empty: 09:00."),
    )
    ends_on = forms.DateField(
        label=_("Ends on"),
        widget=DATE_INPUT,
        required=False,
        help_text=_("Left empty, the event lasts its kind's usual number of days."),
    )
    end_time = forms.TimeField(
        label=_("Ends at (local time)"),
        widget=TIME_INPUT,
        initial=DAY_ENDS,
        required=False,
        help_text=_("On the last day. Left empty: 17:00."),
    )
    time_zone = forms.ChoiceField(
        label=_("Time zone"),
        required=False,
        help_text=_(
            "The zone the times above are in, for an event no city hosts (a webinar). A hosted "
            "event is in its host city's zone."
        ),
    )
    venue = forms.CharField(
        label=_("Venue"),
        max_length=300,
        required=False,
        help_text=_("Where people meet, e.g. a city hall and its address."),
    )
    online_url = forms.URLField(
        label=_("Online link"), required=False, help_text=_("For webinars and online sessions.")
    )
    agenda = forms.CharField(
        label=_("Agenda"), required=False, widget=forms.Textarea(attrs={"rows": 6})
    )

    def __init__(
        self,
        *args,
        programme: Programme,
        pairing: Pairing | None,
        suggest_url: str = "",
        **kwargs,
    ):
        super().__init__(*args, **kwargs)
        excluded = EventScope.PROGRAMME if pairing else EventScope.PAIRING
        kinds = programme.event_kinds.exclude(scope=excluded)
        self.fields["kind"].queryset = kinds
        # The usual lengths, for the script that fills in the last day as a kind is chosen.
        self.fields["kind"].widget.attrs["data-usual-days"] = json.dumps(
            {kind.code: kind.usual_days for kind in kinds}
        )
        # A pairing's two cities are a select; a programme's, typed by name when they are many
        # (``CityChoiceField``), with suggestions of the programme's cities (``suggest_url``).
        if pairing is not None:
            hosts = City.objects.filter(pk__in=[pairing.mentor_id, pairing.implementing_id])
            self.fields["host_city"].error_messages.update(
                unknown=_("Neither city of this pairing is called “%(text)s”."),
                number=_("Neither city of this pairing has the number %(number)s."),
            )
        else:
            hosts = City.objects.filter(participations__programme=programme)
        self.fields["host_city"].limit_to(hosts, suggest_url=suggest_url)
        self.fields["time_zone"].choices = [
            ("", _("The host city's zone")),
            *((name, name) for name in time_zone_names()),
        ]
        if not self.is_bound and "time_zone" not in self.initial:
            self.initial["time_zone"] = usual_time_zone(programme)

    @classmethod
    def initial_for(cls, event: Event) -> dict:
        start, end = event.local_starts_at, event.local_ends_at
        return {
            "kind": event.kind.code,
            "title": event.title,
            "host_city": event.host_city,
            "starts_on": start.date(),
            "start_time": start.time(),
            "ends_on": end.date(),
            "end_time": end.time(),
            "time_zone": event.time_zone,
            "venue": event.venue,
            "online_url": event.online_url,
            "agenda": event.agenda,
        }


class EventStatusForm(forms.Form):
    status = forms.ChoiceField(label=_("New status"), widget=forms.RadioSelect)
    cancellation_reason = forms.CharField(
        label=_("Reason for cancelling"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("Needed when you cancel the event."),
    )

    def __init__(self, *args, event: Event, **kwargs):
        super().__init__(*args, **kwargs)
        # Only the moves open from the current status; the service holds the same rule.
        self.fields["status"].choices = [
            (value, label) for value, label in EventStatus.choices if value in event.next_statuses
        ]


class AttendanceForm(forms.Form):
    """Who took part. The person is one of ``people`` (those who may be recorded at the event)
    and the city one of ``cities``: selects while they are few, typed by name with suggestions
    (``people_suggest_url``, ``city_suggest_url``) when they are many."""

    user = PersonChoiceField(
        label=_("Person"),
        required=False,
        help_text=_(
            "Someone with a Tandem account: their name or e-mail address. Leave empty to name a "
            "guest instead."
        ),
    )
    guest_name = forms.CharField(label=_("Guest's name"), max_length=150, required=False)
    city = CityChoiceField(label=_("For city"), required=False)
    organisation = forms.ModelChoiceField(
        label=_("For expert organisation"),
        queryset=ExpertOrganisation.objects.all(),
        required=False,
    )
    organisation_name = forms.CharField(
        label=_("For another organisation"), max_length=200, required=False
    )
    days = forms.DecimalField(
        label=_("Days attended"),
        max_digits=4,
        decimal_places=1,
        help_text=Attendance._meta.get_field("days").help_text,
    )

    def __init__(
        self,
        *args,
        people: QuerySet,
        cities: QuerySet,
        for_anyone: bool,
        people_suggest_url: str = "",
        city_suggest_url: str = "",
        **kwargs,
    ):
        super().__init__(*args, **kwargs)
        if not for_anyone:
            # Officers record their own city's people only.
            del self.fields["organisation"]
            del self.fields["organisation_name"]
            self.fields["city"].required = True
        self.fields["user"].limit_to(people, suggest_url=people_suggest_url)
        self.fields["city"].limit_to(cities, suggest_url=city_suggest_url)


class ReportForm(forms.Form):
    findings = forms.CharField(
        label=_("Findings"),
        widget=forms.Textarea(attrs={"rows": 8}),
        required=False,
        help_text=_("What the event showed: strengths, gaps, what the hosts and guests learnt."),
    )


class RecommendationForm(forms.Form):
    id = forms.IntegerField(widget=forms.HiddenInput, required=False)
    text = forms.CharField(widget=forms.Textarea(attrs={"rows": 3}))

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        position = self.initial.get("position")
        self.fields["text"].label = (
            _("Recommendation R%(number)s") % {"number": position}
            if position
            else _("New recommendation")
        )

    def clean(self):
        cleaned = super().clean()
        removing = cleaned.get("DELETE", False)
        if cleaned.get("id") is not None and not removing and not cleaned.get("text", "").strip():
            self.add_error(
                "text", _("Write the recommendation, or tick “Remove this recommendation”.")
            )
        return cleaned

    def as_input(self) -> RecommendationInput | None:
        """The row as the service takes it, or None for a new row left blank."""
        data = self.cleaned_data
        if not data or (data.get("id") is None and not data.get("text")):
            return None
        return RecommendationInput(
            text=data.get("text", ""), pk=data.get("id"), delete=data.get("DELETE", False)
        )


class BaseRecommendationFormSet(forms.BaseFormSet):
    def add_fields(self, form, index):
        super().add_fields(form, index)
        if "DELETE" in form.fields:
            form.fields["DELETE"].label = _("Remove this recommendation")
        # Blank new rows are skipped; an existing row left blank is caught in clean().
        form.fields["text"].required = False

    def inputs(self) -> list[RecommendationInput]:
        return [item for form in self.forms if (item := form.as_input()) is not None]


RecommendationFormSet = forms.formset_factory(
    RecommendationForm,
    formset=BaseRecommendationFormSet,
    extra=3,
    can_delete=True,
    can_delete_extra=False,
    # A report numbers a few dozen recommendations at most. The caps keep a tampered
    # TOTAL_FORMS cheap: past absolute_max the formset builds no more forms and answers with an
    # error.
    max_num=50,
    absolute_max=50,
    validate_max=True,
)


class EventFilterForm(forms.Form):
    """The event list's filters. Programmes, kinds, statuses and schemes are a few each: selects.
    Cities are hundreds in a large programme: a text box (``CityNameField``) with suggestions.
    The pairing is not chosen here but comes from a link (a pairing's page sends
    ``?pairing=<id>``): a hidden field that keeps it while other filters change, which the page
    names with a way to remove it."""

    programme = forms.ModelChoiceField(
        label=_("Programme"),
        queryset=None,
        required=False,
        to_field_name="slug",
        empty_label=_("All programmes"),
    )
    pairing = forms.ModelChoiceField(
        queryset=None,
        required=False,
        widget=forms.HiddenInput,
        error_messages={"invalid_choice": _("None of the pairings you can see has this number.")},
    )
    kind = forms.ChoiceField(label=_("Kind"), choices=[], required=False)
    status = forms.ChoiceField(
        label=_("Status"), choices=[("", _("Any status")), *EventStatus.choices], required=False
    )
    scheme = forms.ModelChoiceField(
        label=_("Scheme"), queryset=None, required=False, empty_label=_("All schemes")
    )
    city = CityNameField(
        label=_("City"),
        help_text=_("Hosting, or paired: type part of its name."),
    )
    starts_from = forms.DateField(
        label=_("Starting from"), required=False, widget=forms.DateInput(attrs={"type": "date"})
    )
    starts_until = forms.DateField(
        label=_("Starting until"), required=False, widget=forms.DateInput(attrs={"type": "date"})
    )
    ordering = forms.ChoiceField(
        label=_("Sort by"),
        required=False,
        choices=[
            ("", _("Date, earliest first")),
            ("-starts_on", _("Date, latest first")),
            ("kind", _("Kind")),
            ("status", _("Status")),
            ("title", _("Title")),
        ],
    )
    concerning = forms.BooleanField(label=_("Only events that concern me"), required=False)

    def __init__(self, *args, programmes: QuerySet, suggest_url: str = "", **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["programme"].queryset = programmes
        # Kinds are each programme's own; one choice per code, named as the first programme
        # names it, so that a filter across programmes finds the same kind in each.
        names: dict[str, str] = {}
        kinds = EventKind.objects.filter(programme__in=programmes).order_by("name", "pk")
        for code, name in kinds.values_list("code", "name"):
            names.setdefault(code, name)
        self.fields["kind"].choices = [("", _("All kinds")), *names.items()]
        self.fields["scheme"].queryset = Scheme.objects.filter(programme__in=programmes)
        self.fields["city"].limit_to(
            City.objects.filter(participations__programme__in=programmes).distinct(),
            suggest_url=suggest_url,
        )
        self.fields["pairing"].queryset = Pairing.objects.filter(
            scheme__programme__in=programmes
        ).select_related("scheme", "mentor", "implementing")

    def clean(self):
        cleaned = super().clean()
        start, until = cleaned.get("starts_from"), cleaned.get("starts_until")
        if start and until and until < start:
            self.add_error("starts_until", _("The end of the range is before its start."))
        return cleaned

    def narrow(self, events: QuerySet) -> QuerySet:
        """Apply the filters that events_for does not take, and the sort order."""
        data = self.cleaned_data
        if data.get("scheme"):
            events = events.filter(pairing__scheme=data["scheme"])
        if (ids := data.get("city")) is not None:
            events = events.filter(
                Q(host_city__in=ids) | Q(pairing__mentor__in=ids) | Q(pairing__implementing__in=ids)
            )
        if data.get("starts_from"):
            events = events.filter(starts_on__gte=data["starts_from"])
        if data.get("starts_until"):
            events = events.filter(starts_on__lte=data["starts_until"])
        if data.get("ordering"):
            field = {"kind": "kind__name"}.get(data["ordering"], data["ordering"])
            events = events.order_by(field, "starts_on", "pk")
        return events
