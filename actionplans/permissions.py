"""Who may read, edit, review and move an action plan along.

Officers of the implementing city write the plan; officers of the mentor city and the scheme's
expert partner review it; the implementing city's supervisor records the administration's
approval; a coordinator or that supervisor records the political endorsement. Everyone else,
other cities included, does not see the plan at all.
"""

from accounts.models import Role, User
from accounts.selectors import memberships_of

from .models import ActionPlan, Stage


def _city_ids(user: User, role: str) -> set[int]:
    return {m.city_id for m in memberships_of(user) if m.role == role and m.city_id is not None}


def _scheme_ids(user: User) -> set[int]:
    return {
        m.scheme_id
        for m in memberships_of(user)
        if m.role == Role.EXPERT and m.scheme_id is not None
    }


def _programme_ids(user: User) -> set[int]:
    return {
        m.programme_id
        for m in memberships_of(user)
        if m.role == Role.COORDINATOR and m.programme_id is not None
    }


def is_author(user: User, plan: ActionPlan) -> bool:
    return plan.pairing.implementing_id in _city_ids(user, Role.OFFICER)


def is_reviewer(user: User, plan: ActionPlan) -> bool:
    return plan.pairing.mentor_id in _city_ids(
        user, Role.OFFICER
    ) or plan.pairing.scheme_id in _scheme_ids(user)


def is_supervisor(user: User, plan: ActionPlan) -> bool:
    return plan.pairing.implementing_id in _city_ids(user, Role.SUPERVISOR)


def is_coordinator(user: User, plan: ActionPlan) -> bool:
    return plan.pairing.scheme.programme_id in _programme_ids(user)


def can_view(user: User, plan: ActionPlan) -> bool:
    """The two cities' officers and supervisors, the scheme's expert, the coordinators."""
    pairing = plan.pairing
    cities = _city_ids(user, Role.OFFICER) | _city_ids(user, Role.SUPERVISOR)
    return (
        pairing.implementing_id in cities
        or pairing.mentor_id in cities
        or pairing.scheme_id in _scheme_ids(user)
        or is_coordinator(user, plan)
    )


def can_create_for(user: User, pairing) -> bool:
    return pairing.implementing_id in _city_ids(user, Role.OFFICER)


def can_edit(user: User, plan: ActionPlan) -> bool:
    """The plan's content, while it is with its authors."""
    return plan.is_editable_stage and is_author(user, plan)


def can_track(user: User, plan: ActionPlan) -> bool:
    """Action statuses and indicator measurements, once the plan is being carried out."""
    return plan.stage in (Stage.ENDORSED, Stage.IN_IMPLEMENTATION) and (
        is_author(user, plan) or is_supervisor(user, plan)
    )


def can_comment(user: User, plan: ActionPlan) -> bool:
    """Reviewers and authors discuss a submitted version; coordinators may join in."""
    return bool(plan.versions.exists()) and (
        is_reviewer(user, plan) or is_author(user, plan) or is_coordinator(user, plan)
    )


# Each transition: the stages it starts from, and who may take it.
TRANSITIONS = {
    "submit": ({Stage.DRAFT}, Stage.SUBMITTED, is_author),
    "resubmit": ({Stage.CHANGES_REQUESTED}, Stage.RESUBMITTED, is_author),
    "request_changes": ({Stage.SUBMITTED, Stage.RESUBMITTED}, Stage.CHANGES_REQUESTED, is_reviewer),
    "approve": ({Stage.SUBMITTED, Stage.RESUBMITTED}, Stage.APPROVED, is_supervisor),
    "endorse": (
        {Stage.APPROVED},
        Stage.ENDORSED,
        lambda user, plan: is_coordinator(user, plan) or is_supervisor(user, plan),
    ),
    "start": (
        {Stage.ENDORSED},
        Stage.IN_IMPLEMENTATION,
        lambda user, plan: is_author(user, plan) or is_supervisor(user, plan),
    ),
    "complete": (
        {Stage.IN_IMPLEMENTATION},
        Stage.COMPLETED,
        lambda user, plan: is_supervisor(user, plan) or is_coordinator(user, plan),
    ),
}


def may_take(user: User, plan: ActionPlan, transition: str) -> bool:
    """Only by its role, only from its stages."""
    sources, _target, role = TRANSITIONS[transition]
    return plan.stage in sources and role(user, plan)


def transitions_for(user: User, plan: ActionPlan) -> list[str]:
    return [name for name in TRANSITIONS if may_take(user, plan, name)]
