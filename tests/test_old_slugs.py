"""Old slugs keep working (issue 14, finding 10c): a programme's or a city's slug may change,
and every address with the old one answers 301 with the same address and the new slug, so
subscribed calendar feeds and bookmarks survive (config.slugs). Toolkit and practice slugs never
change once made. A table names the model behind every URL pattern with a slug; a new pattern
without an entry fails here."""

from datetime import date
from decimal import Decimal

import pytest
from django.urls import reverse

from accounts.models import Role
from accounts.services import membership_grant
from cities.models import City, CityOldSlug
from cities.services import city_save
from mentoring.models import Programme, ProgrammeOldSlug
from mentoring.services.events import calendar_token_regenerate
from mentoring.services.frames import framework_from_preset
from mentoring.services.programmes import programme_update
from reporting.services import exchange_rate_save
from tests.accounts.factories import UserFactory
from tests.cities.factories import CityFactory
from tests.mentoring.factories import ParticipationFactory, ProgrammeFactory, SchemeFactory
from tests.test_endpoint_matrix import url_patterns
from toolkits.models import TargetGroup
from toolkits.services.target_groups import target_group_save

pytestmark = pytest.mark.django_db

# URL name -> (the kwarg holding the slug, what it names, the other kwargs from the world)
SLUG_URLS = {
    "portal:programme": ("slug", "programme", {}),
    "portal:frame": ("slug", "programme", {}),
    "portal:framework_create": ("slug", "programme", {}),
    "portal:commitment_create": ("slug", "programme", {}),
    "portal:commitment_edit": ("slug", "programme", {"pk": "commitment"}),
    "portal:target_group_create": ("slug", "programme", {}),
    "portal:target_group_edit": ("slug", "programme", {"pk": "target_group"}),
    "mentoring:programme_edit": ("slug", "programme", {}),
    "mentoring:scheme_create": ("slug", "programme", {}),
    "mentoring:scheme_edit": ("slug", "programme", {"pk": "scheme"}),
    "mentoring:event_kinds": ("slug", "programme", {}),
    "mentoring:event_kind_create": ("slug", "programme", {}),
    "mentoring:event_kind_edit": ("slug", "programme", {"pk": "event_kind"}),
    "mentoring:participation_add": ("slug", "programme", {}),
    "mentoring:participation_city_suggestions": ("slug", "programme", {}),
    "mentoring:programme_city_suggestions": ("slug", "programme", {}),
    "mentoring:participation_remove": ("slug", "programme", {"city_pk": "city"}),
    "mentoring:calendar_programme_feed": ("slug", "programme", {"token": "token"}),
    "matching:matching": ("slug", "programme", {}),
    "matching:propose": ("slug", "programme", {}),
    "reporting:grid": ("programme", "programme", {"year": 2017, "month": 3}),
    "reporting:programme_dashboard": ("programme", "programme", {}),
    "reporting:exchange_rates": ("programme", "programme", {}),
    "reporting:exchange_rate_edit": ("programme", "programme", {"pk": "exchange_rate"}),
    "reporting:city_dashboard": ("programme", "programme", {"city": "city"}),
    "portal:open_data": ("slug", "programme", {}),
    "portal:open_data_zip": ("slug", "programme", {}),
    "portal:open_data_json": ("slug", "programme", {}),
    "portal:city_detail": ("slug", "city", {}),
    "portal:city_edit": ("slug", "city", {}),
    "claims:setup": ("programme", "programme", {}),
    "claims:rules": ("programme", "programme", {}),
    "claims:periods": ("programme", "programme", {}),
    "claims:period_create": ("programme", "programme", {}),
    "claims:periods_generate": ("programme", "programme", {}),
    "claims:period_edit": ("programme", "programme", {"pk": "period"}),
    "claims:cost_options": ("programme", "programme", {}),
    "claims:cost_option_create": ("programme", "programme", {}),
    "claims:cost_option_edit": ("programme", "programme", {"pk": "cost_option"}),
    "claims:cost_option_remove": ("programme", "programme", {"pk": "cost_option"}),
    "claims:budgets": ("programme", "programme", {}),
    "claims:checklist_questions": ("programme", "programme", {}),
    "claims:checklist_question_create": ("programme", "programme", {}),
    "claims:checklist_auto_checks": ("programme", "programme", {}),
    "claims:checklist_question_edit": ("programme", "programme", {"pk": "question"}),
    "claims:checklist_question_delete": ("programme", "programme", {"pk": "question"}),
    "claims:assignments": ("programme", "programme", {}),
    "claims:assignment_create": ("programme", "programme", {}),
    "claims:assignment_edit": ("programme", "programme", {"pk": "assignment"}),
    "claims:assignment_end": ("programme", "programme", {"pk": "assignment"}),
    "claims:overview": ("programme", "programme", {}),
    "claims:budget": ("programme", "programme", {}),
    "claims:budget_city": ("programme", "programme", {"city": "city_slug"}),
}
POST_ONLY = {
    "matching:propose",
    "mentoring:participation_remove",
    "claims:cost_option_remove",
    "claims:checklist_question_delete",
    "claims:checklist_auto_checks",
    "claims:assignment_end",
}
# Slugs made once and never changed (GoodPractice.slug is not editable; Toolkit's is read-only
# in the admin once it exists, and no service changes either).
FIXED = {
    "toolkits:practice",
    "toolkits:practice_edit",
    "toolkits:practice_images",
    "toolkits:practice_image",
    "toolkits:practice_image_delete",
    "toolkits:practice_submit",
    "toolkits:practice_review",
    "toolkits:practice_withdraw",
    "toolkits:practice_pdf",
    "toolkits:toolkit",
    "toolkits:toolkit_edit",
    "toolkits:toolkit_practices",
    "toolkits:toolkit_factors",
    "toolkits:edition_publish",
    "toolkits:edition_pdf",
    "toolkits:toolkit_renderings",
}


def slug_patterns() -> set[str]:
    return {
        name
        for name, route in url_patterns()
        if "<slug:" in route and not name.startswith("admin:")
    }


def test_every_slug_url_is_in_the_table():
    assert slug_patterns() == set(SLUG_URLS) | FIXED


@pytest.fixture
def world():
    programme = ProgrammeFactory(
        slug="old-programme", starts_on=date(2016, 10, 1), open_data_licence="CC-BY-4.0"
    )
    city = CityFactory(slug="old-city")
    ParticipationFactory(programme=programme, city=city)
    scheme = SchemeFactory(programme=programme)
    person = UserFactory()
    membership_grant(user=person, role=Role.COORDINATOR, programme=programme)
    membership_grant(user=person, role=Role.OFFICER, city=city)
    token = calendar_token_regenerate(user=person).secret
    exchange = exchange_rate_save(
        programme=programme,
        currency="ZAR",
        month=date(2017, 1, 1),
        rate=Decimal("0.06"),
        source="Test",
        by=person,
    )
    framework = framework_from_preset(key="sdgs", programme=programme, by=person)
    group = target_group_save(group=TargetGroup(programme=programme, name="Residents"), by=person)
    return {
        "programme": programme,
        "city": city,
        "scheme": scheme,
        "person": person,
        "t": token,
        "exchange_rate": exchange,
        "commitment": framework.commitments.order_by("pk").first(),
        "target_group": group,
        **_claims_setup(programme, city, person),
    }


def _claims_setup(programme, city, person) -> dict:
    from claims.models import (
        ChecklistQuestion,
        ControlAssignment,
        CostOption,
        ReportingPeriod,
    )

    period = ReportingPeriod.objects.create(
        programme=programme,
        number=1,
        starts_on=date(2016, 10, 1),
        ends_on=date(2017, 3, 31),
        deadline=date(2017, 5, 31),
    )
    return {
        "period": period,
        "cost_option": CostOption.objects.create(
            programme=programme, name="Day", kind="unit", category="travel", amount=1, unit="day"
        ),
        "question": ChecklistQuestion.objects.create(
            programme=programme, text="Signed?", kind="yes_no"
        ),
        "assignment": ControlAssignment.objects.create(
            controller=person,
            programme=programme,
            city=city,
            period=period,
            starts_on=date(2016, 1, 1),
            ends_on=date(2099, 1, 1),
            assigned_by=person,
        ),
    }


def address(name: str, world, slug: str) -> str:
    kwarg, _kind, others = SLUG_URLS[name]
    values = {
        "scheme": world["scheme"].pk,
        "city": world["city"].pk,
        "token": world["t"],
        "event_kind": world["programme"].event_kinds.order_by("pk").first().pk,
        "exchange_rate": world["exchange_rate"].pk,
        "commitment": world["commitment"].pk,
        "target_group": world["target_group"].pk,
        "period": world["period"].pk,
        "cost_option": world["cost_option"].pk,
        "question": world["question"].pk,
        "assignment": world["assignment"].pk,
        "city_slug": world["city"].slug,
    }
    kwargs = {key: values.get(value, value) for key, value in others.items()}
    return reverse(name, kwargs={**kwargs, kwarg: slug})


def rename(world):
    programme, city = world["programme"], world["city"]
    programme.slug = "new-programme"
    programme_update(programme=programme)
    city.slug = "new-city"
    city_save(city=city)


@pytest.mark.parametrize("name", sorted(SLUG_URLS))
def test_an_old_slug_answers_301_to_the_new_address(client, world, name):
    kind = SLUG_URLS[name][1]
    rename(world)
    client.force_login(world["person"])
    old = address(name, world, f"old-{kind}")
    if name in POST_ONLY:  # 308 keeps the method and the form
        response = client.post(old + "?page=2", {})
        assert response.status_code == 308, response.status_code
    else:
        response = client.get(old + "?page=2")
        assert response.status_code == 301, response.status_code
    assert response["Location"] == address(name, world, f"new-{kind}") + "?page=2"


def test_a_feed_subscribed_before_the_rename_still_works(client, world):
    rename(world)
    response = client.get(address("mentoring:calendar_programme_feed", world, "old-programme"))
    assert response.status_code == 301
    assert client.get(response["Location"]).status_code == 200


def test_a_post_to_an_old_address_keeps_its_method(client, world):
    rename(world)
    client.force_login(world["person"])
    response = client.post(address("mentoring:scheme_create", world, "old-programme"), {})
    assert response.status_code == 308


def test_history_follows_every_save_and_a_current_slug_wins(world):
    programme, city = world["programme"], world["city"]
    rename(world)
    programme.slug = "newer-programme"
    programme_update(programme=programme)
    assert set(programme.old_slugs.values_list("slug", flat=True)) == {
        "old-programme",
        "new-programme",
    }
    # Going back to an old slug takes it out of the history.
    programme.slug = "old-programme"
    programme_update(programme=programme)
    assert "old-programme" not in set(ProgrammeOldSlug.objects.values_list("slug", flat=True))
    # Another city taking a slug a city used to have: the current one wins.
    other = CityFactory(slug="old-city")
    assert not CityOldSlug.objects.filter(slug="old-city").exists()
    assert City.objects.get(slug="old-city") == other
    assert Programme.objects.get(old_slugs__slug="new-programme") == programme
    assert city.old_slugs.count() == 0


def test_an_unknown_slug_is_still_not_found(client, world):
    client.force_login(world["person"])
    assert client.get(reverse("portal:programme", kwargs={"slug": "no-such"})).status_code == 404


def test_an_old_slug_is_no_key_for_what_one_may_not_see(client, world):
    """The redirect comes from the same scoped lookup: a stranger learns nothing new."""
    rename(world)
    client.force_login(UserFactory())
    response = client.get(reverse("portal:city_detail", kwargs={"slug": "old-city"}))
    assert response.status_code == 404


# Lists that span programmes name one in their query (?programme=<slug>): a link made before the
# rename leads to the same list, filtered by the same programme under its new slug.
PROGRAMME_LISTS = [
    "mentoring:pairings",
    "mentoring:events",
    "reporting:reports",
    "actionplans:plans",
    "audit:log",
]


@pytest.mark.parametrize("name", PROGRAMME_LISTS)
def test_an_old_programme_slug_in_a_lists_query_answers_301(client, world, name):
    second = ProgrammeFactory(slug="second-programme", starts_on=date(2018, 1, 1))
    membership_grant(user=world["person"], role=Role.COORDINATOR, programme=second)
    rename(world)
    client.force_login(world["person"])
    response = client.get(reverse(name) + "?programme=old-programme&page=2")
    assert response.status_code == 301, response.status_code
    assert response["Location"] == reverse(name) + "?programme=new-programme&page=2"
    assert client.get(response["Location"]).status_code == 200


def test_an_old_programme_slug_in_a_query_is_no_key_for_others(client, world):
    """Someone outside the renamed programme learns nothing from its old slug: no redirect."""
    rename(world)
    stranger = UserFactory()
    other = ProgrammeFactory(slug="their-programme")
    membership_grant(user=stranger, role=Role.COORDINATOR, programme=other)
    client.force_login(stranger)
    response = client.get(reverse("mentoring:pairings") + "?programme=old-programme")
    assert response.status_code != 301
