"""An expenditure line saved with its receipt: the receipt checked (``claims.receipts``) and
stored in the same transaction as the line, so a refused line keeps no receipt row, and its
file is taken out of storage again."""

from django.core.exceptions import ValidationError
from django.core.files import File
from django.db import transaction

from accounts.models import User
from documents.models import StoredFile

from ..models import Claim, ClaimLine
from ..receipts import checked_receipt
from .claims import line_save


@transaction.atomic
def line_save_with_receipt(
    *,
    claim: Claim,
    line: ClaimLine,
    by: User,
    version: str | None = None,
    receipt: File | None = None,
) -> ClaimLine:
    """``line_save``, with a new receipt when one is uploaded (else the line keeps its own)."""
    stored = None
    if receipt is not None:
        try:
            checked = checked_receipt(receipt)
        except ValidationError as error:
            raise ValidationError({"receipt": error.messages}) from error
        stored = StoredFile.store(
            checked.content, filename=checked.filename, content_type=checked.content_type
        )
        line.receipt = stored
        line.receipt_name = checked.original_name
    try:
        return line_save(claim=claim, line=line, by=by, version=version)
    except Exception:
        if stored is not None:  # its row goes with the rollback; its file goes now
            stored.file.delete(save=False)
        raise
