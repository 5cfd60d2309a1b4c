from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ToolkitsConfig(AppConfig):
    name = "toolkits"
    verbose_name = _("Toolkits")

    def ready(self) -> None:
        from documents import jobs

        from . import search
        from .models import Rendering
        from .tasks import render_pdf

        jobs.register(Rendering, render_pdf)
        search.connect()
