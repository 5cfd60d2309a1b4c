"""Who may write, review, read and publish good practices and toolkits.

Officers of a city write its practices. The scheme's expert partner and the programme's
coordinators review and publish them, and edit the scheme's toolkits. A practice that is not
published is visible only to the officers of its city, its reviewers and coordinators.
"""

from accounts.models import Role, User
from accounts.selectors import memberships_of

from .models import GoodPractice, Rendering, Toolkit


def officer_city_ids(user: User) -> set[int]:
    return {
        m.city_id for m in memberships_of(user) if m.role == Role.OFFICER and m.city_id is not None
    }


def expert_scheme_ids(user: User) -> set[int]:
    return {
        m.scheme_id
        for m in memberships_of(user)
        if m.role == Role.EXPERT and m.scheme_id is not None
    }


def coordinated_programme_ids(user: User) -> set[int]:
    return {
        m.programme_id
        for m in memberships_of(user)
        if m.role == Role.COORDINATOR and m.programme_id is not None
    }


def reviews_scheme(user: User, scheme) -> bool:
    """The scheme's expert partner or a coordinator of its programme."""
    return scheme.pk in expert_scheme_ids(user) or scheme.programme_id in coordinated_programme_ids(
        user
    )


def is_reviewer(user: User) -> bool:
    return bool(expert_scheme_ids(user) or coordinated_programme_ids(user))


def can_write_practices(user: User) -> bool:
    return bool(officer_city_ids(user))


def can_write_practice_for(user: User, city_id: int) -> bool:
    return city_id in officer_city_ids(user)


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
    return practice.is_editable_by_author and can_write_practice_for(user, practice.city_id)


def can_manage_toolkit(user: User, toolkit: Toolkit) -> bool:
    return reviews_scheme(user, toolkit.scheme)


def can_create_toolkit_for(user: User, scheme) -> bool:
    return reviews_scheme(user, scheme)


def can_render(user: User, toolkit: Toolkit) -> bool:
    """Render an edition again and see the job's progress: the programme's coordinators."""
    return toolkit.scheme.programme_id in coordinated_programme_ids(user)


def can_view_rendering(user: User, rendering: Rendering) -> bool:
    """Renderings of editions and of published practices are public, as the documents are; a
    rendering of a practice taken off the catalogue is seen by those who still see it."""
    if rendering.edition_id:
        return True
    if rendering.practice is None:  # a rendering is of an edition or of a practice
        return False
    return can_view_practice(user, rendering.practice)
