"""Who may read, edit, review and move an action plan along.

Officers of the implementing city write the plan; officers of the mentor city and the scheme's
expert partner review it; the implementing city's supervisor records the administration's
approval; a coordinator or that supervisor records the political endorsement. Everyone else,
other cities included, does not see the plan at all.
"""

from accounts.models import Role, User
from accounts.selectors import scopes_of

from .models import ActionPlan, Stage


def is_author(user: User, plan: ActionPlan) -> bool:
    return plan.pairing.implementing_id in scopes_of(user).city_ids(Role.OFFICER)


def is_reviewer(user: User, plan: ActionPlan) -> bool:
    scopes = scopes_of(user)
    return (
        plan.pairing.mentor_id in scopes.city_ids(Role.OFFICER)
        or plan.pairing.scheme_id in scopes.facilitated
    )


def is_supervisor(user: User, plan: ActionPlan) -> bool:
    return plan.pairing.implementing_id in scopes_of(user).city_ids(Role.SUPERVISOR)


def is_coordinator(user: User, plan: ActionPlan) -> bool:
    return plan.pairing.scheme.programme_id in scopes_of(user).coordinated


def can_view(user: User, plan: ActionPlan) -> bool:
    """The two cities' officers and supervisors, the scheme's expert, the coordinators."""
    pairing = plan.pairing
    scopes = scopes_of(user)
    cities = scopes.city_ids(Role.OFFICER, Role.SUPERVISOR)
    return (
        pairing.implementing_id in cities
        or pairing.mentor_id in cities
        or pairing.scheme_id in scopes.facilitated
        or is_coordinator(user, plan)
    )


def can_create_for(user: User, pairing) -> bool:
    return pairing.implementing_id in scopes_of(user).city_ids(Role.OFFICER)


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
