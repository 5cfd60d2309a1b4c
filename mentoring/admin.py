from django.contrib import admin

from .models import (
    Attendance,
    CalendarToken,
    Commitment,
    CommitmentFramework,
    CommitmentGroup,
    Event,
    EventKind,
    EventReport,
    ExpertOrganisation,
    Pairing,
    Participation,
    Programme,
    Recommendation,
    Scheme,
)


class ParticipationInline(admin.TabularInline):
    model = Participation
    extra = 0
    autocomplete_fields = ["city"]


@admin.register(Programme)
class ProgrammeAdmin(admin.ModelAdmin):
    list_display = ["name", "network", "starts_on", "ends_on", "budget", "cost_model"]
    search_fields = ["name", "network", "funder"]
    prepopulated_fields = {"slug": ["name"]}
    inlines = [ParticipationInline]


@admin.register(ExpertOrganisation)
class ExpertOrganisationAdmin(admin.ModelAdmin):
    list_display = ["name", "country"]
    search_fields = ["name"]


class CommitmentGroupInline(admin.TabularInline):
    model = CommitmentGroup
    extra = 0


class CommitmentInline(admin.TabularInline):
    model = Commitment
    extra = 0


@admin.register(CommitmentFramework)
class CommitmentFrameworkAdmin(admin.ModelAdmin):
    list_display = ["name", "preset"]
    search_fields = ["name"]
    inlines = [CommitmentGroupInline, CommitmentInline]


@admin.register(Scheme)
class SchemeAdmin(admin.ModelAdmin):
    list_display = ["code", "theme", "programme", "facilitator", "mentor_capacity"]
    list_filter = ["programme", "facilitator"]
    search_fields = ["code", "theme"]
    filter_horizontal = ["commitments"]
    list_select_related = ["programme", "facilitator"]


@admin.register(Participation)
class ParticipationAdmin(admin.ModelAdmin):
    list_display = ["city", "programme", "joined_on"]
    list_filter = ["programme"]
    autocomplete_fields = ["city", "programme"]
    list_select_related = ["city", "programme"]


@admin.register(Pairing)
class PairingAdmin(admin.ModelAdmin):
    list_display = ["__str__", "scheme", "status", "created_at"]
    list_filter = ["status", "scheme__programme", "scheme"]
    search_fields = ["mentor__name", "implementing__name"]
    autocomplete_fields = ["mentor", "implementing", "created_by"]
    list_select_related = ["scheme", "mentor", "implementing"]


# Events, attendance, reports and calendar links ------------------------------------------------


class AttendanceInline(admin.TabularInline):
    model = Attendance
    extra = 0
    autocomplete_fields = ["user", "city", "organisation"]
    readonly_fields = ["recorded_at", "recorded_by"]


@admin.register(EventKind)
class EventKindAdmin(admin.ModelAdmin):
    list_display = ["name", "programme", "scope", "hosted", "host_side", "usual_days"]
    list_filter = ["programme", "scope", "hosted"]
    search_fields = ["name", "code"]
    list_select_related = ["programme"]


@admin.register(Event)
class EventAdmin(admin.ModelAdmin):
    list_display = [
        "title",
        "kind",
        "programme",
        "pairing",
        "host_city",
        "starts_on",
        "time_zone",
        "status",
    ]
    list_filter = ["status", "kind__code", "programme"]
    search_fields = ["title", "venue", "host_city__name"]
    date_hierarchy = "starts_on"
    autocomplete_fields = ["programme", "pairing", "host_city", "created_by"]
    readonly_fields = ["created_at", "updated_at"]
    list_select_related = [
        "programme",
        "kind",
        "pairing__scheme",
        "pairing__mentor",
        "pairing__implementing",
        "host_city",
    ]
    inlines = [AttendanceInline]


@admin.register(Attendance)
class AttendanceAdmin(admin.ModelAdmin):
    list_display = ["__str__", "city", "organisation", "organisation_name", "days"]
    list_filter = ["event__programme"]
    search_fields = ["user__email", "user__full_name", "guest_name", "event__title"]
    autocomplete_fields = ["event", "user", "city", "organisation", "recorded_by"]
    readonly_fields = ["recorded_at"]
    list_select_related = ["event", "user", "city", "organisation"]


class RecommendationInline(admin.TabularInline):
    model = Recommendation
    extra = 0


@admin.register(EventReport)
class EventReportAdmin(admin.ModelAdmin):
    list_display = ["__str__", "written_by", "updated_at"]
    search_fields = ["event__title", "findings"]
    autocomplete_fields = ["event", "written_by"]
    readonly_fields = ["created_at", "updated_at"]
    list_select_related = ["event", "written_by"]
    inlines = [RecommendationInline]


@admin.register(Recommendation)
class RecommendationAdmin(admin.ModelAdmin):
    list_display = ["__str__", "report"]
    search_fields = ["text", "report__event__title"]
    autocomplete_fields = ["report"]
    list_select_related = ["report__event"]


@admin.register(CalendarToken)
class CalendarTokenAdmin(admin.ModelAdmin):
    """The secret itself is not shown: people see and renew their links on the calendar page."""

    list_display = ["user", "issued_at"]
    search_fields = ["user__email", "user__full_name"]
    fields = ["user", "issued_at"]
    readonly_fields = ["user", "issued_at"]

    def has_add_permission(self, request):
        return False
