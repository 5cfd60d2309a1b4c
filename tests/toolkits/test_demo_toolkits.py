"""The demo toolkits seed_demo adds: one per scheme, 18 practices from the Interreg projects,
checked figures, cities with their own spelling, and nothing twice."""

import re
from decimal import Decimal

import pytest
from django.core.management import call_command

from accounts.models import Membership, Role, User
from cities.models import City
from mentoring.models import Participation, Programme
from toolkits import demo as toolkit_demo
from toolkits.models import (
    GoodPractice,
    PracticeReview,
    PracticeStatus,
    Rendering,
    ReviewAction,
    SuccessFactor,
    Toolkit,
    ToolkitEdition,
    ToolkitEntry,
)

# The practices go one by one through the review workflow's services (about 72 queries each,
# savepoints, the eight that date its three steps and the notices of its submission and
# publication included); people and cities are written in bulk, so the count stays near 1,660.
BUDGET_FIRST_RUN = 1700

TEXT_FIELDS = (
    "title",
    "partner_organisations",
    "summary",
    "challenge",
    "actions",
    "results",
    "resources",
    "transferability",
)


def counts() -> dict[str, int]:
    models = (
        GoodPractice,
        PracticeReview,
        Toolkit,
        ToolkitEntry,
        SuccessFactor,
        ToolkitEdition,
        City,
        User,
        Membership,
        Participation,
    )
    return {model.__name__: model.objects.count() for model in models}


def test_one_toolkit_per_scheme_published_as_edition_1(demo):
    toolkits = Toolkit.objects.filter(scheme__programme=demo).select_related("scheme")
    assert sorted(t.scheme.code for t in toolkits) == ["A", "B", "C", "D"]
    for toolkit in toolkits:
        assert list(toolkit.editions.values_list("number", flat=True)) == [1]
        assert toolkit.entries.count() >= 3
        assert 4 <= toolkit.success_factors.count() <= 6
        assert toolkit.introduction.count("\n\n") in (1, 2), "two or three paragraphs"
        edition = toolkit.editions.get()
        assert edition.published_by.memberships.filter(
            role=Role.EXPERT, scheme=toolkit.scheme
        ).exists()
        assert [p["slug"] for p in edition.snapshot["practices"]] == list(
            toolkit.entries.values_list("practice__slug", flat=True)
        )


def test_toolkits_keep_the_chosen_order(demo):
    for code, spec in toolkit_demo.TOOLKITS.items():
        toolkit = Toolkit.objects.get(scheme__programme=demo, scheme__code=code)
        keys = {p["title"]: p["key"] for p in toolkit_demo.PRACTICES}
        titles = toolkit.entries.values_list("practice__title", flat=True)
        assert [keys[title] for title in titles] == spec["practices"]


def test_eighteen_published_practices_each_in_the_toolkit_of_its_scheme(demo):
    practices = GoodPractice.objects.select_related("scheme", "city")
    assert practices.count() == 18
    assert practices.filter(status=PracticeStatus.PUBLISHED).count() == 18
    for practice in practices:
        entry = practice.toolkit_entries.select_related("toolkit").get()
        assert entry.toolkit.scheme == practice.scheme
        assert practice.target_groups.exists()
        assert practice.commitments.exists()
        assert practice.language == "en"
        assert practice.currency == "EUR"
        assert (practice.contact_name, practice.contact_email, practice.links) == ("", "", "")
        assert practice.partner_list()


def test_practices_are_written_by_their_city_and_published_by_the_schemes_expert(demo):
    for practice in GoodPractice.objects.select_related("author", "scheme", "city"):
        assert practice.author.memberships.filter(role=Role.OFFICER, city=practice.city).exists()
        steps = list(practice.reviews.values_list("action", "by"))
        assert [action for action, _by in steps] == [ReviewAction.SUBMITTED, ReviewAction.PUBLISHED]
        assert steps[0][1] == practice.author_id
        publisher = User.objects.get(pk=steps[1][1])
        assert publisher.memberships.filter(role=Role.EXPERT, scheme=practice.scheme).exists()


def test_every_scheme_has_at_least_three_practices_and_every_project_one():
    by_scheme = {}
    for spec in toolkit_demo.PRACTICES:
        by_scheme.setdefault(spec["scheme"], []).append(spec["key"])
    assert sorted(by_scheme) == ["A", "B", "C", "D"]
    assert all(len(keys) >= 3 for keys in by_scheme.values())
    keys = [spec["key"] for spec in toolkit_demo.PRACTICES]
    assert len(keys) == len(set(keys)) == 18
    assert sorted(
        k for spec in toolkit_demo.TOOLKITS.values() for k in spec["practices"]
    ) == sorted(keys)


def test_money_is_decimal_and_the_eu_never_pays_more_than_the_total(demo):
    for practice in GoodPractice.objects.all():
        if practice.eu_contribution is not None:
            assert isinstance(practice.eu_contribution, Decimal)
            assert practice.budget is not None
            assert practice.eu_contribution <= practice.budget, practice.title
    # The figures read from the source, as loaded.
    arc = GoodPractice.objects.get(city__name="Tampere")
    assert (arc.budget, arc.eu_contribution) == (Decimal("169956.00"), Decimal("127467.00"))
    # SIforREF's total is misprinted in the source: neither figure is stored.
    venice = GoodPractice.objects.get(city__name="Venice")
    assert (venice.budget, venice.eu_contribution) == (None, None)


def test_the_curated_figures_are_consistent():
    for spec in toolkit_demo.PRACTICES:
        budget, eu = spec["budget"], spec["eu_contribution"]
        assert eu is None or budget is not None, spec["key"]
        if eu is not None:
            assert isinstance(eu, Decimal)
            assert isinstance(budget, Decimal)
            assert Decimal(0) < eu <= budget, spec["key"]
        started_on, ended_on = spec["period"]
        assert ended_on is None or started_on <= ended_on, spec["key"]
        assert len(spec["summary"]) <= 1000, spec["key"]


def test_no_page_furniture_and_partners_carry_their_country_codes(demo):
    furniture = re.compile(r"\bLINK\b|\bP\. \d|involved areas|Project on Keep|Project webpage")
    code = re.compile(r", [A-Z]{2}(, [A-Z]{2})?$")
    for practice in GoodPractice.objects.all():
        for field in TEXT_FIELDS:
            assert not furniture.search(getattr(practice, field)), (practice.title, field)
        for line in practice.partner_list():
            assert code.search(line), line
        assert "(lead partner)" in practice.partner_list()[0], practice.title


def test_lead_partner_cities_keep_their_diacritics_and_stay_out_of_the_programme(demo):
    plzen = City.objects.get(slug="plzen")
    assert (plzen.name, plzen.country.code, plzen.languages) == ("Plzeň", "CZ", ["cs"])
    assert (plzen.latitude, plzen.longitude) == (Decimal("49.7475"), Decimal("13.3776"))
    assert (
        GoodPractice.objects.get(city=plzen)
        .partner_list()[0]
        .startswith("University of West Bohemia")
    )
    assert "Łódzkie Region, PL" in GoodPractice.objects.get(city__name="Leipzig").partner_list()
    assert "Kanjiža" in GoodPractice.objects.get(city__name="Budapest").actions
    # The demo city of a lead partner is reused: ARC is Tampere's, written by its demo officer.
    arc = GoodPractice.objects.get(city__slug="tampere")
    assert arc.author.email == "officer.tampere@example.org"
    extra = City.objects.exclude(participations__programme=demo)
    assert sorted(extra.values_list("name", flat=True)) == sorted(
        name for name, *_rest in toolkit_demo.CITIES
    )
    for city in extra:
        officers = Membership.objects.filter(city=city)
        assert [(m.role, m.user.email) for m in officers] == [
            (Role.OFFICER, f"officer.{city.slug}@demo.tandem.eu")
        ]


def test_demo_officers_and_experts_sign_in_with_the_demo_password(demo, settings):
    officer = User.objects.get(email="officer.plzen@demo.tandem.eu")
    expert = User.objects.get(email="expert.b@demo.tandem.eu")
    assert officer.check_password(settings.DEMO_PASSWORD)
    assert expert.memberships.get().scheme.code == "B"
    # Scheme A keeps its one demo expert.
    assert not User.objects.filter(email="expert.a@demo.tandem.eu").exists()


def test_seeding_renders_no_pdf(demo):
    assert not Rendering.objects.exists()


def test_seeding_twice_adds_nothing(demo):
    before = counts()
    slugs = set(GoodPractice.objects.values_list("slug", flat=True))
    call_command("seed_demo", without_second_programme=True, verbosity=0, without_staff_time=True)
    assert counts() == before
    assert set(GoodPractice.objects.values_list("slug", flat=True)) == slugs


def test_without_toolkits_adds_none(db):
    call_command(
        "seed_demo",
        without_second_programme=True,
        verbosity=0,
        without_staff_time=True,
        without_toolkits=True,
    )
    assert not GoodPractice.objects.exists()
    assert not Toolkit.objects.exists()
    assert City.objects.count() == 16
    assert not User.objects.filter(email__endswith="@demo.tandem.eu").exists()


def test_the_extra_logins_are_not_printed(db, capsys):
    call_command("seed_demo", without_second_programme=True, verbosity=1, without_staff_time=True)
    out = capsys.readouterr().out
    assert "officer.gdansk@example.org" in out
    assert "demo.tandem.eu" not in out


@pytest.fixture
def seeded_without_toolkits(db) -> tuple:
    call_command(
        "seed_demo",
        without_second_programme=True,
        verbosity=0,
        without_staff_time=True,
        without_toolkits=True,
    )
    programme = Programme.objects.get(slug="cities-grow")
    schemes = {scheme.code: scheme for scheme in programme.schemes.all()}
    return programme, schemes


def test_the_step_writes_through_a_bounded_number_of_queries(
    seeded_without_toolkits, django_assert_max_num_queries
):
    programme, schemes = seeded_without_toolkits
    with django_assert_max_num_queries(BUDGET_FIRST_RUN):
        created = toolkit_demo.seed_demo_toolkits(programme, schemes, password_hash="!")
    assert created == 18
    with django_assert_max_num_queries(10):
        assert toolkit_demo.seed_demo_toolkits(programme, schemes, password_hash="!") == 0
