from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ClaimsConfig(AppConfig):
    name = "claims"
    verbose_name = _("Claims and verification")

    def ready(self) -> None:
        from documents import jobs

        from .models import EvidencePack
        from .tasks import build_evidence_pack

        jobs.register(EvidencePack, build_evidence_pack)
