"""Who may do what with claims. Pure functions that say why they refuse.

- A city's officers prepare its claim; its supervisors sign and submit it.
- A controller sees and verifies a city's claim for a period only while a coordinator's
  assignment covers it (``ControlAssignment``, from ``starts_on`` to ``ends_on`` in the
  controller's zone); after that, nothing.
- Coordinators of the programme set its periods, cost options, budgets and checklist, follow
  every claim, reopen one with a reason, and record audits.
"""

from datetime import date

from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from accounts.models import Role, User
from accounts.selectors import scopes_of, today_for
from documents.workflow import Allowed, Transition, Workflow

from .models import EDITABLE, Claim, ClaimStatus, ControlAssignment


def is_officer_of(user: User, city_id: int) -> bool:
    return city_id in scopes_of(user).city_ids(Role.OFFICER)


def is_supervisor_of(user: User, city_id: int) -> bool:
    return city_id in scopes_of(user).city_ids(Role.SUPERVISOR)


def acts_for_city(user: User, city_id: int) -> bool:
    return city_id in scopes_of(user).city_ids(Role.OFFICER, Role.SUPERVISOR)


def coordinates(user: User, programme_id: int) -> bool:
    return programme_id in scopes_of(user).coordinated


def is_controller(user: User) -> bool:
    """Holds the controller role in some programme (assignments say what they see)."""
    return bool(scopes_of(user).programme_ids(Role.CONTROLLER))


def assigned(user: User, city_id: int, period_id: int, today: date | None = None) -> bool:
    """A controller whose assignment to this city and period is running today."""
    if not user.is_authenticated or not is_controller(user):
        return False
    today = today or today_for(user)
    return ControlAssignment.objects.filter(
        controller=user,
        city_id=city_id,
        period_id=period_id,
        starts_on__lte=today,
        ends_on__gte=today,
        programme_id__in=scopes_of(user).programme_ids(Role.CONTROLLER),
    ).exists()


def controls(user: User, claim: Claim) -> bool:
    return assigned(user, claim.city_id, claim.period_id)


def can_view_claim(user: User, claim: Claim) -> bool:
    return (
        acts_for_city(user, claim.city_id)
        or coordinates(user, claim.programme_id)
        or controls(user, claim)
    )


def can_edit_claim(user: User, claim: Claim) -> Allowed:
    """The city's officers and supervisors, while the claim is a draft or reopened."""
    if not acts_for_city(user, claim.city_id):
        return False, gettext(
            "Only the officers and supervisors of %(city)s can change its claim."
        ) % {"city": claim.city}
    if claim.status not in EDITABLE:
        return False, gettext(
            "The claim is %(status)s: it can no longer change unless a coordinator reopens it."
        ) % {"status": claim.get_status_display().lower()}
    return True, ""


def can_start_claim(user: User, city_id: int, programme_id: int) -> Allowed:
    if acts_for_city(user, city_id):
        return True, ""
    return False, gettext("Only the city's officers and supervisors start its claims.")


def _supervisor(user: User, claim: Claim) -> Allowed:
    if is_supervisor_of(user, claim.city_id):
        return True, ""
    return False, gettext("Only a supervisor of %(city)s can sign and submit its claim.") % {
        "city": claim.city
    }


def _controller(user: User, claim: Claim) -> Allowed:
    if controls(user, claim):
        return True, ""
    return False, gettext("Only a controller assigned to %(city)s for this period can do this.") % {
        "city": claim.city
    }


def _coordinator(user: User, claim: Claim) -> Allowed:
    if coordinates(user, claim.programme_id):
        return True, ""
    return False, gettext("Only a coordinator of the programme can do this.")


def can_verify(user: User, claim: Claim) -> Allowed:
    """Sample, check lines and answer the checklist: the assigned controller, in verification."""
    ok, reason = _controller(user, claim)
    if not ok:
        return ok, reason
    if claim.status != ClaimStatus.VERIFICATION:
        return False, gettext("The claim is not in verification.")
    return True, ""


def can_record_audit(user: User, claim: Claim) -> Allowed:
    ok, reason = _coordinator(user, claim)
    if not ok:
        return ok, reason
    if claim.status != ClaimStatus.CERTIFIED:
        return False, gettext("Only a certified claim is audited.")
    return True, ""


def can_manage_claims_setup(user: User, programme_id: int) -> Allowed:
    """Periods, cost options, budgets, checklist and assignments: the programme's coordinators."""
    if coordinates(user, programme_id):
        return True, ""
    return False, gettext("Only a coordinator of the programme can change its claim rules.")


def can_view_budget(user: User, programme_id: int, city_id: int | None) -> bool:
    """The whole programme's budget burn: coordinators; a city's: also its officers and
    supervisors."""
    if coordinates(user, programme_id):
        return True
    return city_id is not None and acts_for_city(user, city_id)


def can_request_pack(user: User, claim: Claim) -> Allowed:
    """The evidence pack of a submitted claim: coordinators, the assigned controller, and the
    city's supervisors."""
    if claim.status in EDITABLE and claim.submitted_at is None:
        return False, gettext("A draft claim has no evidence pack yet.")
    if coordinates(user, claim.programme_id) or controls(user, claim):
        return True, ""
    if is_supervisor_of(user, claim.city_id):
        return True, ""
    return False, gettext("Only coordinators, the claim's controller and the city's supervisors.")


def _wrong_state(claim: Claim, transition: Transition) -> str:
    return gettext("The claim is %(status)s.") % {"status": claim.get_status_display().lower()}


CLAIM_WORKFLOW = Workflow(
    field="status",
    wrong_state=_wrong_state,
    transitions=[
        Transition(
            "submit",
            EDITABLE,
            ClaimStatus.SUBMITTED,
            _("Sign and submit"),
            allowed=_supervisor,
            help=_("The claim locks with its figures; a controller verifies it."),
            done=_("The claim is signed and submitted."),
        ),
        Transition(
            "start_verification",
            {ClaimStatus.SUBMITTED},
            ClaimStatus.VERIFICATION,
            _("Start verification"),
            allowed=_controller,
            done=_("Verification started."),
        ),
        Transition(
            "certify",
            {ClaimStatus.VERIFICATION},
            ClaimStatus.CERTIFIED,
            _("Issue the certificate"),
            allowed=_controller,
            done=_("The claim is certified."),
        ),
        Transition(
            "reopen",
            {ClaimStatus.SUBMITTED, ClaimStatus.VERIFICATION, ClaimStatus.CERTIFIED},
            ClaimStatus.REOPENED,
            _("Reopen"),
            allowed=_coordinator,
            help=_("The city can change the claim and submit it again; say why."),
            done=_("The claim is reopened."),
        ),
    ],
)
