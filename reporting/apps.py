from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ReportingConfig(AppConfig):
    name = "reporting"
    verbose_name = _("Reporting")

    def ready(self) -> None:
        from documents import jobs

        from .models import StaffCostReport
        from .tasks import build_staff_cost_report

        jobs.register(StaffCostReport, build_staff_cost_report)

        from mentoring.services.programmes import register_pricing_in_use

        from .selectors import programme_has_approved_months

        register_pricing_in_use(programme_has_approved_months)

        from . import imports

        imports.register()
