from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ActionplansConfig(AppConfig):
    name = "actionplans"
    verbose_name = _("Action plans")

    def ready(self) -> None:
        from documents import jobs

        from .models import PlanPdf
        from .tasks import build_plan_pdf

        jobs.register(PlanPdf, build_plan_pdf)
