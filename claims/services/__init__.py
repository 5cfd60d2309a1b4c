"""Writes of claims, a module per area: the city's claim (``claims``), its verification
(``verification``), the programme's set-up (``setup``) and audits (``audits``)."""

from .claims import (
    claim_open,
    claim_reopen,
    claim_submit,
    claim_sync,
    line_delete,
    line_save,
)

__all__ = [
    "claim_open",
    "claim_reopen",
    "claim_submit",
    "claim_sync",
    "line_delete",
    "line_save",
]
