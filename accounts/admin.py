from django.contrib import admin
from django.contrib.auth.admin import UserAdmin as BaseUserAdmin
from django.utils.translation import gettext_lazy as _

from .models import Invitation, Membership, User


class MembershipInline(admin.TabularInline):
    model = Membership
    extra = 0
    autocomplete_fields = ["programme", "scheme", "city"]


@admin.register(User)
class UserAdmin(BaseUserAdmin):
    ordering = ["email"]
    list_display = ["email", "full_name", "is_active", "is_staff", "date_joined"]
    list_filter = ["is_active", "is_staff", "memberships__role"]
    search_fields = ["email", "full_name"]
    inlines = [MembershipInline]
    fieldsets = [
        (None, {"fields": ["email", "password"]}),
        (_("Personal details"), {"fields": ["full_name"]}),
        (
            _("Permissions"),
            {"fields": ["is_active", "is_staff", "is_superuser", "groups", "user_permissions"]},
        ),
        (_("Dates"), {"fields": ["last_login", "date_joined"]}),
    ]
    add_fieldsets = [
        (None, {"classes": ["wide"], "fields": ["email", "full_name", "password1", "password2"]}),
    ]


@admin.register(Membership)
class MembershipAdmin(admin.ModelAdmin):
    list_display = ["user", "role", "programme", "scheme", "city"]
    list_filter = ["role", "programme"]
    search_fields = ["user__email", "user__full_name", "city__name"]
    autocomplete_fields = ["user", "programme", "scheme", "city"]
    list_select_related = ["user", "programme", "scheme", "city"]


@admin.register(Invitation)
class InvitationAdmin(admin.ModelAdmin):
    list_display = ["email", "role", "programme", "scheme", "city", "created_at", "accepted_at"]
    list_filter = ["role", "accepted_at"]
    search_fields = ["email", "full_name"]
    autocomplete_fields = ["programme", "scheme", "city", "invited_by", "accepted_by"]
    list_select_related = ["programme", "scheme", "city"]
