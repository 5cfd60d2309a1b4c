from django.contrib import admin

from .models import City


@admin.register(City)
class CityAdmin(admin.ModelAdmin):
    list_display = ["name", "country", "charter_signatory"]
    list_filter = ["country", "charter_signatory"]
    search_fields = ["name"]
    prepopulated_fields = {"slug": ["name"]}
