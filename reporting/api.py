"""Staff time's read API (``config.api``): approved staff-time totals and costs per programme and
city, and the staff-cost reports with their downloads, for those the pages show them to.

Totals come from ``selectors.staff_cost_summary`` (the figures priced by the database,
``reporting.pricing``), never computed again here; costs are rounded once, to the currency's
minor unit, as the reports show them (``costs.cents``). Who sees what is the pages' rule
(``reporting.permissions``): a city's approved days for its officers, supervisors and the
programme's coordinators (the staff-time dashboards); its costs only for its supervisors and
the programme's coordinators (staff costs are personal data); the reports as the reports list.
A person whose pages show no staff time gets 403, a report outside their scope 404.
"""

from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import extend_schema, extend_schema_field, extend_schema_view
from rest_framework import serializers, viewsets
from rest_framework.exceptions import PermissionDenied, ValidationError

from accounts.models import Role
from accounts.selectors import scopes_of
from cities.models import City
from config.api import ApiPagination, DecimalText, MoneyField, form_parameters
from config.api.views import ReadOnlyViewSet
from mentoring.forms.programmes import ProgrammeChoiceForm
from mentoring.models import Programme
from mentoring.selectors import programme_context

from . import permissions, selectors
from .costs import cents
from .forms.reports import StaffTimePeriodForm
from .models import StaffCostReport

FILE_FORMATS = ("pdf", "csv", "xlsx")

# Serializers -------------------------------------------------------------------------------------


class StaffProgrammeSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    slug = serializers.CharField()
    name = serializers.CharField()


class StaffCitySerializer(serializers.Serializer):
    id = serializers.IntegerField()
    slug = serializers.CharField()
    name = serializers.CharField()


@dataclass
class StaffTimeRow:
    """One city's approved staff time in one programme over a period."""

    programme: Programme
    city: City
    first_month: date
    last_month: date
    approved_hours: Decimal
    approved_days: Decimal
    allowance_days: int
    cost: Decimal | None  # None: the reader may see the days, not the costs

    @property
    def currency(self) -> str:
        return self.programme.currency


class StaffTimeSerializer(serializers.Serializer):
    programme = StaffProgrammeSerializer()
    city = StaffCitySerializer()
    first_month = serializers.DateField(help_text=str(_("The first day of the first month.")))
    last_month = serializers.DateField(help_text=str(_("The first day of the last month.")))
    approved_hours = DecimalText()
    approved_days = DecimalText(
        help_text=str(_("Days used, from the approved hours, as the dashboards show them."))
    )
    allowance_days = serializers.IntegerField()
    cost = MoneyField(
        help_text=str(
            _(
                "The staff costs of the approved months, rounded once to the currency's minor "
                "unit; null for readers who may see the days but not the costs."
            )
        )
    )


class DownloadLinkSerializer(serializers.Serializer):
    format = serializers.CharField()
    url = serializers.URLField()


class StaffCostReportSerializer(serializers.ModelSerializer):
    programme = StaffProgrammeSerializer()
    city = StaffCitySerializer(allow_null=True, help_text=str(_("Null: all cities.")))
    downloads = serializers.SerializerMethodField(
        help_text=str(_("The report's files, once it is done (the portal's download addresses)."))
    )
    url = serializers.SerializerMethodField(help_text=str(_("The report's page.")))

    class Meta:
        model = StaffCostReport
        fields = [
            "id",
            "programme",
            "city",
            "first_month",
            "last_month",
            "language",
            "status",
            "progress",
            "requested_at",
            "finished_at",
            "downloads",
            "url",
        ]

    @extend_schema_field(DownloadLinkSerializer(many=True))
    def get_downloads(self, report) -> list[dict]:
        if report.status != "done":
            return []
        request = self.context["request"]
        return [
            {
                "format": fmt,
                "url": request.build_absolute_uri(
                    reverse("reporting:report_download", args=[report.pk, fmt])
                ),
            }
            for fmt in FILE_FORMATS
            if getattr(report, f"{fmt}_id") is not None
        ]

    def get_url(self, report) -> str:
        return self.context["request"].build_absolute_uri(report.get_absolute_url())


# Views -------------------------------------------------------------------------------------------


def _chosen_programme(request) -> tuple[Programme | None, tuple[Programme, ...]]:
    """``?programme=`` among the person's programmes (None: all of them), and their programmes."""
    programmes = programme_context(request.user).programmes
    choice = ProgrammeChoiceForm(request.query_params, programmes=programmes)
    if not choice.is_valid():
        raise ValidationError(choice.errors)
    return choice.chosen(), programmes


def staff_time_rows(
    user, programmes, *, first_month: date | None, last_month: date | None
) -> list[StaffTimeRow]:
    """Per programme and city the person may see staff time of, the approved totals."""
    scopes = scopes_of(user)
    own_cities = scopes.city_ids(Role.OFFICER, Role.SUPERVISOR)
    rows: list[StaffTimeRow] = []
    for programme in sorted(programmes, key=lambda p: (p.name, p.pk)):
        if permissions.can_view_programme_staff_time(user, programme):
            cities = list(selectors.programme_cities(programme))
        else:
            cities = [
                city
                for city in selectors.programme_cities(programme).filter(pk__in=own_cities)
                if permissions.can_view_city_staff_time(user, city.pk, programme)
            ]
        if not cities:
            continue
        first = first_month or programme.starts_on.replace(day=1)
        last = last_month or programme.ends_on.replace(day=1)
        summary = selectors.staff_cost_summary(
            programme,
            city=cities[0] if len(cities) == 1 else None,
            first_month=first,
            last_month=last,
        )
        figures = {row.city_id: row for row in summary.by_city}
        for city in cities:
            priced = figures.get(city.pk)
            may_see_costs = permissions.can_request_report(user, programme, city.pk)
            rows.append(
                StaffTimeRow(
                    programme=programme,
                    city=city,
                    first_month=first,
                    last_month=last,
                    approved_hours=priced.hours if priced else Decimal(0),
                    approved_days=priced.days if priced else Decimal(0),
                    allowance_days=programme.staff_days_allowance,
                    cost=(
                        cents(priced.cost if priced else Decimal(0), programme.currency)
                        if may_see_costs
                        else None
                    ),
                )
            )
    return rows


def _sees_staff_time(user) -> bool:
    scopes = scopes_of(user)
    return bool(scopes.coordinated or scopes.city_ids(Role.OFFICER, Role.SUPERVISOR))


@extend_schema_view(
    list=extend_schema(
        parameters=[*form_parameters(ProgrammeChoiceForm), *form_parameters(StaffTimePeriodForm)]
    )
)
class StaffTimeViewSet(viewsets.GenericViewSet):
    """Approved staff time per programme and city, by programme then city: all cities of the
    programmes the person coordinates, their own cities otherwise; the costs for coordinators
    and the city's supervisors. ``?first_month=2017-01&last_month=2017-12`` (default: each
    programme's period) and ``?programme=`` (default: all the person's programmes)."""

    serializer_class = StaffTimeSerializer
    pagination_class = ApiPagination
    filter_backends: list = []  # the forms below filter

    def list(self, request):
        if not _sees_staff_time(request.user):
            raise PermissionDenied(
                _("Staff time is shown to city officers, supervisors and coordinators.")
            )
        programme, programmes = _chosen_programme(request)
        period = StaffTimePeriodForm(request.query_params)
        if not period.is_valid():
            raise ValidationError(period.errors)
        rows = staff_time_rows(
            request.user,
            [programme] if programme is not None else programmes,
            first_month=period.cleaned_data["first_month"],
            last_month=period.cleaned_data["last_month"],
        )
        page = self.paginate_queryset(rows)
        return self.get_paginated_response(self.get_serializer(page, many=True).data)


@extend_schema_view(list=extend_schema(parameters=form_parameters(ProgrammeChoiceForm)))
class StaffCostReportViewSet(ReadOnlyViewSet):
    """The staff-cost reports the person may see, newest first, as the reports list: their
    programmes' for coordinators, their cities' for supervisors."""

    serializer_class = StaffCostReportSerializer
    filter_backends: list = []

    def get_queryset(self):
        return selectors.reports_visible_to(self.request.user)

    def list(self, request, *args, **kwargs):
        if not permissions.can_request_reports(request.user):
            raise PermissionDenied(
                _("Staff-cost reports are for coordinators and city supervisors.")
            )
        return super().list(request, *args, **kwargs)

    def filter_queryset(self, queryset):
        if self.action == "list":
            programme, _programmes = _chosen_programme(self.request)
            if programme is not None:
                queryset = queryset.filter(programme=programme)
        return super().filter_queryset(queryset)
