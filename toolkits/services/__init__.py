"""Writes for good practices and toolkits: writing, the review workflow, toolkit contents,
publishing editions and asking for their PDFs.

Every rule lives here with a message on the field it concerns; views, the demo seeder,
benchmarks and tests all come through these functions.

One module per area; callers use `toolkits.services.<name>`."""

from .practices import (
    PRACTICE_FIELDS,
    PRACTICE_RELATIONS,
    clean_links,
    practice_create,
    practice_field_errors,
    practice_image_add,
    practice_image_delete,
    practice_publish,
    practice_return,
    practice_submit,
    practice_update,
    practice_withdraw,
)
from .renderings import (
    edition_rendering,
    edition_rendering_hash,
    pdf_languages,
    practice_rendering,
    practice_rendering_hash,
    rendering_redo,
    rendering_retry,
)
from .target_groups import target_group_delete, target_group_save
from .toolkits import (
    edition_publish,
    practices_version,
    success_factors_version,
    toolkit_create,
    toolkit_set_practices,
    toolkit_set_success_factors,
    toolkit_update,
)

__all__ = [
    "target_group_delete",
    "target_group_save",
    "PRACTICE_FIELDS",
    "PRACTICE_RELATIONS",
    "clean_links",
    "edition_publish",
    "edition_rendering",
    "edition_rendering_hash",
    "pdf_languages",
    "practice_create",
    "practice_field_errors",
    "practice_image_add",
    "practice_image_delete",
    "practice_publish",
    "practice_rendering",
    "practice_rendering_hash",
    "practice_return",
    "practice_submit",
    "practice_update",
    "practice_withdraw",
    "rendering_redo",
    "rendering_retry",
    "toolkit_create",
    "practices_version",
    "success_factors_version",
    "toolkit_set_practices",
    "toolkit_set_success_factors",
    "toolkit_update",
]
