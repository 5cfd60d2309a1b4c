"""Reads of action plans: which plans a person sees, and their progress in a fixed number of
queries however many plans, actions and measurements there are."""

from django.db.models import Count, OuterRef, Prefetch, Q, QuerySet, Subquery

from accounts.models import Role, User
from accounts.selectors import scopes_of
from documents.models import JobStatus

from .models import STAGE_ORDER, Action, ActionPlan, Indicator, Measurement, PlanPdf
from .progress import Progress, plan_progress


def visible_plans(user: User) -> QuerySet[ActionPlan]:
    """Plans of the person's cities (either side of the pairing), of the schemes they
    facilitate and of the programmes they coordinate; the rule of permissions.can_view."""
    scopes = scopes_of(user)
    cities = scopes.city_ids(Role.OFFICER, Role.SUPERVISOR)
    return ActionPlan.objects.filter(
        Q(pairing__implementing__in=cities)
        | Q(pairing__mentor__in=cities)
        | Q(pairing__scheme__in=scopes.facilitated)
        | Q(pairing__scheme__programme__in=scopes.coordinated)
    ).select_related("pairing__scheme__programme", "pairing__mentor", "pairing__implementing")


def count_by_stage(plans: QuerySet[ActionPlan]) -> dict[str, int]:
    """How many of the plans are at each stage, in the workflow's order (stages without a plan
    left out): one aggregate query, however many plans."""
    counts = dict(plans.order_by().values_list("stage").annotate(n=Count("pk")))
    return {stage: counts[stage] for stage in STAGE_ORDER if counts.get(stage)}


def stored_version_pdf(user: User, *, plan_id: int, number: int, language: str) -> PlanPdf | None:
    """The finished PDF, with its file, of a version of a plan the person may see: one query,
    which reads neither the plan's content nor the version's. None when there is no such file
    (yet), and when the person may not see the plan."""
    return (
        PlanPdf.objects.filter(
            version__plan__in=visible_plans(user).filter(pk=plan_id),
            version__number=number,
            language=language,
            status=JobStatus.DONE,
            pdf__isnull=False,
        )
        .select_related("pdf")
        .first()
    )


def with_progress_data(plans: QuerySet[ActionPlan]) -> QuerySet[ActionPlan]:
    """Prefetch what progress() reads: action statuses, indicators with their latest value."""
    latest = Measurement.objects.filter(indicator=OuterRef("pk")).order_by("-measured_on", "-pk")
    return plans.prefetch_related(
        Prefetch("actions", queryset=Action.objects.only("pk", "plan_id", "status", "position")),
        Prefetch(
            "indicators",
            queryset=Indicator.objects.annotate(latest=Subquery(latest.values("value")[:1])),
        ),
    )


def _latest_value(indicator: Indicator):
    if hasattr(indicator, "latest"):  # annotated by with_progress_data()
        return indicator.latest
    last = indicator.measurements.order_by("-measured_on", "-pk").first()
    return None if last is None else last.value


def progress(plan: ActionPlan) -> Progress:
    """The plan's progress; no further query on plans from with_progress_data()."""
    return plan_progress(
        (action.status for action in plan.actions.all()),
        ((i.baseline, i.target, _latest_value(i)) for i in plan.indicators.all()),
    )
