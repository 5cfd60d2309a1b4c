from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class PortalConfig(AppConfig):
    """The top floor: pages and commands that combine several apps. No app imports it."""

    name = "portal"
    verbose_name = _("Portal")
