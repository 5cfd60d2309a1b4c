"""A frozen version shown section by section, and two versions compared side by side.

Versions are plain data (services.snapshot). Text sections are compared word by word; the rows of
the list sections (actions, indicators, risks, local group) are matched by their id, so a row is
added, removed, changed or unchanged, and each changed field is compared word by word.

Every fragment is built from escaped text: what people typed never reaches a page unescaped.
"""

import re
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal, InvalidOperation
from difflib import SequenceMatcher

from django.utils.formats import date_format, number_format
from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext as _

from .models import (
    Action,
    ActionStatus,
    GroupMember,
    Indicator,
    IndicatorKind,
    Level,
    Risk,
    Section,
    Sector,
)

TEXT_SECTIONS = (Section.CONTEXT, Section.OBJECTIVES)
ROW_MODELS = {
    Section.ACTIONS: Action,
    Section.INDICATORS: Indicator,
    Section.RISKS: Risk,
    Section.LOCAL_GROUP: GroupMember,
}
# The fields each row shows, in order; the first one names the row.
ROW_FIELDS = {
    Section.ACTIONS: (
        "title",
        "description",
        "lead_department",
        "partners",
        "starts_on",
        "ends_on",
        "cost",
        "funding_source",
        "status",
        "recommendations",
        "commitments",
    ),
    Section.INDICATORS: ("name", "kind", "unit", "baseline", "target"),
    Section.RISKS: ("description", "likelihood", "impact", "mitigation"),
    Section.LOCAL_GROUP: ("organisation", "sector"),
}
CHOICES = {
    "status": ActionStatus,
    "kind": IndicatorKind,
    "likelihood": Level,
    "impact": Level,
    "sector": Sector,
}
DATES = {"starts_on", "ends_on"}
AMOUNTS = {"cost", "baseline", "target"}

_TOKENS = re.compile(r"\s+|[^\s]+")


def label(section: str, name: str) -> str:
    if name == "commitments":
        return str(_("Commitments"))
    return str(ROW_MODELS[section]._meta.get_field(name).verbose_name).capitalize()


def shown(name: str, value) -> str:
    """A snapshot value as a person reads it (still unescaped text)."""
    if value is None or value == "" or value == []:
        return ""
    if isinstance(value, list):
        return ", ".join(str(item) for item in value)
    if name in CHOICES:
        choices = dict(CHOICES[name].choices)
        return str(choices.get(value, value))
    if name in DATES:
        try:
            return date_format(date.fromisoformat(value), "DATE_FORMAT")
        except (TypeError, ValueError):
            return str(value)
    if name in AMOUNTS:
        try:
            return number_format(Decimal(value), 2, use_l10n=True, force_grouping=True)
        except (InvalidOperation, TypeError, ValueError):
            return str(value)
    return str(value)


def _escaped(text: str) -> str:
    """Escaped text whose line breaks stay visible."""
    return escape(text).replace("\n", "<br>")


def plain(text: str) -> SafeString:
    return mark_safe(_escaped(text))  # noqa: S308 - built from escaped text only


def sides(old: str, new: str) -> tuple[SafeString, SafeString]:
    """Two texts compared word by word: the old one with <del> where words went, the new one
    with <ins> where words came."""
    a, b = _TOKENS.findall(old or ""), _TOKENS.findall(new or "")
    left, right = [], []
    for op, i1, i2, j1, j2 in SequenceMatcher(None, a, b, autojunk=False).get_opcodes():
        removed, added = "".join(a[i1:i2]), "".join(b[j1:j2])
        if op == "equal":
            left.append(_escaped(removed))
            right.append(_escaped(added))
            continue
        if removed:
            left.append(f"<del>{_escaped(removed)}</del>")
        if added:
            right.append(f"<ins>{_escaped(added)}</ins>")
    return mark_safe("".join(left)), mark_safe("".join(right))  # noqa: S308 - escaped above


# One version, read-only -------------------------------------------------------------------------


@dataclass
class Cell:
    label: str
    value: str


@dataclass
class ShownRow:
    id: int
    name: str
    cells: list[Cell]


@dataclass
class ShownSection:
    key: str
    label: str
    text: str | None = None
    rows: list[ShownRow] = field(default_factory=list)
    comments: list = field(default_factory=list)

    @property
    def is_text(self) -> bool:
        return self.text is not None


def sections(snapshot: dict) -> list[ShownSection]:
    """The version's sections in reading order; the plan-as-a-whole section last, empty."""
    shown_sections = []
    for section in TEXT_SECTIONS:
        shown_sections.append(
            ShownSection(section.value, str(section.label), text=snapshot.get(section.value, ""))
        )
    for section, names in ROW_FIELDS.items():
        rows = [
            ShownRow(
                id=row.get("id"),
                name=shown(names[0], row.get(names[0])),
                cells=[Cell(label(section, n), shown(n, row.get(n))) for n in names[1:]],
            )
            for row in snapshot.get(section.value, [])
        ]
        shown_sections.append(ShownSection(section.value, str(section.label), rows=rows))
    shown_sections.append(ShownSection(Section.GENERAL.value, str(Section.GENERAL.label)))
    return shown_sections


# Two versions side by side ------------------------------------------------------------------------

ADDED, REMOVED, CHANGED, SAME = "added", "removed", "changed", "unchanged"


@dataclass
class CellDiff:
    label: str
    old: SafeString
    new: SafeString
    changed: bool


@dataclass
class RowDiff:
    status: str
    old_name: SafeString
    new_name: SafeString
    cells: list[CellDiff]

    @property
    def status_label(self) -> str:
        return {
            ADDED: _("Added"),
            REMOVED: _("Removed"),
            CHANGED: _("Changed"),
            SAME: _("Unchanged"),
        }[self.status]


@dataclass
class SectionDiff:
    key: str
    label: str
    changed: bool
    old_text: SafeString | None = None
    new_text: SafeString | None = None
    rows: list[RowDiff] = field(default_factory=list)

    @property
    def is_text(self) -> bool:
        return self.old_text is not None


def _row_diff(section: str, old: dict | None, new: dict | None) -> RowDiff:
    names = ROW_FIELDS[section]
    cells = []
    for name in names[1:]:
        before = shown(name, old.get(name)) if old is not None else ""
        after = shown(name, new.get(name)) if new is not None else ""
        left, right = sides(before, after)
        cells.append(CellDiff(label(section, name), left, right, before != after))
    before = shown(names[0], old.get(names[0])) if old is not None else ""
    after = shown(names[0], new.get(names[0])) if new is not None else ""
    old_name, new_name = sides(before, after)
    if old is None:
        status = ADDED
    elif new is None:
        status = REMOVED
    elif before != after or any(cell.changed for cell in cells):
        status = CHANGED
    else:
        status = SAME
    return RowDiff(status, old_name, new_name, cells)


def _rows_diff(section: str, old_rows: list[dict], new_rows: list[dict]) -> list[RowDiff]:
    """Rows of the newer version in its order, each with its older self; rows gone since are
    shown where they stood before."""
    old_by_id = {row.get("id"): row for row in old_rows}
    new_ids = {row.get("id") for row in new_rows}
    diffs = [_row_diff(section, old_by_id.get(row.get("id")), row) for row in new_rows]
    for index, row in enumerate(old_rows):
        if row.get("id") not in new_ids:
            diffs.insert(min(index, len(diffs)), _row_diff(section, row, None))
    return diffs


def compare(old: dict, new: dict) -> list[SectionDiff]:
    """Each section of two snapshots, side by side, changes marked."""
    result = []
    for section in TEXT_SECTIONS:
        before, after = old.get(section.value, "") or "", new.get(section.value, "") or ""
        left, right = sides(before, after)
        result.append(
            SectionDiff(
                section.value, str(section.label), before != after, old_text=left, new_text=right
            )
        )
    for section in ROW_FIELDS:
        rows = _rows_diff(section, old.get(section.value, []), new.get(section.value, []))
        changed = any(row.status != SAME for row in rows)
        result.append(SectionDiff(section.value, str(section.label), changed, rows=rows))
    return result
