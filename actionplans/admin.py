from django.contrib import admin

from .models import (
    Action,
    ActionPlan,
    GroupMember,
    Indicator,
    Measurement,
    PlanComment,
    PlanPdf,
    PlanVersion,
    Risk,
    Transition,
)


class ActionInline(admin.TabularInline):
    model = Action
    extra = 0
    fields = ("position", "title", "status", "starts_on", "ends_on", "cost")


class IndicatorInline(admin.TabularInline):
    model = Indicator
    extra = 0
    fields = ("position", "name", "kind", "unit", "baseline", "target")


class RiskInline(admin.TabularInline):
    model = Risk
    extra = 0


class GroupMemberInline(admin.TabularInline):
    model = GroupMember
    extra = 0


class TransitionInline(admin.TabularInline):
    model = Transition
    extra = 0
    can_delete = False
    readonly_fields = ("from_stage", "to_stage", "by", "at", "comment", "version")

    def has_add_permission(self, request, obj=None):
        return False


@admin.register(ActionPlan)
class ActionPlanAdmin(admin.ModelAdmin):
    list_display = ("title", "pairing", "stage", "updated_at")
    list_filter = ("stage", "pairing__scheme__programme")
    search_fields = ("title", "pairing__implementing__name", "pairing__mentor__name")
    readonly_fields = ("stage", "revisions")
    inlines = [ActionInline, IndicatorInline, RiskInline, GroupMemberInline, TransitionInline]


@admin.register(PlanVersion)
class PlanVersionAdmin(admin.ModelAdmin):
    list_display = ("plan", "number", "submitted_at", "submitted_by")
    readonly_fields = ("plan", "number", "submitted_at", "submitted_by", "snapshot")


admin.site.register(Measurement)
admin.site.register(PlanComment)


@admin.register(PlanPdf)
class PlanPdfAdmin(admin.ModelAdmin):
    list_display = ("version", "language", "status", "requested_at")
    readonly_fields = [f.name for f in PlanPdf._meta.fields]
