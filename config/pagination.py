"""Pages of a long list, newest first, without counting it (keyset pagination).

A list of a million rows (the audit trail) cannot afford ``Paginator``'s exact count, nor an
OFFSET that reads every row before a deep page. A keyset page starts after the last row the
person saw: ``?before=<cursor>`` lists what is older than that row, ``?after=<cursor>`` what is
newer, with the same index walk and the same cost on every page. The cursor is the row's time
and primary key; it only narrows the queryset it is given, so a made-up cursor shows nothing the
person could not see anyway. One that cannot be read shows the newest page, as ``get_page``
does with a page number it cannot read.

``count_up_to`` says how many rows there are up to a bound ("more than 500"), which costs at
most the bound's rows.
"""

import re
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

from django.db.models import Q, QuerySet
from django.http import HttpRequest, QueryDict

EPOCH = datetime(1970, 1, 1, tzinfo=UTC)
MICROSECOND = timedelta(microseconds=1)
CURSOR = re.compile(r"(-?\d{1,18})-(\d{1,18})")
# Parameters that a page link replaces rather than keeps.
PAGE_KEYS = ("before", "after", "page", "format")


@dataclass(frozen=True)
class KeysetPage:
    object_list: list
    # The query strings of the links (without "?"); None where there is no such page.
    newest: str | None  # the first page, None on it
    newer: str | None
    older: str | None

    def __iter__(self):
        return iter(self.object_list)

    def __len__(self) -> int:
        return len(self.object_list)


def cursor_of(moment: datetime, pk: int) -> str:
    return f"{(moment - EPOCH) // MICROSECOND}-{pk}"


def parse_cursor(value: str | None) -> tuple[datetime, int] | None:
    match = CURSOR.fullmatch(value or "")
    if match is None:
        return None
    try:
        return EPOCH + int(match[1]) * MICROSECOND, int(match[2])
    except OverflowError:
        return None


def _query(params: QueryDict, **cursor: str) -> str:
    query = params.copy()
    for key in PAGE_KEYS:
        query.pop(key, None)
    for key, value in cursor.items():
        query[key] = value
    return query.urlencode()


def keyset_page(
    request: HttpRequest, queryset: QuerySet, *, per_page: int, field: str = "timestamp"
) -> KeysetPage:
    """The page of ``queryset`` (newest first by ``field``, then by primary key) that the
    request's ``before`` or ``after`` cursor points to; the newest page without one."""
    before = parse_cursor(request.GET.get("before"))
    after = None if before else parse_cursor(request.GET.get("after"))
    newest_first = queryset.order_by(f"-{field}", "-pk")
    if after is not None:
        moment, pk = after
        found = list(
            queryset.filter(Q(**{f"{field}__gt": moment}) | Q(**{field: moment, "pk__gt": pk}))
            .filter(**{f"{field}__gte": moment})  # lets the index on the field bound the walk
            .order_by(field, "pk")[: per_page + 1]
        )
        rows = list(reversed(found[:per_page]))
        has_newer, has_older = len(found) > per_page, True
    else:
        if before is not None:
            moment, pk = before
            newest_first = newest_first.filter(
                Q(**{f"{field}__lt": moment}) | Q(**{field: moment, "pk__lt": pk})
            ).filter(**{f"{field}__lte": moment})
        found = list(newest_first[: per_page + 1])
        rows = found[:per_page]
        has_newer, has_older = before is not None, len(found) > per_page
    params = request.GET
    first, last = (rows[0], rows[-1]) if rows else (None, None)
    return KeysetPage(
        object_list=rows,
        newest=_query(params) if before or after else None,
        newer=_query(params, after=cursor_of(getattr(first, field), first.pk))
        if has_newer and first is not None
        else None,
        older=_query(params, before=cursor_of(getattr(last, field), last.pk))
        if has_older and last is not None
        else None,
    )


def count_up_to(queryset: QuerySet, limit: int) -> tuple[int, bool]:
    """How many rows there are, up to ``limit``, and whether there are more: reads at most
    ``limit + 1`` rows."""
    counted = queryset.order_by()[: limit + 1].count()
    return min(counted, limit), counted > limit
