from django.contrib import admin

from .models import (
    CharterCommitment,
    ExpertOrganisation,
    Pairing,
    Participation,
    Programme,
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


@admin.register(CharterCommitment)
class CharterCommitmentAdmin(admin.ModelAdmin):
    list_display = ["__str__"]

    def has_add_permission(self, request):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


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
