"""Celery tasks for toolkits: the documents job runner with the PDF renderer."""

from django.utils.translation import gettext_lazy as _

from documents import jobs

from .models import Rendering

# Render a toolkit edition or a practice to PDF. Running it again after a crash starts over;
# the file is attached only once it is stored whole.
render_pdf = jobs.job_task(
    "toolkits.tasks.render_pdf",
    model=Rendering,
    produce="toolkits.rendering.produce_rendering",
    too_long=_("The PDF took too long to make."),
    failed=_("The PDF could not be made: %(error)s"),
)
