from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class DocumentsConfig(AppConfig):
    name = "documents"
    verbose_name = _("Documents")

    def ready(self) -> None:
        from . import (
            checks,  # noqa: F401 - registers the font check
            jobs,
        )
        from .models import ImportRun
        from .tasks import run_import

        jobs.register(ImportRun, run_import)
