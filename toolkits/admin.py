"""The technical administration of good practices and toolkits.

People write, review and publish through the portal's pages, whose services keep the rules and
the history; here staff look things up and mend what the pages cannot. Review steps, published
editions and PDF renderings are records and stay read-only.
"""

from django.contrib import admin

from .models import (
    GoodPractice,
    PracticeImage,
    PracticeReview,
    Rendering,
    SuccessFactor,
    TargetGroup,
    Toolkit,
    ToolkitEdition,
    ToolkitEntry,
)


class ReadOnlyAdminMixin:
    """Shown, never added, changed or deleted here."""

    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


class PracticeImageInline(admin.TabularInline):
    model = PracticeImage
    extra = 0
    fields = ["image", "alt_text", "caption", "position"]


class PracticeReviewInline(ReadOnlyAdminMixin, admin.TabularInline):
    model = PracticeReview
    extra = 0
    fields = ["at", "action", "by", "comment"]
    readonly_fields = fields
    ordering = ["at", "pk"]


@admin.register(GoodPractice)
class GoodPracticeAdmin(admin.ModelAdmin):
    list_display = ["title", "city", "scheme", "status", "language", "updated_at", "published_at"]
    list_filter = ["status", "scheme__programme", "scheme", "language"]
    search_fields = ["title", "summary", "city__name", "slug"]
    list_select_related = ["city", "scheme__programme"]
    readonly_fields = ["slug", "status", "created_at", "updated_at", "published_at"]
    raw_id_fields = ["author"]
    autocomplete_fields = ["city"]
    filter_horizontal = ["target_groups", "commitments"]
    date_hierarchy = "updated_at"
    inlines = [PracticeImageInline, PracticeReviewInline]


@admin.register(TargetGroup)
class TargetGroupAdmin(admin.ModelAdmin):
    list_display = ["name", "programme", "position"]
    list_filter = ["programme"]


class SuccessFactorInline(admin.TabularInline):
    model = SuccessFactor
    extra = 0
    fields = ["position", "name", "description"]


class ToolkitEntryInline(admin.TabularInline):
    model = ToolkitEntry
    extra = 0
    fields = ["position", "practice"]
    raw_id_fields = ["practice"]


@admin.register(Toolkit)
class ToolkitAdmin(admin.ModelAdmin):
    list_display = ["title", "scheme", "language", "updated_at"]
    list_filter = ["scheme__programme", "scheme", "language"]
    search_fields = ["title", "introduction"]
    list_select_related = ["scheme__programme"]
    prepopulated_fields = {"slug": ["title"]}
    readonly_fields = ["created_at", "updated_at"]
    inlines = [SuccessFactorInline, ToolkitEntryInline]

    # A toolkit's address never changes once it exists (its editions' PDFs are linked from
    # elsewhere); programmes and cities, whose slugs may change, keep their old ones instead.
    def get_prepopulated_fields(self, request, obj=None):
        return {} if obj else self.prepopulated_fields

    def get_readonly_fields(self, request, obj=None):
        return [*self.readonly_fields, "slug"] if obj else self.readonly_fields


@admin.register(ToolkitEdition)
class ToolkitEditionAdmin(ReadOnlyAdminMixin, admin.ModelAdmin):
    list_display = ["toolkit", "number", "published_on", "published_by"]
    list_filter = ["toolkit__scheme__programme", "toolkit"]
    search_fields = ["toolkit__title", "notes"]
    list_select_related = ["toolkit", "published_by"]
    fields = [
        "toolkit",
        "number",
        "published_on",
        "published_by",
        "notes",
        "content_hash",
        "snapshot",
    ]
    readonly_fields = fields


@admin.register(Rendering)
class RenderingAdmin(ReadOnlyAdminMixin, admin.ModelAdmin):
    list_display = ["__str__", "language", "status", "requested_at", "finished_at"]
    list_filter = ["status", "language"]
    search_fields = ["edition__toolkit__title", "practice__title", "content_hash"]
    list_select_related = ["edition__toolkit", "practice"]

    def get_readonly_fields(self, request, obj=None):
        return [field.name for field in self.model._meta.fields]
