from django.apps import AppConfig
from django.utils.module_loading import autodiscover_modules
from django.utils.translation import gettext_lazy as _


class NotificationsConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "notifications"
    verbose_name = _("Notifications")

    def ready(self) -> None:
        # Each app declares its kinds of notification and its reminders in its own
        # ``notifications`` module, as it registers its admin in ``admin``.
        autodiscover_modules("notifications")
