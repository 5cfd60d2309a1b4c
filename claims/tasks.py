"""Celery tasks for claims: the documents job runner with the evidence pack's builder."""

from typing import cast

from django.utils.translation import gettext_lazy as _

from documents import jobs

from .models import EvidencePack

# Build the claim's evidence pack (claims.packs). Running it again after a crash starts over;
# the ZIP is attached only once it is stored whole.
build_evidence_pack = jobs.job_task(
    "claims.tasks.build_evidence_pack",
    model=EvidencePack,
    produce="claims.packs.produce_pack",
    # Lazy: put in words in the language of the run (jobs.run makes them text).
    too_long=cast(str, _("The evidence pack took too long to build.")),
    failed=cast(str, _("The evidence pack could not be built: %(error)s")),
)
