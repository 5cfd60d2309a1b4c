"""Coordinators (and expert partners for their scheme) manage the programme in the browser."""

from io import BytesIO

import pytest
from django.urls import reverse
from openpyxl import load_workbook

from accounts.models import Membership, Role
from cities.models import City
from mentoring.models import ExpertOrganisation, Pairing, PairingStatus, Programme

PROGRAMME_DATA = {
    "name": "ICP AGIR",
    "slug": "icp-agir",
    "network": "EU international urban cooperation",
    "starts_on": "2023-01-01",
    "ends_on": "2025-12-31",
    "budget": "1200000.00",
    "co_financing_rate": "0.1500",
    "staff_days_allowance": "40",
    "cost_model": "daily",
    "indirect_cost_rate": "0.07",
    "max_hours_per_day": "8",
}


@pytest.fixture
def as_user(client, demo, demo_user):
    def sign_in(email):
        client.force_login(demo_user(email))
        return client

    return sign_in


def test_a_coordinator_opens_a_programme_and_coordinates_it(as_user):
    client = as_user("coordinator@example.org")
    response = client.post(reverse("mentoring:programme_create"), PROGRAMME_DATA)
    programme = Programme.objects.get(slug="icp-agir")
    assert response.url == programme.get_absolute_url()
    assert Membership.objects.filter(
        user__email="coordinator@example.org", role=Role.COORDINATOR, programme=programme
    ).exists()


@pytest.mark.parametrize(
    ("changes", "field_message"),
    [
        ({"ends_on": "2022-12-31"}, "The programme must end after it starts."),
        ({"co_financing_rate": "1.5"}, "Ensure this value is less than or equal to 1."),
        ({"budget": "-1"}, "Ensure this value is greater than or equal to 0."),
        ({"slug": "cities-grow"}, "“cities-grow” is already in use; “cities-grow-2” is free."),
        ({"name": ""}, "This field is required."),
    ],
)
def test_programme_form_rules(as_user, changes, field_message):
    client = as_user("coordinator@example.org")
    response = client.post(reverse("mentoring:programme_create"), {**PROGRAMME_DATA, **changes})
    assert response.status_code == 400
    assert field_message in response.content.decode()
    assert not Programme.objects.filter(name="ICP AGIR").exists()


@pytest.mark.parametrize(
    "email", ["expert@example.org", "officer.gdansk@example.org", "partner@example.org"]
)
def test_only_coordinators_manage_the_programme(as_user, demo, email):
    client = as_user(email)
    for url in [
        reverse("mentoring:programme_create"),
        reverse("mentoring:programme_edit", args=[demo.slug]),
        reverse("mentoring:scheme_create", args=[demo.slug]),
        reverse("mentoring:participation_add", args=[demo.slug]),
        reverse("mentoring:organisations"),
        reverse("mentoring:organisation_create"),
        reverse("portal:city_create"),
        reverse("portal:city_edit", args=["gdansk"]),
    ]:
        assert client.get(url).status_code == 403, url
        assert client.post(url, {}).status_code == 403, url
    gdansk = City.objects.get(slug="gdansk")
    remove = reverse("mentoring:participation_remove", args=[demo.slug, gdansk.pk])
    assert client.post(remove).status_code == 403


def test_a_scheme_with_its_commitments(as_user, demo):
    client = as_user("coordinator@example.org")
    facilitator = ExpertOrganisation.objects.get(name="MigrationWork CIC")
    data = {"code": "E", "theme": "Housing", "facilitator": facilitator.pk, "mentor_capacity": 3}
    response = client.post(
        reverse("mentoring:scheme_create", args=[demo.slug]), {**data, "commitments": [4, 5]}
    )
    assert response.status_code == 302
    scheme = demo.schemes.get(code="E")
    assert sorted(scheme.commitments.values_list("number", flat=True)) == [4, 5]
    duplicate = client.post(reverse("mentoring:scheme_create", args=[demo.slug]), data)
    assert duplicate.status_code == 400
    assert "already exists" in duplicate.content.decode()


def test_scheme_capacity_cannot_drop_below_a_mentors_load(as_user, demo):
    client = as_user("coordinator@example.org")
    scheme = demo.schemes.get(code="A")
    Pairing.objects.create(
        scheme=scheme,
        mentor=City.objects.get(slug="rotterdam"),
        implementing=City.objects.get(slug="riga"),
    )
    response = client.post(
        reverse("mentoring:scheme_edit", args=[demo.slug, scheme.pk]),
        {
            "code": "A",
            "theme": scheme.theme,
            "facilitator": scheme.facilitator_id,
            "mentor_capacity": 1,
        },
    )
    assert response.status_code == 400
    assert "the capacity cannot be lower" in response.content.decode()
    scheme.refresh_from_db()
    assert scheme.mentor_capacity == 2


def test_cities_join_and_leave_a_programme(as_user, demo):
    client = as_user("coordinator@example.org")
    response = client.post(
        reverse("portal:city_create"),
        {
            "name": "Oslo",
            "slug": "oslo",
            "country": "NO",
            "latitude": "59.9139",
            "longitude": "10.7522",
            "languages": "nb, nn",
            "programme": demo.pk,
        },
    )
    assert response.status_code == 302
    oslo = City.objects.get(slug="oslo")
    assert oslo.languages == ["nb", "nn"]
    assert demo.participations.filter(city=oslo).exists()
    client.post(reverse("mentoring:participation_remove", args=[demo.slug, oslo.pk]))
    assert not demo.participations.filter(city=oslo).exists()
    client.post(reverse("mentoring:participation_add", args=[demo.slug]), {"city": oslo.pk})
    assert demo.participations.filter(city=oslo).exists()

    gdansk = City.objects.get(slug="gdansk")
    refused = client.post(
        reverse("mentoring:participation_remove", args=[demo.slug, gdansk.pk]), follow=True
    )
    assert "has pairings in CITIES-GROW" in refused.content.decode()
    assert demo.participations.filter(city=gdansk).exists()


@pytest.mark.parametrize(
    ("changes", "field_message"),
    [
        ({"name": "Ghent", "country": "BE"}, "City with this Name and Country already exists."),
        ({"latitude": "91"}, "Ensure this value is less than or equal to 90."),
        ({"longitude": "abc"}, "Enter a number."),
        ({"languages": "english, fr"}, "Not a language code: english."),
        # A date of signature without the tick (the signatures' fields are named by framework).
        ({"SIGNED_ON": "2010-05-01"}, "Tick"),
    ],
)
def test_city_form_rules(as_user, demo, changes, field_message):
    client = as_user("coordinator@example.org")
    data = {
        "name": "Leuven",
        "slug": "leuven",
        "country": "BE",
        "latitude": "50.88",
        "longitude": "4.70",
        "programme": demo.pk,
    }
    if "SIGNED_ON" in changes:
        changes = {f"signatures-signed_on_{demo.framework_id}": changes["SIGNED_ON"]}
    response = client.post(reverse("portal:city_create"), {**data, **changes})
    assert response.status_code == 400
    assert field_message in response.content.decode()
    assert not City.objects.filter(slug="leuven").exists()


def test_an_organisation_is_created_and_edited(as_user):
    client = as_user("coordinator@example.org")
    client.post(reverse("mentoring:organisation_create"), {"name": "Urbact", "country": "FR"})
    organisation = ExpertOrganisation.objects.get(name="Urbact")
    client.post(
        reverse("mentoring:organisation_edit", args=[organisation.pk]),
        {"name": "URBACT", "country": "FR", "website": "https://urbact.eu"},
    )
    organisation.refresh_from_db()
    assert organisation.website == "https://urbact.eu"
    bad = client.post(reverse("mentoring:organisation_create"), {"name": "URBACT"})
    assert bad.status_code == 400


class TestPairings:
    def propose(self, client, demo, scheme="A", mentor="rotterdam", implementing="riga"):
        return client.post(
            reverse("mentoring:pairing_create"),
            {
                "scheme": demo.schemes.get(code=scheme).pk,
                "mentor": City.objects.get(slug=mentor).pk,
                "implementing": City.objects.get(slug=implementing).pk,
            },
        )

    def test_a_coordinator_proposes_activates_and_completes(self, as_user, demo):
        client = as_user("coordinator@example.org")
        response = self.propose(client, demo)
        pairing = Pairing.objects.get(mentor__slug="rotterdam", implementing__slug="riga")
        assert response.url == pairing.get_absolute_url()
        assert pairing.status == PairingStatus.PROPOSED
        status_url = reverse("mentoring:pairing_status", args=[pairing.pk])
        client.post(status_url, {"status": "active"})
        client.post(status_url, {"status": "completed"})
        pairing.refresh_from_db()
        assert pairing.status == PairingStatus.COMPLETED
        again = client.post(status_url, {"status": "active"})
        assert again.status_code == 400

    def test_withdrawing_needs_a_reason(self, as_user, demo):
        client = as_user("coordinator@example.org")
        pairing = Pairing.objects.get(mentor__slug="rotterdam", implementing__slug="gdansk")
        status_url = reverse("mentoring:pairing_status", args=[pairing.pk])
        refused = client.post(status_url, {"status": "withdrawn", "reason": "  "})
        assert refused.status_code == 400
        assert "Say why the pairing is withdrawn." in refused.content.decode()
        client.post(status_url, {"status": "withdrawn", "reason": "The city left the scheme."})
        pairing.refresh_from_db()
        assert pairing.withdrawal_reason == "The city left the scheme."

    @pytest.mark.parametrize(
        ("scheme", "mentor", "implementing", "message"),
        [
            ("A", "riga", "riga", "A city cannot be paired with itself."),
            ("A", "rotterdam", "gdansk", "Rotterdam already mentors Gdańsk in this scheme."),
        ],
    )
    def test_rules_give_field_messages(self, as_user, demo, scheme, mentor, implementing, message):
        client = as_user("coordinator@example.org")
        before = Pairing.objects.count()
        response = self.propose(client, demo, scheme, mentor, implementing)
        assert response.status_code == 400
        assert message in response.content.decode()
        assert Pairing.objects.count() == before

    def test_the_mentor_capacity_is_enforced(self, as_user, demo):
        client = as_user("coordinator@example.org")
        assert self.propose(client, demo, "A", "rotterdam", "riga").status_code == 302
        full = self.propose(client, demo, "A", "rotterdam", "athens")
        assert full.status_code == 400
        assert "has reached its capacity of 2 pairings" in full.content.decode()

    def test_a_city_outside_the_programme_cannot_be_chosen(self, as_user, demo):
        from tests.cities.factories import CityFactory

        outsider = CityFactory(name="Oslo")
        client = as_user("coordinator@example.org")
        response = client.post(
            reverse("mentoring:pairing_create"),
            {
                "scheme": demo.schemes.get(code="A").pk,
                "mentor": outsider.pk,
                "implementing": City.objects.get(slug="riga").pk,
            },
        )
        assert response.status_code == 400
        message = f"No city of this programme has the number {outsider.pk}."
        assert message in response.content.decode()

    def test_an_expert_manages_pairings_of_their_scheme_only(self, as_user, demo):
        client = as_user("expert@example.org")
        assert self.propose(client, demo, "A", "munich", "riga").status_code == 302
        other_scheme = self.propose(client, demo, "B", "ghent", "riga")
        assert other_scheme.status_code == 400
        in_b = Pairing.objects.get(scheme__code="B", mentor__slug="ghent")
        assert (
            client.post(
                reverse("mentoring:pairing_status", args=[in_b.pk]), {"status": "completed"}
            ).status_code
            == 403
        )

    @pytest.mark.parametrize(
        "email",
        ["officer.gdansk@example.org", "supervisor.gdansk@example.org", "partner@example.org"],
    )
    def test_other_roles_cannot_change_pairings(self, as_user, demo, email):
        client = as_user(email)
        pairing = Pairing.objects.get(mentor__slug="rotterdam", implementing__slug="gdansk")
        assert client.get(reverse("mentoring:pairing_create")).status_code == 403
        assert self.propose(client, demo).status_code == 403
        for name in ("pairing_edit", "pairing_status"):
            url = reverse(f"mentoring:{name}", args=[pairing.pk])
            assert client.post(url, {"status": "completed"}).status_code == 403
        pairing.refresh_from_db()
        assert pairing.status == PairingStatus.ACTIVE

    def test_only_proposed_pairings_change_cities(self, as_user, demo):
        client = as_user("coordinator@example.org")
        self.propose(client, demo, "A", "rotterdam", "riga")
        proposed = Pairing.objects.get(mentor__slug="rotterdam", implementing__slug="riga")
        url = reverse("mentoring:pairing_edit", args=[proposed.pk])
        athens = City.objects.get(slug="athens")
        client.post(url, {"mentor": proposed.mentor_id, "implementing": athens.pk})
        proposed.refresh_from_db()
        assert proposed.implementing == athens
        active = Pairing.objects.get(mentor__slug="munich")
        refused = client.post(
            reverse("mentoring:pairing_edit", args=[active.pk]),
            {"mentor": active.mentor_id, "implementing": athens.pk},
        )
        assert refused.status_code == 400
        assert "Only a proposed pairing" in refused.content.decode()


def table_of(response) -> str:
    html = response.content.decode()
    return html[html.index("<table") : html.index("</table>")]


class TestLists:
    def test_filters_sorting_and_pagination(self, as_user, demo):
        client = as_user("coordinator@example.org")
        scheme_b = demo.schemes.get(code="B")
        html = table_of(client.get(reverse("mentoring:pairings"), {"scheme": scheme_b.pk}))
        assert "Birmingham" in html
        assert "Rotterdam" not in html
        html = table_of(client.get(reverse("mentoring:pairings"), {"country": "FI"}))
        assert "Tampere" in html
        assert "Utrecht" in html
        assert "Gdańsk" not in html
        html = table_of(client.get(reverse("mentoring:pairings"), {"ordering": "-mentor"}))
        assert html.index("Rotterdam") < html.index("Barcelona")
        html = table_of(client.get(reverse("portal:city_list"), {"country": "DE"}))
        assert "Dresden" in html
        assert "Riga" not in html
        from mentoring.services import participation_add
        from tests.cities.factories import CityFactory

        for city in CityFactory.create_batch(20):
            participation_add(programme=demo, city=city)
        first = client.get(reverse("portal:city_list"), {"ordering": "name"}).content.decode()
        assert "Page 1 of 2" in first
        second = client.get(reverse("portal:city_list"), {"ordering": "name", "page": 2})
        assert "Page 2 of 2" in second.content.decode()
        assert table_of(second).count('<th scope="row">') == 36 - 25

    def test_the_pairing_list_offers_the_countries_of_its_cities_only(self, as_user, demo):
        client = as_user("coordinator@example.org")
        html = client.get(reverse("mentoring:pairings")).content.decode()
        assert '<option value="FI">Finland</option>' in html
        assert '<option value="AF">' not in html
        response = client.get(reverse("mentoring:pairings"), {"country": "AF"})
        assert response.status_code == 200
        assert "Select a valid choice." in response.content.decode()

    def test_csv_export_keeps_the_filters(self, as_user, demo):
        client = as_user("coordinator@example.org")
        response = client.get(
            reverse("mentoring:pairings"), {"status": "active", "country": "NL", "format": "csv"}
        )
        assert response["Content-Type"].startswith("text/csv")
        text = b"".join(response.streaming_content).decode("utf-8-sig")
        lines = text.strip().splitlines()
        assert lines[0].startswith("Programme,Scheme,Mentor city")
        pairs = sorted((row.split(",")[2], row.split(",")[4]) for row in lines[1:])
        assert pairs == [("Helsinki", "Utrecht"), ("Rotterdam", "Gdańsk")]

    def test_xlsx_export(self, as_user, demo):
        client = as_user("coordinator@example.org")
        response = client.get(reverse("portal:city_list"), {"country": "FI", "format": "xlsx"})
        sheet = load_workbook(BytesIO(response.content)).active
        rows = list(sheet.iter_rows(values_only=True))
        assert rows[0][0] == "City"
        assert sorted(r[0] for r in rows[1:]) == ["Helsinki", "Tampere"]
        assert {r[4] for r in rows[1:]} == {"fi, sv", "fi"}

    def test_exports_neutralise_formulas(self, as_user, demo):
        City.objects.filter(slug="riga").update(name='=HYPERLINK("http://evil")')
        client = as_user("coordinator@example.org")
        response = client.get(reverse("portal:city_list"), {"format": "csv"})
        text = b"".join(response.streaming_content).decode("utf-8-sig")
        assert "'=HYPERLINK" in text
        xlsx = client.get(reverse("portal:city_list"), {"format": "xlsx"})
        names = [
            r[0] for r in load_workbook(BytesIO(xlsx.content)).active.iter_rows(values_only=True)
        ]
        assert '\'=HYPERLINK("http://evil")' in names


def pairings_in(programme, n: int) -> None:
    from tests.mentoring.factories import PairingFactory, SchemeFactory

    schemes = SchemeFactory.create_batch(2, programme=programme, mentor_capacity=500)
    for i in range(n):
        PairingFactory(scheme=schemes[i % 2])


@pytest.mark.parametrize(
    "url",
    [
        lambda p: reverse("mentoring:pairings"),
        lambda p: reverse("mentoring:pairings") + "?status=active&ordering=-mentor",
        lambda p: reverse("portal:city_list"),
        lambda p: p.get_absolute_url(),
        lambda p: reverse("home"),
    ],
)
@pytest.mark.django_db
def test_lists_and_dashboard_do_not_grow_with_pairings(client, url):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from tests.accounts.factories import CoordinatorFactory

    membership = CoordinatorFactory()
    client.force_login(membership.user)
    programme = membership.programme
    counts = []
    for size in (10, 190):
        pairings_in(programme, size)
        with CaptureQueriesContext(connection) as captured:
            assert client.get(url(programme)).status_code == 200
        counts.append(len(captured))
    assert Pairing.objects.filter(scheme__programme=programme).count() == 200
    assert counts[0] == counts[1], counts
