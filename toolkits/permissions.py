"""Who may write, review, read and publish good practices and toolkits.

Officers of a city write its practices. The scheme's expert partner and the programme's
coordinators review and publish them, and edit the scheme's toolkits. A practice that is not
published is visible only to the officers of its city, its reviewers and coordinators.
"""

from collections.abc import Callable

from django.utils.translation import gettext

from accounts.models import Role, User
from accounts.selectors import scopes_of
from documents.workflow import Allowed, Rule, Transition, Workflow

from .models import GoodPractice, PracticeStatus, Rendering, Toolkit


def reviews_scheme(user: User, scheme) -> bool:
    """The scheme's expert partner or a coordinator of its programme."""
    scopes = scopes_of(user)
    return scheme.pk in scopes.facilitated or scheme.programme_id in scopes.coordinated


def is_reviewer(user: User) -> bool:
    scopes = scopes_of(user)
    return bool(scopes.facilitated or scopes.coordinated)


def can_write_practices(user: User) -> bool:
    return bool(scopes_of(user).city_ids(Role.OFFICER))


def can_write_practice_for(user: User, city_id: int) -> bool:
    return city_id in scopes_of(user).city_ids(Role.OFFICER)


def can_review_practice(user: User, practice: GoodPractice) -> bool:
    return reviews_scheme(user, practice.scheme)


def can_view_practice(user: User, practice: GoodPractice) -> bool:
    if practice.is_published:
        return True
    return can_write_practice_for(user, practice.city_id) or can_review_practice(user, practice)


def can_edit_practice(user: User, practice: GoodPractice) -> bool:
    """Officers of the city while it is a draft or returned; reviewers at any time, to correct
    what they review or what is published."""
    if can_review_practice(user, practice):
        return True
    return practice.is_editable_by_author and can_write_practice_for(user, practice.city_id)


def can_submit_practice(user: User, practice: GoodPractice) -> bool:
    return PRACTICE_WORKFLOW.allowed(user, practice, "submit")[0]


# The review of a practice ------------------------------------------------------------------------


def _sends(user: User, practice: GoodPractice) -> Allowed:
    if can_write_practice_for(user, practice.city_id):
        return True, ""
    return False, gettext("Only a draft or returned practice can be sent for review.")


def _reviews(refusal: Callable[[], str]) -> Rule:
    def allowed(user: User, practice: GoodPractice) -> Allowed:
        if can_review_practice(user, practice):
            return True, ""
        return False, refusal()

    return allowed


# An officer of the city sends a draft (or a returned practice) for review; the theme's expert
# partner or a coordinator publishes it or returns it, and may withdraw it once published.
PRACTICE_WORKFLOW = Workflow(
    field="status",
    wrong_state=lambda practice, _t: gettext(
        "Only a draft or returned practice can be sent for review."
    ),
    transitions=[
        Transition(
            "submit",
            {PracticeStatus.DRAFT, PracticeStatus.RETURNED},
            PracticeStatus.IN_REVIEW,
            allowed=_sends,
        ),
        Transition(
            "return",
            {PracticeStatus.IN_REVIEW},
            PracticeStatus.RETURNED,
            allowed=_reviews(
                lambda: gettext("Only the theme's expert partner or a coordinator reviews.")
            ),
            wrong_state=lambda practice, _t: gettext("Only a practice in review can be returned."),
        ),
        Transition(
            "publish",
            {PracticeStatus.IN_REVIEW},
            PracticeStatus.PUBLISHED,
            allowed=_reviews(
                lambda: gettext("Only the theme's expert partner or a coordinator publishes.")
            ),
            wrong_state=lambda practice, _t: gettext("Only a practice in review can be published."),
        ),
        Transition(
            "withdraw",
            {PracticeStatus.PUBLISHED},
            PracticeStatus.RETURNED,
            allowed=_reviews(
                lambda: gettext("Only the theme's expert partner or a coordinator withdraws.")
            ),
            wrong_state=lambda practice, _t: gettext("Only a published practice can be withdrawn."),
        ),
    ],
)


def can_manage_toolkit(user: User, toolkit: Toolkit) -> bool:
    return reviews_scheme(user, toolkit.scheme)


def can_create_toolkit_for(user: User, scheme) -> bool:
    return reviews_scheme(user, scheme)


def can_render(user: User, toolkit: Toolkit) -> bool:
    """Render an edition again and see the job's progress: the programme's coordinators."""
    return toolkit.scheme.programme_id in scopes_of(user).coordinated


def can_view_rendering(user: User, rendering: Rendering) -> bool:
    """Renderings of editions and of published practices are public, as the documents are; a
    rendering of a practice taken off the catalogue is seen by those who still see it."""
    if rendering.edition_id:
        return True
    if rendering.practice is None:  # a rendering is of an edition or of a practice
        return False
    return can_view_practice(user, rendering.practice)
