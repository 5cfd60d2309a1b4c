"""Mentoring's read API (``config.api``): programmes, schemes, the cities of one's programmes,
pairings, events and visit reports with their recommendations.

Each endpoint reads through the selectors the pages use, so a token sees what its person sees in
the browser: the programmes they take part in (``programmes_for``), those programmes' schemes,
cities, pairings and events (the lists everyone in a programme sees), and the reports of the
events that concern them (``events_concerning``, as the event's page). Lists filter as the list
pages do, with the same FilterSet or filter form, except that no programme is chosen for the
reader: without ``?programme=`` a list spans all their programmes.
"""

from django.db.models import Prefetch
from drf_spectacular.utils import extend_schema, extend_schema_view
from rest_framework import serializers
from rest_framework.exceptions import ValidationError

from cities.api import CityRefSerializer, CitySerializer
from config.api import DecimalText, MoneyField, form_parameters
from config.api.views import ReadOnlyViewSet

from .filters import CityListFilter, PairingFilter, ReportFilter, SchemeFilter
from .forms.events import EventFilterForm
from .models import (
    Event,
    EventKind,
    EventReport,
    ExpertOrganisation,
    Pairing,
    Programme,
    Recommendation,
    Scheme,
)
from .selectors import cities_visible_to, pairings_for, programme_context, programmes_for
from .selectors.events import events_concerning, events_for

# Serializers -------------------------------------------------------------------------------------


class ProgrammeSerializer(serializers.ModelSerializer):
    budget = MoneyField()
    co_financing_rate = DecimalText(help_text="The cities' share, e.g. 0.10 for 10 %.")

    class Meta:
        model = Programme
        fields = [
            "id",
            "slug",
            "name",
            "description",
            "network",
            "funder",
            "grant_reference",
            "starts_on",
            "ends_on",
            "currency",
            "budget",
            "co_financing_rate",
            "staff_days_allowance",
            "cost_model",
        ]


class OrganisationSerializer(serializers.ModelSerializer):
    class Meta:
        model = ExpertOrganisation
        fields = ["id", "name", "website"]


class SchemeSerializer(serializers.ModelSerializer):
    facilitator = OrganisationSerializer(allow_null=True)

    class Meta:
        model = Scheme
        fields = ["id", "programme", "code", "theme", "description", "facilitator"]


class PairingSerializer(serializers.ModelSerializer):
    programme = serializers.IntegerField(source="scheme.programme_id")
    mentor = CityRefSerializer()
    implementing = CityRefSerializer()

    class Meta:
        model = Pairing
        fields = [
            "id",
            "programme",
            "scheme",
            "mentor",
            "implementing",
            "status",
            "withdrawal_reason",
            "created_at",
        ]


class EventKindSerializer(serializers.ModelSerializer):
    class Meta:
        model = EventKind
        fields = ["code", "name"]


class EventSerializer(serializers.ModelSerializer):
    kind = EventKindSerializer()
    host_city = CityRefSerializer(allow_null=True)
    local_starts_at = serializers.SerializerMethodField(
        help_text="The start as the clocks of the event's time zone show it (no offset)."
    )
    local_ends_at = serializers.SerializerMethodField(
        help_text="The end as the clocks of the event's time zone show it (no offset)."
    )

    class Meta:
        model = Event
        fields = [
            "id",
            "programme",
            "pairing",
            "kind",
            "title",
            "host_city",
            "starts_at",
            "ends_at",
            "time_zone",
            "local_starts_at",
            "local_ends_at",
            "starts_on",
            "ends_on",
            "venue",
            "status",
        ]

    def get_local_starts_at(self, event) -> str:
        return event.local_starts_at.replace(tzinfo=None).isoformat()

    def get_local_ends_at(self, event) -> str:
        return event.local_ends_at.replace(tzinfo=None).isoformat()


class RecommendationSerializer(serializers.ModelSerializer):
    class Meta:
        model = Recommendation
        fields = ["id", "position", "text"]


class ReportSerializer(serializers.ModelSerializer):
    recommendations = RecommendationSerializer(many=True)

    class Meta:
        model = EventReport
        fields = ["id", "event", "findings", "recommendations", "created_at", "updated_at"]


# Views -------------------------------------------------------------------------------------------


class ProgrammeViewSet(ReadOnlyViewSet):
    """The programmes the person takes part in, through any role."""

    serializer_class = ProgrammeSerializer
    filter_backends: list = []

    def get_queryset(self):
        return programmes_for(self.request.user)


class SchemeViewSet(ReadOnlyViewSet):
    """The schemes of the person's programmes, with their facilitating organisation."""

    serializer_class = SchemeSerializer
    filterset_class = SchemeFilter

    def get_queryset(self):
        return Scheme.objects.filter(
            programme__in=programmes_for(self.request.user)
        ).select_related("facilitator")


class CityViewSet(ReadOnlyViewSet):
    """The cities taking part in the person's programmes; the city list's filters."""

    serializer_class = CitySerializer
    filterset_class = CityListFilter

    def get_queryset(self):
        return cities_visible_to(self.request.user)

    def filterset_kwargs(self, request) -> dict:
        mine = programme_context(request.user).programmes
        return {"programmes": Programme.objects.filter(pk__in=[p.pk for p in mine])}


class PairingViewSet(ReadOnlyViewSet):
    """The pairings of the person's programmes; the pairing list's filters."""

    serializer_class = PairingSerializer
    filterset_class = PairingFilter

    def get_queryset(self):
        return pairings_for(self.request.user)

    def filterset_kwargs(self, request) -> dict:
        user = request.user
        programmes = programmes_for(user)
        return {
            "schemes": Scheme.objects.filter(programme__in=programmes),
            "cities": cities_visible_to(user),
            "programmes": programme_context(user).programmes,
        }


@extend_schema_view(list=extend_schema(parameters=form_parameters(EventFilterForm)))
class EventViewSet(ReadOnlyViewSet):
    """The events of the person's programmes, as the event list shows them to everyone in the
    programme; the event list's filters (``?concerning=true``: only those that concern them)."""

    serializer_class = EventSerializer
    filter_backends: list = []

    def get_queryset(self):
        return events_for(self.request.user)

    def filter_queryset(self, queryset):
        if self.action != "list":
            return super().filter_queryset(queryset)
        user = self.request.user
        form = EventFilterForm(self.request.query_params, programmes=programmes_for(user))
        if not form.is_valid():
            raise ValidationError(form.errors)
        data = form.cleaned_data
        events = events_for(
            user,
            programme=data.get("programme"),
            pairing=data.get("pairing"),
            kind=data.get("kind"),
            status=data.get("status"),
            concerning=data.get("concerning", False),
        )
        return super().filter_queryset(form.narrow(events))


class ReportViewSet(ReadOnlyViewSet):
    """The reports of the events that concern the person (the ones whose page they may open),
    each with its recommendations in order."""

    serializer_class = ReportSerializer
    filterset_class = ReportFilter

    def get_queryset(self):
        return EventReport.objects.filter(
            event__in=events_concerning(self.request.user).values("pk")
        ).prefetch_related(
            Prefetch("recommendations", queryset=Recommendation.objects.order_by("position"))
        )
