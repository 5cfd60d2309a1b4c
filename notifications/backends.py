"""The sign-in backends, whose user carries the number of their unread notifications: the bell
on every page costs no query of its own (it rides on the query that loads the user)."""

from allauth.account.auth_backends import AuthenticationBackend
from django.contrib.auth import get_user_model
from django.contrib.auth.backends import ModelBackend
from django.db.models import Count, OuterRef, Subquery, Value
from django.db.models.functions import Coalesce

from .models import Notification


class CarriesUnreadCount:
    def get_user(self, user_id):
        unread = (
            Notification.objects.filter(recipient=OuterRef("pk"), read_at__isnull=True)
            .order_by()
            .values("recipient")
            .annotate(count=Count("pk"))
            .values("count")
        )
        model = get_user_model()
        try:
            user = model._default_manager.annotate(
                unread_notifications=Coalesce(Subquery(unread), Value(0))
            ).get(pk=user_id)
        except model.DoesNotExist:
            return None
        return user if self.user_can_authenticate(user) else None


class ModelBackendWithBell(CarriesUnreadCount, ModelBackend):
    """Django's backend (e-mail and password)."""


class AllauthBackendWithBell(CarriesUnreadCount, AuthenticationBackend):
    """allauth's backend (its sign-in, invitations, MFA)."""
