"""The pages of action plans. A plan exists only for those who may see it: every page finds it
with ``visible_plan`` (404 for everyone else, as for an id never used)."""

from django.http import HttpRequest

from config.views import get_visible_or_404

from .. import selectors
from ..models import ActionPlan


def visible_plan(request: HttpRequest, pk: int) -> ActionPlan:
    """The plan if the person may see it (``selectors.visible_plans``); for anyone else it
    does not exist."""
    return get_visible_or_404(selectors.visible_plans(request.user), pk=pk)
