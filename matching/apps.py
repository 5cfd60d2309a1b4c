from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class MatchingConfig(AppConfig):
    """Ranks mentor candidates for an implementing city: reads mentoring, cities and toolkits."""

    name = "matching"
    verbose_name = _("Matching")
