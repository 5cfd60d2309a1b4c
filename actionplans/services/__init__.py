"""Writes for local action plans: content with optimistic locking, the workflow, versions,
comments, measurements and PDFs.

Every rule lives here with a message on the field it concerns; views, the demo seeder and tests
all come through these functions.

One module per area; callers use `actionplans.services.<name>`."""

from .editing import (
    ROWS,
    SECTION_OF_MODEL,
    TEXT_SECTIONS,
    RowModel,
    plan_create,
    row_add,
    row_delete,
    row_update,
    rows_reorder,
    section_save,
    stale_message,
    title_save,
)
from .pdfs import (
    pdf_request,
    pdf_retry,
)
from .tracking import (
    action_status_set,
    measurement_add,
)
from .workflow import (
    comment_add,
    plan_approve,
    plan_complete,
    plan_endorse,
    plan_request_changes,
    plan_start,
    plan_submit,
    snapshot,
)

__all__ = [
    "ROWS",
    "RowModel",
    "SECTION_OF_MODEL",
    "TEXT_SECTIONS",
    "action_status_set",
    "comment_add",
    "measurement_add",
    "pdf_request",
    "pdf_retry",
    "plan_approve",
    "plan_complete",
    "plan_create",
    "plan_endorse",
    "plan_request_changes",
    "plan_start",
    "plan_submit",
    "row_add",
    "row_delete",
    "row_update",
    "rows_reorder",
    "section_save",
    "snapshot",
    "stale_message",
    "title_save",
]
