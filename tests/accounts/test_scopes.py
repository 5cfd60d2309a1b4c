"""scopes_of(user): the ids a person acts for, by role, read once per user object."""

import pytest
from django.contrib.auth.models import AnonymousUser

from accounts.models import Role
from accounts.selectors import scopes_of
from cities.selectors import cities_of
from tests.accounts.factories import (
    CityOfficerFactory,
    CitySupervisorFactory,
    CoordinatorFactory,
    ExpertFactory,
    MembershipFactory,
    PartnerFactory,
    UserFactory,
)

pytestmark = pytest.mark.django_db


def test_each_role_gives_the_ids_of_its_own_scope():
    person = UserFactory()
    coordinated = CoordinatorFactory(user=person).programme
    read = PartnerFactory(user=person).programme
    scheme = ExpertFactory(user=person).scheme
    officer_city = CityOfficerFactory(user=person).city
    supervised_city = CitySupervisorFactory(user=person).city
    controlled = MembershipFactory(user=person, role=Role.CONTROLLER, programme=read).programme

    scopes = scopes_of(person)

    assert scopes.coordinated == {coordinated.pk}
    assert scopes.programme_ids(Role.PARTNER) == {read.pk}
    # A controller's programme is not among those the person acts for: only assignments open
    # anything of it to them (claims.permissions).
    assert scopes.programme_ids() == {coordinated.pk, read.pk}
    assert scopes.programme_ids(Role.CONTROLLER) == {controlled.pk}
    assert scopes.facilitated == {scheme.pk}
    assert scopes.expert_programmes == {scheme.programme_id}
    assert scopes.city_ids(Role.OFFICER) == {officer_city.pk}
    assert scopes.city_ids(Role.SUPERVISOR) == {supervised_city.pk}
    assert scopes.city_ids() == {officer_city.pk, supervised_city.pk}
    assert scopes.roles == set(Role.values)


def test_a_person_without_roles_and_a_visitor_act_for_nothing():
    for person in (UserFactory(), AnonymousUser()):
        scopes = scopes_of(person)
        assert scopes.roles == set()
        assert scopes.programme_ids() == scopes.city_ids() == scopes.scheme_ids() == set()


def test_the_memberships_are_read_once_per_user_object(django_assert_num_queries):
    person = CityOfficerFactory().user
    with django_assert_num_queries(1):
        scopes_of(person)
        scopes_of(person).city_ids()


def test_the_scopes_are_frozen_and_kept_for_the_rest_of_the_request():
    person = CoordinatorFactory().user
    scopes = scopes_of(person)
    assert scopes_of(person) is scopes
    assert isinstance(scopes.coordinated, frozenset)


def test_cities_of_gives_the_cities_themselves_by_name_with_no_further_query(
    django_assert_num_queries,
):
    person = UserFactory()
    zagreb = CityOfficerFactory(user=person, city__name="Zagreb").city
    aarhus = CityOfficerFactory(user=person, city__name="Aarhus").city
    supervised = CitySupervisorFactory(user=person, city__name="Bilbao").city
    CoordinatorFactory(user=person)

    with django_assert_num_queries(1):
        assert cities_of(person, Role.OFFICER) == [aarhus, zagreb]
        assert cities_of(person, Role.SUPERVISOR) == [supervised]
        assert cities_of(person) == [aarhus, supervised, zagreb]
    assert cities_of(AnonymousUser()) == []
