"""Who may read, edit, review and move an action plan along.

Officers of the implementing city write the plan; officers of the mentor city and the scheme's
expert partner review it; the implementing city's supervisor records the administration's
approval; a coordinator or that supervisor records the political endorsement. Everyone else,
other cities included, does not see the plan at all.
"""

from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from accounts.models import Role, User
from accounts.selectors import scopes_of
from documents.workflow import Allowed, Rule, Transition, Workflow

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


# The workflow ----------------------------------------------------------------------------------


def _only(*roles) -> Rule:
    """Let through those who hold one of these parts in the plan; tell the others why not."""

    def allowed(user: User, plan: ActionPlan) -> Allowed:
        if any(role(user, plan) for role in roles):
            return True, ""
        return False, gettext("Your role does not take this step.")

    return allowed


def _wrong_stage(plan: ActionPlan, _transition: Transition) -> str:
    return gettext("The plan is %(stage)s: this step is not possible now.") % {
        "stage": plan.get_stage_display().lower()
    }


REVIEW_HELP = _("The plan is frozen as a new version and the reviewers are told by e-mail.")

# Each step: the stages it starts from, where it leads, who takes it, and what the person reads
# about it (the button, the help under it, the message once it is taken).
PLAN_WORKFLOW = Workflow(
    field="stage",
    wrong_state=_wrong_stage,
    transitions=[
        Transition(
            "submit",
            {Stage.DRAFT},
            Stage.SUBMITTED,
            _("Submit for review"),
            allowed=_only(is_author),
            help=REVIEW_HELP,
            done=_("The plan is submitted as version %(number)s; the reviewers are told."),
        ),
        Transition(
            "resubmit",
            {Stage.CHANGES_REQUESTED},
            Stage.RESUBMITTED,
            _("Resubmit for review"),
            allowed=_only(is_author),
            help=REVIEW_HELP,
            done=_("The plan is resubmitted as version %(number)s; the reviewers are told."),
        ),
        Transition(
            "request_changes",
            {Stage.SUBMITTED, Stage.RESUBMITTED},
            Stage.CHANGES_REQUESTED,
            _("Request changes"),
            allowed=_only(is_reviewer),
            help=_("The plan goes back to its authors, who are told by e-mail."),
            done=_("Changes are requested; the authors are told."),
        ),
        Transition(
            "approve",
            {Stage.SUBMITTED, Stage.RESUBMITTED},
            Stage.APPROVED,
            _("Approve for the city administration"),
            allowed=_only(is_supervisor),
            help=_("The city administration approves the plan; its authors are told by e-mail."),
            done=_("The plan is approved for the city administration; the authors are told."),
        ),
        Transition(
            "endorse",
            {Stage.APPROVED},
            Stage.ENDORSED,
            _("Record the political endorsement"),
            allowed=_only(is_coordinator, is_supervisor),
            help=_("The decision of the council or the mayor that endorses the plan."),
            done=_("The political endorsement is recorded."),
        ),
        Transition(
            "start",
            {Stage.ENDORSED},
            Stage.IN_IMPLEMENTATION,
            _("Start implementation"),
            allowed=_only(is_author, is_supervisor),
            help=_("From now on the city keeps its actions and indicators up to date."),
            done=_("The plan is in implementation."),
        ),
        Transition(
            "complete",
            {Stage.IN_IMPLEMENTATION},
            Stage.COMPLETED,
            _("Mark as completed"),
            allowed=_only(is_supervisor, is_coordinator),
            help=_("The plan has been carried out."),
            done=_("The plan is completed."),
        ),
    ],
)


def may_take(user: User, plan: ActionPlan, transition: str) -> bool:
    """Only by its role, only from its stages."""
    return PLAN_WORKFLOW.allowed(user, plan, transition)[0]


def transitions_for(user: User, plan: ActionPlan) -> list[str]:
    return [t.name for t in PLAN_WORKFLOW.available(user, plan)]
