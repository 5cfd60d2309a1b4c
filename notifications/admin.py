from django.contrib import admin

from .models import Notification, Preference


@admin.register(Notification)
class NotificationAdmin(admin.ModelAdmin):
    list_display = ["kind", "recipient", "programme", "created_at", "read_at", "emailed_at"]
    list_filter = ["kind", "delivery"]
    raw_id_fields = ["recipient"]
    readonly_fields = ["event", "params", "content_type", "object_id"]


@admin.register(Preference)
class PreferenceAdmin(admin.ModelAdmin):
    list_display = ["user", "kind", "delivery"]
    raw_id_fields = ["user"]
