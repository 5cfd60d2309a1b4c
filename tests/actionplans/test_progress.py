"""The progress arithmetic, by hand."""

from decimal import Decimal

from actionplans.progress import action_share, indicator_share, plan_progress


def test_actions_count_done_whole_and_started_half_and_cancelled_not_at_all():
    assert action_share(["done", "in_progress", "planned", "cancelled"]) == Decimal(1) / 2
    assert action_share(["cancelled"]) is None
    assert action_share([]) is None


def test_indicators_count_the_way_from_baseline_to_target():
    assert indicator_share(Decimal(2), Decimal(12), Decimal(7)) == Decimal("0.5")
    assert indicator_share(Decimal(2), Decimal(12), Decimal(20)) == 1
    assert indicator_share(Decimal(2), Decimal(12), Decimal(0)) == 0
    assert indicator_share(Decimal(2), Decimal(12), None) == 0
    # A target below the baseline (fewer complaints, say) works the same way.
    assert indicator_share(Decimal(40), Decimal(20), Decimal(30)) == Decimal("0.5")


def test_the_plan_is_the_mean_of_both_rounded_half_up():
    progress = plan_progress(["done", "planned"], [(Decimal(0), Decimal(8), Decimal(1))])
    # actions ½, indicators ⅛: mean 0.3125 → 31 %
    assert progress.percent == 31
    assert plan_progress([], []).percent is None
    assert plan_progress(["done", "in_progress"], []).percent == 75
    # 0.125 exactly: 12.5 % rounds half up to 13.
    assert plan_progress([], [(Decimal(0), Decimal(8), Decimal(1))]).percent == 13
