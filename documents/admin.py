"""The technical administration of imports from spreadsheets.

Coordinators upload, preview and import on the portal's pages, whose services keep the rules;
here staff look up who imported which file into what, with what outcome or error. A run is a
record: shown, never added, changed or deleted here (its preview and upload are stored files
the run's pages serve to the person who uploaded them).
"""

from django.contrib import admin

from .models import ImportRun


@admin.register(ImportRun)
class ImportRunAdmin(admin.ModelAdmin):
    list_display = [
        "filename",
        "kind",
        "target_label",
        "requested_by",
        "requested_at",
        "stage",
        "status",
        "rows",
        "errors",
        "applied_at",
    ]
    list_filter = ["kind", "stage", "status"]
    search_fields = ["filename", "target_label", "sha256", "requested_by__email"]
    list_select_related = ["requested_by"]
    date_hierarchy = "requested_at"

    def get_readonly_fields(self, request, obj=None):
        return [field.name for field in self.model._meta.fields]

    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False
