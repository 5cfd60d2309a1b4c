"""The programme's claim set-up through its services: rules, periods, cost options, budgets,
the checklist and controllers' assignments."""

from datetime import date, timedelta
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError

from accounts.selectors import today_for
from claims.models import (
    AutoCheck,
    Category,
    ChecklistKind,
    ChecklistQuestion,
    CityBudget,
    ControlAssignment,
    CostOption,
    CostOptionKind,
    ReportingPeriod,
)
from claims.services.setup import (
    assignment_end,
    assignment_save,
    budget_key,
    budgets_save,
    cost_option_remove,
    cost_option_save,
    period_save,
    periods_generate,
    question_delete,
    question_save,
    questions_add_auto_checks,
    rules_save,
    split_periods,
)
from config.stale import StaleError, version_of
from tests.reporting.factories import fresh

from .factories import build_claim_world, controller_user, open_claim

pytestmark = pytest.mark.django_db


@pytest.fixture
def world():
    return build_claim_world()


def fields_of(error: ValidationError) -> set[str]:
    return set(error.value.message_dict)


def test_a_24_month_programme_gets_four_6_month_periods_with_deadlines(world):
    programme = world.programme
    ReportingPeriod.objects.filter(programme=programme).delete()
    ControlAssignment.objects.all().delete()
    made = periods_generate(programme=programme, months=6, deadline_days=60, by=world.coordinator)
    got = [(p.number, p.starts_on, p.ends_on, p.deadline) for p in made]
    assert got == [
        (1, date(2016, 10, 1), date(2017, 3, 31), date(2017, 5, 30)),
        (2, date(2017, 4, 1), date(2017, 9, 30), date(2017, 11, 29)),
        (3, date(2017, 10, 1), date(2018, 3, 31), date(2018, 5, 30)),
        (4, date(2018, 4, 1), date(2018, 9, 30), date(2018, 11, 29)),
    ]
    # Generating again replaces periods nobody uses.
    again = periods_generate(programme=programme, months=12, deadline_days=0, by=world.coordinator)
    assert [(p.starts_on, p.ends_on) for p in again] == [
        (date(2016, 10, 1), date(2017, 9, 30)),
        (date(2017, 10, 1), date(2018, 9, 30)),
    ]
    assert ReportingPeriod.objects.filter(programme=programme).count() == 2


def test_the_last_period_ends_with_the_programme():
    assert split_periods(date(2016, 1, 31), date(2016, 7, 15), 2) == [
        (date(2016, 1, 31), date(2016, 3, 30)),
        (date(2016, 3, 31), date(2016, 5, 30)),
        (date(2016, 5, 31), date(2016, 7, 15)),
    ]


def test_generating_is_refused_once_a_period_has_a_claim_or_an_assignment(world):
    with pytest.raises(ValidationError, match="assigned"):
        periods_generate(
            programme=world.programme, months=6, deadline_days=60, by=world.coordinator
        )
    open_claim(world)
    with pytest.raises(ValidationError, match="started claims"):
        periods_generate(
            programme=world.programme, months=6, deadline_days=60, by=world.coordinator
        )
    assert ReportingPeriod.objects.filter(programme=world.programme).count() == 2


def test_only_a_coordinator_of_the_programme_sets_up(world):
    for person in (world.outsider_coordinator, world.officer, world.controller):
        with pytest.raises(ValidationError, match="coordinator"):
            rules_save(
                programme=world.programme,
                burn_warning_percent=70,
                sample_percent=50,
                by=fresh(person),
            )


def test_rules_are_saved_and_a_stale_page_is_refused(world):
    rules = rules_save(
        programme=world.programme, burn_warning_percent=70, sample_percent=25, by=world.coordinator
    )
    page = version_of(rules)
    rules_save(
        programme=world.programme,
        burn_warning_percent=75,
        sample_percent=25,
        by=world.coordinator,
        expected_version=page,
    )
    with pytest.raises(StaleError):
        rules_save(
            programme=world.programme,
            burn_warning_percent=90,
            sample_percent=25,
            by=world.coordinator,
            expected_version=page,
        )
    with pytest.raises(ValidationError) as error:
        rules_save(
            programme=world.programme,
            burn_warning_percent=120,
            sample_percent=25,
            by=world.coordinator,
        )
    assert fields_of(error) == {"burn_warning_percent"}


def test_a_period_with_claims_keeps_its_dates(world):
    open_claim(world)
    period = world.period
    with pytest.raises(ValidationError) as error:
        period_save(
            programme=world.programme,
            period=period,
            number=1,
            starts_on=period.starts_on,
            ends_on=date(2017, 2, 28),
            deadline=period.deadline,
            by=world.coordinator,
        )
    assert fields_of(error) == {"ends_on"}
    saved = period_save(
        programme=world.programme,
        period=period,
        number=1,
        starts_on=period.starts_on,
        ends_on=period.ends_on,
        deadline=date(2017, 6, 30),
        by=world.coordinator,
    )
    assert saved.deadline == date(2017, 6, 30)


def test_a_new_period_is_checked_field_by_field(world):
    def refused(**changes) -> set[str]:
        fields = {
            "number": 3,
            "starts_on": date(2017, 10, 1),
            "ends_on": date(2018, 3, 31),
            "deadline": date(2018, 5, 31),
        } | changes
        with pytest.raises(ValidationError) as error:
            period_save(programme=world.programme, period=None, by=world.coordinator, **fields)
        return fields_of(error)

    assert refused(number=2) == {"number"}
    assert refused(starts_on=date(2017, 9, 1)) == {"starts_on"}  # overlaps period 2
    assert refused(deadline=date(2018, 3, 1)) == {"deadline"}
    assert refused(ends_on=date(2019, 1, 31), deadline=date(2019, 3, 1)) == {"ends_on"}
    assert refused(ends_on=date(2017, 9, 30)) == {"ends_on"}
    made = period_save(
        programme=world.programme,
        period=None,
        number=3,
        starts_on=date(2017, 10, 1),
        ends_on=date(2018, 3, 31),
        deadline=date(2018, 5, 31),
        by=world.coordinator,
    )
    assert made.number == 3


def option(world, **fields):
    values = {
        "programme": world.programme,
        "option": None,
        "name": "Expert day",
        "kind": CostOptionKind.UNIT,
        "category": Category.EXPERTISE,
        "amount": Decimal("400"),
        "unit": "day of an expert",
        "rate": None,
        "by": world.coordinator,
    } | fields
    return cost_option_save(**values)


def test_each_kind_of_cost_option_needs_its_figures(world):
    def refused(**fields) -> set[str]:
        with pytest.raises(ValidationError) as error:
            option(world, **fields)
        return fields_of(error)

    assert refused(amount=None) == {"amount"}
    assert refused(unit="  ") == {"unit"}
    assert refused(kind=CostOptionKind.LUMP_SUM, amount=Decimal(0)) == {"amount"}
    assert refused(kind=CostOptionKind.FLAT_RATE, rate=None) == {"rate"}
    assert refused(kind=CostOptionKind.FLAT_RATE, rate=Decimal("1.5")) == {"rate"}
    assert refused(category=Category.STAFF) == {"category"}
    assert refused(name=world.unit.name, category=Category.TRAVEL) == {"name"}
    flat = option(world, name="Travel, 5 %", kind=CostOptionKind.FLAT_RATE, rate=Decimal("0.05"))
    assert (flat.amount, flat.unit, flat.rate) == (None, "", Decimal("0.05"))
    lump = option(world, name="Final event", kind=CostOptionKind.LUMP_SUM, unit="ignored")
    assert (lump.amount, lump.unit, lump.rate) == (Decimal("400"), "", None)


def test_a_cost_option_in_use_is_taken_out_of_use_not_deleted(world):
    claim = open_claim(world)
    assert claim.lines.filter(cost_option=world.flat).exists()
    with pytest.raises(ValidationError) as error:
        option(
            world,
            option=world.flat,
            name=world.flat.name,
            kind=CostOptionKind.FLAT_RATE,
            category=Category.OFFICE,
            rate=Decimal("0.20"),
        )
    assert fields_of(error) == {"rate"}
    assert cost_option_remove(option=world.flat, by=world.coordinator) is False
    world.flat.refresh_from_db()
    assert world.flat.active is False
    assert cost_option_remove(option=world.unit, by=world.coordinator) is True
    assert not CostOption.objects.filter(pk=world.unit.pk).exists()


def test_budgets_are_saved_per_city_and_category(world):
    ghent, gdansk = world.city, world.other_city
    changed = budgets_save(
        programme=world.programme,
        amounts={
            (ghent.pk, Category.STAFF): Decimal("10000"),
            (ghent.pk, Category.TRAVEL): Decimal("2000"),
            (gdansk.pk, Category.STAFF): None,
        },
        by=world.coordinator,
    )
    assert changed == 2
    assert set(CityBudget.objects.values_list("city_id", "category", "amount")) == {
        (ghent.pk, "staff", Decimal("10000.00")),
        (ghent.pk, "travel", Decimal("2000.00")),
    }
    changed = budgets_save(
        programme=world.programme,
        amounts={
            (ghent.pk, Category.STAFF): Decimal("10000"),
            (ghent.pk, Category.TRAVEL): None,
        },
        by=world.coordinator,
    )
    assert changed == 1
    assert CityBudget.objects.count() == 1
    with pytest.raises(ValidationError) as error:
        budgets_save(
            programme=world.programme,
            amounts={(ghent.pk, Category.OTHER): Decimal("-1")},
            by=world.coordinator,
        )
    assert fields_of(error) == {budget_key(ghent.pk, "other")}


def test_budgets_from_a_stale_page_are_refused(world):
    budgets_save(
        programme=world.programme,
        amounts={(world.city.pk, Category.STAFF): Decimal("10")},
        by=world.coordinator,
    )
    with pytest.raises(StaleError):
        budgets_save(
            programme=world.programme,
            amounts={(world.city.pk, Category.STAFF): Decimal("20")},
            by=world.coordinator,
            expected_version="drawn-before",
        )


def test_checklist_questions_and_tandems_own_checks(world):
    with pytest.raises(ValidationError) as error:
        question_save(
            programme=world.programme,
            question=None,
            text="How well documented is the procurement?",
            kind=ChecklistKind.SCORE,
            max_score=None,
            position=1,
            by=world.coordinator,
        )
    assert fields_of(error) == {"max_score"}
    scored = question_save(
        programme=world.programme,
        question=None,
        text="How well documented is the procurement?",
        kind=ChecklistKind.SCORE,
        max_score=5,
        position=1,
        by=world.coordinator,
    )
    added = questions_add_auto_checks(programme=world.programme, by=world.coordinator)
    assert [q.auto_check for q in added] == [c.value for c in AutoCheck]
    assert [q.text for q in added] == [str(c.label) for c in AutoCheck]
    assert all(q.kind == ChecklistKind.YES_NO for q in added)
    assert questions_add_auto_checks(programme=world.programme, by=world.coordinator) == []
    with pytest.raises(ValidationError) as error:
        question_save(
            programme=world.programme,
            question=added[0],
            text=added[0].text,
            kind=ChecklistKind.TEXT,
            max_score=None,
            position=2,
            by=world.coordinator,
        )
    assert fields_of(error) == {"kind"}
    question_delete(question=scored, by=world.coordinator)
    assert ChecklistQuestion.objects.filter(programme=world.programme).count() == len(AutoCheck)


def test_assignments_and_their_end(world):
    today = today_for(world.coordinator)
    save = {
        "programme": world.programme,
        "assignment": None,
        "controller": world.other_controller,
        "city": world.other_city,
        "period": world.period,
        "starts_on": today - timedelta(days=10),
        "ends_on": today + timedelta(days=30),
        "by": world.coordinator,
    }
    with pytest.raises(ValidationError) as error:
        assignment_save(**save | {"controller": world.officer})
    assert fields_of(error) == {"controller"}
    with pytest.raises(ValidationError) as error:
        assignment_save(**save | {"ends_on": today - timedelta(days=20)})
    assert fields_of(error) == {"ends_on"}
    with pytest.raises(ValidationError) as error:
        assignment_save(**save | {"controller": world.controller, "city": world.city})
    assert fields_of(error) == {"period"}  # assigned already
    assignment = assignment_save(**save)
    assert assignment.assigned_by == world.coordinator
    ended = assignment_end(assignment=assignment, by=world.coordinator)
    assert ended is not None
    assert ended.ends_on == today - timedelta(days=1)
    with pytest.raises(ValidationError, match="ended"):
        assignment_end(assignment=ended, by=world.coordinator)
    # One that has not started yet is removed.
    later = assignment_save(
        **save
        | {
            "period": world.next_period,
            "starts_on": today + timedelta(days=1),
            "ends_on": today + timedelta(days=5),
        }
    )
    assert assignment_end(assignment=later, by=world.coordinator) is None
    assert not ControlAssignment.objects.filter(pk=later.pk).exists()


def test_a_controller_of_another_programme_is_not_assigned(world):
    from tests.mentoring.factories import ProgrammeFactory

    stranger = controller_user(ProgrammeFactory(), "Sam Stranger", "sam@example.com")
    with pytest.raises(ValidationError) as error:
        assignment_save(
            programme=world.programme,
            assignment=None,
            controller=stranger,
            city=world.city,
            period=world.next_period,
            starts_on=date(2017, 1, 1),
            ends_on=date(2017, 2, 1),
            by=world.coordinator,
        )
    assert fields_of(error) == {"controller"}
