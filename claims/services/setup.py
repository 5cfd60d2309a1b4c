"""A programme's claim set-up, by its coordinators: the rules (burn warning, default sample),
reporting periods, cost options, city budgets, the verification checklist and the controllers'
assignments. Every write checks ``permissions.can_manage_claims_setup``, locks what it changes,
refuses a save from an outdated page (``config.stale``) and says what is wrong field by field."""

from calendar import monthrange
from datetime import date, timedelta
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from accounts.models import Membership, Role, User
from accounts.selectors import today_for
from cities.models import City
from config import stale
from mentoring.models import Participation, Programme

from .. import permissions
from ..models import (
    AutoCheck,
    Category,
    ChecklistKind,
    ChecklistQuestion,
    CityBudget,
    Claim,
    ClaimLine,
    ClaimRules,
    ControlAssignment,
    CostOption,
    CostOptionKind,
    ReportingPeriod,
)

MAX_MONTHS_PER_PERIOD = 36
MAX_DEADLINE_DAYS = 365


def _may_manage(by: User, programme_id: int) -> None:
    allowed, reason = permissions.can_manage_claims_setup(by, programme_id)
    if not allowed:
        raise ValidationError(reason, code="wrong_role")


def _raise(errors: dict[str, list[str]]) -> None:
    if errors:
        raise ValidationError(errors)


# Rules -----------------------------------------------------------------------------------------


@transaction.atomic
def rules_save(
    *,
    programme: Programme,
    burn_warning_percent: int,
    sample_percent: int,
    by: User,
    expected_version: str | None = None,
) -> ClaimRules:
    """The programme's burn warning threshold and default sample share."""
    _may_manage(by, programme.pk)
    rules = ClaimRules.objects.select_for_update().filter(programme=programme).first()
    if rules is None:
        stale.check_token(stale.NEW, expected_version)
        rules = ClaimRules(programme=programme)
    else:
        stale.check(rules, expected_version)
    rules.burn_warning_percent = burn_warning_percent
    rules.sample_percent = sample_percent
    rules.full_clean()
    rules.save()
    return rules


# Reporting periods -----------------------------------------------------------------------------


def add_months(day: date, months: int) -> date:
    """The same day ``months`` later (the month's last day where it is shorter)."""
    index = day.year * 12 + day.month - 1 + months
    year, month = divmod(index, 12)
    month += 1
    return date(year, month, min(day.day, monthrange(year, month)[1]))


def split_periods(starts_on: date, ends_on: date, months: int) -> list[tuple[date, date]]:
    """Consecutive stretches of ``months`` months from ``starts_on``; the last one ends with the
    programme."""
    periods: list[tuple[date, date]] = []
    number = 0
    while True:
        start = add_months(starts_on, number * months)
        if start > ends_on:
            return periods
        end = min(add_months(starts_on, (number + 1) * months) - timedelta(days=1), ends_on)
        periods.append((start, end))
        number += 1


@transaction.atomic
def periods_generate(
    *, programme: Programme, months: int, deadline_days: int, by: User
) -> list[ReportingPeriod]:
    """Split the programme's dates into periods of ``months`` months numbered 1, 2 …, each due
    ``deadline_days`` days after its end. Replaces the programme's periods, which is refused
    once a period has a claim or a controller's assignment."""
    _may_manage(by, programme.pk)
    errors: dict[str, list[str]] = {}
    if not 1 <= months <= MAX_MONTHS_PER_PERIOD:
        errors["months"] = [
            _("Choose between 1 and %(max)s months.") % {"max": MAX_MONTHS_PER_PERIOD}
        ]
    if not 0 <= deadline_days <= MAX_DEADLINE_DAYS:
        errors["deadline_days"] = [
            _("Choose between 0 and %(max)s days.") % {"max": MAX_DEADLINE_DAYS}
        ]
    _raise(errors)
    existing = list(ReportingPeriod.objects.select_for_update().filter(programme=programme))
    if Claim.objects.filter(period__in=existing).exists():
        raise ValidationError(
            _(
                "Cities have started claims for some of the periods, so the periods cannot be "
                "generated again. Add or change periods one by one instead."
            ),
            code="periods_used",
        )
    if ControlAssignment.objects.filter(period__in=existing).exists():
        raise ValidationError(
            _(
                "Controllers are assigned to some of the periods, so the periods cannot be "
                "generated again. Change the periods one by one instead."
            ),
            code="periods_used",
        )
    ReportingPeriod.objects.filter(pk__in=[p.pk for p in existing]).delete()
    created = []
    for number, (start, end) in enumerate(
        split_periods(programme.starts_on, programme.ends_on, months), start=1
    ):
        period = ReportingPeriod(
            programme=programme,
            number=number,
            starts_on=start,
            ends_on=end,
            deadline=end + timedelta(days=deadline_days),
        )
        period.full_clean(validate_constraints=False)
        period.save()
        created.append(period)
    return created


@transaction.atomic
def period_save(
    *,
    programme: Programme,
    period: ReportingPeriod | None,
    number: int,
    starts_on: date,
    ends_on: date,
    deadline: date,
    by: User,
    expected_version: str | None = None,
) -> ReportingPeriod:
    """Add a period (``period`` None) or change one. The dates of a period that has claims
    stay as they are (its claims hold the approved months of those dates)."""
    _may_manage(by, programme.pk)
    if period is None:
        period = ReportingPeriod(programme=programme)
    else:
        period = stale.locked(period, expected_version)
    errors: dict[str, list[str]] = {}
    if period.pk and Claim.objects.filter(period=period).exists():
        for name, value in (("starts_on", starts_on), ("ends_on", ends_on)):
            if getattr(period, name) != value:
                errors[name] = [
                    _(
                        "Cities have claims for this period, so its dates can no longer "
                        "change (the claims hold the approved months of these dates)."
                    )
                ]
    if not programme.starts_on <= starts_on <= programme.ends_on:
        errors.setdefault("starts_on", []).append(
            _("Choose a day of the programme, %(start)s to %(end)s.")
            % {"start": programme.starts_on.isoformat(), "end": programme.ends_on.isoformat()}
        )
    if ends_on < starts_on:
        errors.setdefault("ends_on", []).append(_("The period ends after it starts."))
    elif ends_on > programme.ends_on:
        errors.setdefault("ends_on", []).append(
            _("The programme ends on %(end)s.") % {"end": programme.ends_on.isoformat()}
        )
    if deadline < ends_on:
        errors["deadline"] = [_("Claims are due on or after the period's last day.")]
    others = ReportingPeriod.objects.filter(programme=programme).exclude(pk=period.pk)
    if others.filter(number=number).exists():
        errors["number"] = [_("Period %(number)s exists already.") % {"number": number}]
    if "starts_on" not in errors and "ends_on" not in errors:
        overlap = others.filter(starts_on__lte=ends_on, ends_on__gte=starts_on).first()
        if overlap is not None:
            errors["starts_on"] = [_("These dates overlap %(period)s.") % {"period": overlap}]
    _raise(errors)
    period.number = number
    period.starts_on = starts_on
    period.ends_on = ends_on
    period.deadline = deadline
    period.full_clean()
    period.save()
    return period


# Cost options ----------------------------------------------------------------------------------


def option_used(option: CostOption) -> bool:
    return option.pk is not None and ClaimLine.objects.filter(cost_option=option).exists()


@transaction.atomic
def cost_option_save(
    *,
    programme: Programme,
    option: CostOption | None,
    name: str,
    kind: str,
    category: str,
    amount: Decimal | None,
    unit: str,
    rate: Decimal | None,
    active: bool = True,
    by: User,
    expected_version: str | None = None,
) -> CostOption:
    """Add or change a cost option: a unit cost needs its amount and unit, a lump sum its
    amount, a flat rate its rate (figures the kind does not use are cleared). Once a claim line
    uses it, only its name and whether it is in use change."""
    _may_manage(by, programme.pk)
    if option is None:
        option = CostOption(programme=programme)
    else:
        option = stale.locked(option, expected_version)
    name = name.strip()
    unit = unit.strip()
    if kind == CostOptionKind.FLAT_RATE:
        amount, unit = None, ""
    else:
        rate = None
        if kind == CostOptionKind.LUMP_SUM:
            unit = ""
    errors: dict[str, list[str]] = {}
    if category == Category.STAFF:
        errors["category"] = [_("Staff costs come from approved months; choose another category.")]
    if kind in (CostOptionKind.UNIT, CostOptionKind.LUMP_SUM):
        if amount is None or amount <= 0:
            errors["amount"] = [_("Give the amount (more than zero) for this kind.")]
        if kind == CostOptionKind.UNIT and not unit:
            errors["unit"] = [_("Say what one unit is, e.g. a day of a study visit.")]
    if kind == CostOptionKind.FLAT_RATE and (rate is None or not 0 < rate <= 1):
        errors["rate"] = [_("Give the share of staff costs, more than 0 and at most 1.")]
    if CostOption.objects.filter(programme=programme, name=name).exclude(pk=option.pk).exists():
        errors["name"] = [_("The programme has a cost option of this name already.")]
    if option_used(option):
        new = {"kind": kind, "category": category, "amount": amount, "unit": unit, "rate": rate}
        for field, value in new.items():
            if getattr(option, field) != value and field not in errors:
                errors[field] = [
                    _(
                        "Claim lines use this cost option, so this can no longer change: take "
                        "it out of use and add a new one."
                    )
                ]
    _raise(errors)
    option.name = name
    option.kind = kind
    option.category = category
    option.amount = amount
    option.unit = unit
    option.rate = rate
    option.active = active
    option.full_clean()
    option.save()
    return option


@transaction.atomic
def cost_option_remove(*, option: CostOption, by: User) -> bool:
    """Delete a cost option no line uses; take one in use out of use instead. True when
    deleted."""
    _may_manage(by, option.programme_id)
    option = CostOption.objects.select_for_update().get(pk=option.pk)
    if option_used(option):
        option.active = False
        option.save(update_fields=["active"])
        return False
    option.delete()
    return True


# City budgets ----------------------------------------------------------------------------------


def budget_key(city_id: int, category: str) -> str:
    """The name of a city's budget in a category on the budgets form (and in its errors)."""
    return f"budget_{city_id}_{category}"


def participating_cities(programme: Programme):
    return City.objects.filter(participations__programme=programme).order_by("name").distinct()


@transaction.atomic
def budgets_save(
    *,
    programme: Programme,
    amounts: dict[tuple[int, str], Decimal | None],
    by: User,
    expected_version: str | None = None,
) -> int:
    """Set the participating cities' budgets per category; an empty amount (None) removes a
    budget. Returns how many budgets changed. ``expected_version``: the budgets as the page
    showed them (``stale.rows_version``)."""
    _may_manage(by, programme.pk)
    current = {
        (b.city_id, b.category): b
        for b in CityBudget.objects.select_for_update().filter(programme=programme).order_by("pk")
    }
    stale.check_token(
        stale.rows_version(sorted(current.values(), key=lambda b: b.pk)),
        expected_version,
        current_object=None,
    )
    cities = set(
        Participation.objects.filter(programme=programme).values_list("city_id", flat=True)
    )
    errors: dict[str, list[str]] = {}
    for (city_id, category), amount in amounts.items():
        key = budget_key(city_id, category)
        if city_id not in cities or category not in Category.values:
            errors[key] = [_("This city does not take part in the programme.")]
        elif amount is not None and amount < 0:
            errors[key] = [_("A budget is zero or more.")]
    _raise(errors)
    changed = 0
    for (city_id, category), amount in amounts.items():
        budget = current.get((city_id, category))
        if amount is None:
            if budget is not None:
                budget.delete()
                changed += 1
            continue
        if budget is None:
            budget = CityBudget(programme=programme, city_id=city_id, category=category)
        elif budget.amount == amount:
            continue
        budget.amount = amount
        budget.full_clean(validate_unique=False, validate_constraints=False)
        budget.save()
        changed += 1
    return changed


# Checklist -------------------------------------------------------------------------------------


@transaction.atomic
def question_save(
    *,
    programme: Programme,
    question: ChecklistQuestion | None,
    text: str,
    kind: str,
    max_score: int | None,
    position: int,
    by: User,
    expected_version: str | None = None,
) -> ChecklistQuestion:
    """Add or change a checklist question. A score needs its highest score; a question Tandem
    answers itself stays a yes-or-no one."""
    _may_manage(by, programme.pk)
    if question is None:
        question = ChecklistQuestion(programme=programme)
    else:
        question = stale.locked(question, expected_version)
    errors: dict[str, list[str]] = {}
    if kind != ChecklistKind.SCORE:
        max_score = None
    elif not max_score or max_score < 1:
        errors["max_score"] = [_("Give the highest score, 1 or more.")]
    if question.auto_check and kind != ChecklistKind.YES_NO:
        errors["kind"] = [_("Tandem answers this question itself, with yes or no.")]
    if not text.strip():
        errors["text"] = [_("Write the question.")]
    _raise(errors)
    question.text = text.strip()
    question.kind = kind
    question.max_score = max_score
    question.position = position
    question.full_clean()
    question.save()
    return question


@transaction.atomic
def question_delete(*, question: ChecklistQuestion, by: User) -> None:
    """Delete a question no verification has answered yet."""
    _may_manage(by, question.programme_id)
    question = ChecklistQuestion.objects.select_for_update().get(pk=question.pk)
    if question.answers.exists():
        raise ValidationError(
            _("Controllers have answered this question already, so it stays."), code="answered"
        )
    question.delete()


@transaction.atomic
def questions_add_auto_checks(*, programme: Programme, by: User) -> list[ChecklistQuestion]:
    """Add a yes-or-no question for each of Tandem's staff-cost checks the checklist lacks."""
    _may_manage(by, programme.pk)
    questions = ChecklistQuestion.objects.select_for_update().filter(programme=programme)
    present = set(questions.values_list("auto_check", flat=True))
    position = max([q.position for q in questions] or [0])
    added = []
    for check in AutoCheck:
        if check.value in present:
            continue
        position += 1
        question = ChecklistQuestion(
            programme=programme,
            position=position,
            text=str(check.label),
            kind=ChecklistKind.YES_NO,
            auto_check=check.value,
        )
        question.full_clean()
        question.save()
        added.append(question)
    return added


# Controllers' assignments ----------------------------------------------------------------------


def controllers_of(programme: Programme):
    """The people holding the controller role in the programme."""
    return User.objects.filter(
        pk__in=Membership.objects.filter(role=Role.CONTROLLER, programme=programme).values(
            "user_id"
        )
    ).order_by("full_name", "email")


@transaction.atomic
def assignment_save(
    *,
    programme: Programme,
    assignment: ControlAssignment | None,
    controller: User,
    city: City,
    period: ReportingPeriod,
    starts_on: date,
    ends_on: date,
    by: User,
    expected_version: str | None = None,
) -> ControlAssignment:
    """Give a controller of the programme a participating city's claim for a period, from one
    day to another (or change that)."""
    _may_manage(by, programme.pk)
    if assignment is None:
        assignment = ControlAssignment(programme=programme, assigned_by=by)
    else:
        assignment = stale.locked(assignment, expected_version)
    errors: dict[str, list[str]] = {}
    if not controllers_of(programme).filter(pk=controller.pk).exists():
        errors["controller"] = [_("Choose a controller of the programme.")]
    if not Participation.objects.filter(programme=programme, city=city).exists():
        errors["city"] = [_("Choose a city that takes part in the programme.")]
    if period.programme_id != programme.pk:
        errors["period"] = [_("Choose a period of the programme.")]
    if ends_on < starts_on:
        errors["ends_on"] = [_("The assignment ends on or after its first day.")]
    if (
        not errors
        and ControlAssignment.objects.filter(controller=controller, city=city, period=period)
        .exclude(pk=assignment.pk)
        .exists()
    ):
        errors["period"] = [
            _("%(person)s is assigned to %(city)s for this period already: change that one.")
            % {"person": controller, "city": city}
        ]
    _raise(errors)
    assignment.controller = controller
    assignment.city = city
    assignment.period = period
    assignment.starts_on = starts_on
    assignment.ends_on = ends_on
    assignment.full_clean()
    assignment.save()
    return assignment


@transaction.atomic
def assignment_end(*, assignment: ControlAssignment, by: User) -> ControlAssignment | None:
    """End an assignment yesterday (in the coordinator's zone): from today the controller sees
    nothing more of the claim. One that has not started yet is removed (None)."""
    _may_manage(by, assignment.programme_id)
    assignment = ControlAssignment.objects.select_for_update().get(pk=assignment.pk)
    today = today_for(by)
    if assignment.ends_on < today:
        raise ValidationError(
            _("This assignment ended on %(day)s already.") % {"day": assignment.ends_on},
            code="ended",
        )
    if assignment.starts_on >= today:
        assignment.delete()
        return None
    assignment.ends_on = today - timedelta(days=1)
    assignment.full_clean()
    assignment.save(update_fields=["ends_on"])
    return assignment
