"""get_visible_or_404: one answer, 404, for an object the person may not see and for one that
does not exist; and the plan pages that use it, role by role."""

import pytest
from django.http import Http404
from django.test import RequestFactory

from accounts.models import User
from actionplans.models import ActionPlan
from actionplans.views import visible_plan
from config.views import get_visible_or_404
from tests.accounts.factories import UserFactory
from tests.actionplans.factories import build_plan_world, drafted_plan, fresh


@pytest.mark.django_db
def test_an_object_outside_the_queryset_is_a_404_like_one_that_does_not_exist():
    active, inactive = UserFactory(), UserFactory(is_active=False)
    people = User.objects.filter(is_active=True)
    assert get_visible_or_404(people, pk=active.pk) == active
    with pytest.raises(Http404):
        get_visible_or_404(people, pk=inactive.pk)
    with pytest.raises(Http404):
        get_visible_or_404(people, pk=inactive.pk + 1000)


@pytest.mark.django_db
def test_may_see_refuses_with_a_404_and_gets_the_object_it_decides_on():
    person = UserFactory()
    asked = []

    def nobody(found):
        asked.append(found)
        return False

    with pytest.raises(Http404):
        get_visible_or_404(User.objects.all(), may_see=nobody, pk=person.pk)
    assert asked == [person]
    found = get_visible_or_404(User.objects.all(), may_see=lambda found: True, pk=person.pk)
    assert found == person


@pytest.mark.django_db
def test_a_plan_is_found_for_those_who_see_it_and_is_a_404_for_the_others():
    world = build_plan_world()
    plan = drafted_plan(world)
    requests = RequestFactory()

    def find(user) -> ActionPlan:
        request = requests.get("/")
        request.user = fresh(user)
        return visible_plan(request, plan.pk)

    for user in (world.author, world.supervisor, world.mentor_officer, world.expert):
        assert find(user) == plan
    assert find(world.coordinator) == plan
    for user in (world.other_author, world.other_expert, world.outsider_coordinator):
        with pytest.raises(Http404):
            find(user)
