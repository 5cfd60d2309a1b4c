"""How far a plan has got: pure arithmetic on its actions and indicators, no database.

- An action counts 1 when done, ½ in progress or delayed, 0 when planned; cancelled actions
  leave the count.
- An indicator counts how much of the way from baseline to target its latest measurement has
  gone, between 0 and 1 (targets below the baseline work the same way).
- The plan's progress is the mean of the two shares (or the one that exists), as a whole
  percentage rounded half up.
"""

from collections.abc import Iterable
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal

ACTION_WEIGHT = {"done": Decimal(1), "in_progress": Decimal("0.5"), "delayed": Decimal("0.5")}


@dataclass(frozen=True)
class Progress:
    actions: Decimal | None  # share 0..1, None without actions
    indicators: Decimal | None  # share 0..1, None without indicators
    percent: int | None  # None when there is nothing to measure


def action_share(statuses: Iterable[str]) -> Decimal | None:
    counted = [s for s in statuses if s != "cancelled"]
    if not counted:
        return None
    return sum((ACTION_WEIGHT.get(s, Decimal(0)) for s in counted), Decimal(0)) / len(counted)


def indicator_share(baseline: Decimal, target: Decimal, latest: Decimal | None) -> Decimal:
    if latest is None or target == baseline:
        return Decimal(0)
    share = (Decimal(latest) - baseline) / (target - baseline)
    return max(Decimal(0), min(Decimal(1), share))


def plan_progress(
    statuses: Iterable[str], indicators: Iterable[tuple[Decimal, Decimal, Decimal | None]]
) -> Progress:
    actions = action_share(statuses)
    shares = [indicator_share(b, t, latest) for b, t, latest in indicators]
    measured = sum(shares, Decimal(0)) / len(shares) if shares else None
    parts = [p for p in (actions, measured) if p is not None]
    if not parts:
        return Progress(actions, measured, None)
    mean = sum(parts, Decimal(0)) / len(parts)
    return Progress(actions, measured, int((mean * 100).quantize(Decimal(1), ROUND_HALF_UP)))
