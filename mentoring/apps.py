from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class MentoringConfig(AppConfig):
    name = "mentoring"
    verbose_name = _("Mentoring")

    def ready(self) -> None:
        # The programme's imports from spreadsheets: cities, people, events, attendance.
        from .imports import register

        register()
