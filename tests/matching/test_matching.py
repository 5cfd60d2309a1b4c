"""Explained matching: the pure scoring, the selector that gathers the facts, and the pages."""

import math
import re
from dataclasses import replace
from decimal import Decimal
from html import unescape

import pytest
from django.contrib.messages import get_messages
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils.functional import Promise

from cities.models import City
from matching import ranking as matching
from matching.ranking import Candidate, CityFacts, haversine_km, rank, score
from matching.selectors import implementing_facts, mentor_candidates
from mentoring.models import FrameworkSignature, Pairing, PairingStatus, Scheme
from mentoring.services import participation_add
from tests.accounts.factories import CoordinatorFactory
from tests.cities.factories import CityFactory
from tests.mentoring.factories import PairingFactory, ProgrammeFactory, SchemeFactory, charter

# The reason about signatures is named after the programme's framework.
CHARTER = "Integrating Cities Charter"

# Demo coordinates (latitude, longitude)
ROTTERDAM = (51.9244, 4.4777)
GDANSK = (54.3520, 18.6466)
TAMPERE = (61.4978, 23.7610)
HELSINKI = (60.1699, 24.9384)
LISBON = (38.7223, -9.1393)
LONDON = (51.5074, -0.1278)
PARIS = (48.8566, 2.3522)

IMPLEMENTING = CityFacts(
    city_id=1, name="Tampere", languages=("fi",), latitude=TAMPERE[0], longitude=TAMPERE[1]
)


def candidate(**changes) -> Candidate:
    """A candidate with nothing in its favour or against it, in Tampere itself, unless changed."""
    facts = {
        "city_id": 2,
        "name": "Somewhere",
        "completed_on_theme": 0,
        "completed_overall": 0,
        "good_practices_on_theme": 0,
        "framework": CHARTER,
        "signatory": False,
        "languages": (),
        "load": 0,
        "capacity": 2,
        "latitude": TAMPERE[0],
        "longitude": TAMPERE[1],
    }
    facts.update(changes)
    return Candidate(**facts)


def reason(suggestion, label):
    (found,) = [r for r in suggestion.reasons if r.label == label]
    return found


# The pure function ------------------------------------------------------------------------------


class TestHaversine:
    def test_rotterdam_to_gdansk(self):
        # 981 km for the demo coordinates (the brief's "about 965 km" is 1.7% short of this; a
        # WGS84 ellipsoid calculation for the same points gives 984 km).
        assert haversine_km(*ROTTERDAM, *GDANSK) == pytest.approx(981.0, rel=0.01)

    def test_london_to_paris(self):
        assert haversine_km(*LONDON, *PARIS) == pytest.approx(343.5, rel=0.01)

    def test_a_quarter_of_a_meridian_is_a_quarter_of_the_circumference(self):
        assert haversine_km(0, 0, 90, 0) == pytest.approx(math.pi / 2 * 6371.0088, rel=1e-9)

    def test_half_way_round_the_equator(self):
        assert haversine_km(0, 0, 0, 180) == pytest.approx(math.pi * 6371.0088, rel=1e-9)

    def test_symmetric_and_zero_for_the_same_point(self):
        assert haversine_km(*TAMPERE, *TAMPERE) == 0
        assert haversine_km(*TAMPERE, *LISBON) == pytest.approx(haversine_km(*LISBON, *TAMPERE))


class TestScoreReasons:
    def test_every_component_has_a_reason_and_the_score_is_their_sum(self):
        suggestion = score(
            candidate(
                completed_on_theme=1,
                completed_overall=2,
                good_practices_on_theme=1,
                signatory=True,
                languages=("fi",),
                load=1,
                latitude=HELSINKI[0],
                longitude=HELSINKI[1],
            ),
            IMPLEMENTING,
        )
        labels = [r.label for r in suggestion.reasons]
        assert labels == [
            matching.THEME_PAIRINGS,
            matching.GOOD_PRACTICES,
            matching.OTHER_PAIRINGS,
            CHARTER,
            matching.LANGUAGES,
            matching.DISTANCE,
            matching.LOAD,
        ]
        # Every label is translatable but the framework's name, which is the programme's data.
        assert all(isinstance(label, Promise) for label in labels if label != CHARTER), (
            "labels must be translatable"
        )
        assert suggestion.score == sum(r.points for r in suggestion.reasons)
        # 20 + 8 + 5 + 10 + 15 + 19 (161 km) - 5
        assert suggestion.score == 72

    def test_nothing_in_favour_scores_only_the_short_trip(self):
        suggestion = score(candidate(), IMPLEMENTING)
        assert suggestion.score == matching.DISTANCE_MAX_POINTS
        assert reason(suggestion, matching.THEME_PAIRINGS).detail == (
            "No completed pairing as mentor on this theme yet"
        )
        assert reason(suggestion, matching.GOOD_PRACTICES).detail == (
            "No published good practice in this theme"
        )
        assert reason(suggestion, CHARTER).detail == (
            "Has not signed the Integrating Cities Charter"
        )

    @pytest.mark.parametrize(("count", "points"), [(0, 0), (1, 20), (3, 60), (7, 60)])
    def test_pairings_on_the_theme_count_up_to_a_cap(self, count, points):
        suggestion = score(
            candidate(completed_on_theme=count, completed_overall=count), IMPLEMENTING
        )
        assert reason(suggestion, matching.THEME_PAIRINGS).points == points
        assert reason(suggestion, matching.OTHER_PAIRINGS).points == 0

    def test_pairings_on_the_theme_are_explained(self):
        one = score(candidate(completed_on_theme=1, completed_overall=1), IMPLEMENTING)
        two = score(candidate(completed_on_theme=2, completed_overall=2), IMPLEMENTING)
        assert reason(one, matching.THEME_PAIRINGS).detail == (
            "1 completed pairing as mentor on this theme"
        )
        assert reason(two, matching.THEME_PAIRINGS).detail == (
            "2 completed pairings as mentor on this theme"
        )

    @pytest.mark.parametrize(("count", "points"), [(1, 8), (2, 16), (5, 40), (9, 40)])
    def test_good_practices_count_up_to_a_cap(self, count, points):
        suggestion = score(candidate(good_practices_on_theme=count), IMPLEMENTING)
        found = reason(suggestion, matching.GOOD_PRACTICES)
        assert found.points == points
        assert found.detail.startswith(f"{count} published good practice")

    @pytest.mark.parametrize(
        ("on_theme", "overall", "points"), [(0, 1, 5), (1, 4, 15), (2, 2, 0), (0, 10, 15)]
    )
    def test_other_mentoring_counts_only_pairings_off_the_theme(self, on_theme, overall, points):
        suggestion = score(
            candidate(completed_on_theme=on_theme, completed_overall=overall), IMPLEMENTING
        )
        assert reason(suggestion, matching.OTHER_PAIRINGS).points == points

    def test_charter_signatories_score(self):
        suggestion = score(candidate(signatory=True), IMPLEMENTING)
        found = reason(suggestion, CHARTER)
        assert (found.points, found.detail) == (10, "Signed the Integrating Cities Charter")

    def test_a_shared_language_is_named_with_the_city(self):
        ghent = CityFacts(city_id=9, name="Ghent", languages=("nl",), latitude=51, longitude=3.7)
        suggestion = score(candidate(languages=("nl", "fr")), ghent)
        found = reason(suggestion, matching.LANGUAGES)
        assert (found.points, found.detail) == (15, "Speaks nl with Ghent")

    def test_several_shared_languages_score_once(self):
        helsinki = CityFacts(
            city_id=9, name="Helsinki", languages=("fi", "sv"), latitude=60, longitude=25
        )
        suggestion = score(candidate(languages=("SV", "fi", "en")), helsinki)
        found = reason(suggestion, matching.LANGUAGES)
        assert (found.points, found.detail) == (15, "Speaks fi, sv with Helsinki")

    def test_no_shared_language(self):
        suggestion = score(candidate(languages=("pt",)), IMPLEMENTING)
        found = reason(suggestion, matching.LANGUAGES)
        assert (found.points, found.detail) == (0, "No language in common with Tampere")

    def test_distance_in_km_with_thousands_grouped(self):
        lisbon = candidate(latitude=LISBON[0], longitude=LISBON[1])
        suggestion = score(lisbon, IMPLEMENTING)
        km = haversine_km(*LISBON, *TAMPERE)
        assert 3000 < km < 4000
        found = reason(suggestion, matching.DISTANCE)
        assert found.detail == f"{round(km):,} km from Tampere"
        assert found.points == 0
        assert suggestion.distance_km == pytest.approx(km)

    @pytest.mark.parametrize(
        ("where", "points"),
        [(TAMPERE, 20), (HELSINKI, 19), (ROTTERDAM, 9), (LISBON, 0)],
    )
    def test_shorter_trips_score_more(self, where, points):
        suggestion = score(candidate(latitude=where[0], longitude=where[1]), IMPLEMENTING)
        km = haversine_km(*where, *TAMPERE)
        assert reason(suggestion, matching.DISTANCE).points == points
        assert points == max(0, math.floor(20 * (1 - km / 3000) + 0.5))

    @pytest.mark.parametrize(("load", "points"), [(0, 0), (1, -5), (2, -10)])
    def test_each_pairing_the_mentor_carries_costs_points(self, load, points):
        suggestion = score(candidate(load=load, capacity=3), IMPLEMENTING)
        found = reason(suggestion, matching.LOAD)
        assert (found.points, found.detail) == (points, f"{load} of 3 places taken")
        assert suggestion.available

    @pytest.mark.parametrize(("load", "capacity"), [(2, 2), (3, 2)])
    def test_a_full_mentor_is_listed_but_unavailable(self, load, capacity):
        suggestion = score(candidate(load=load, capacity=capacity), IMPLEMENTING)
        found = reason(suggestion, matching.LOAD)
        assert found.points == matching.FULL_CAPACITY_POINTS
        assert found.detail == (f"{load} of {capacity} places taken: no place left in this scheme")
        assert not suggestion.available
        assert suggestion.score < 0

    def test_signed_points(self):
        assert [r.signed_points for r in score(candidate(load=1), IMPLEMENTING).reasons][-2:] == [
            "+20",
            "-5",
        ]
        assert reason(score(candidate(), IMPLEMENTING), CHARTER).signed_points == "0"


class TestRank:
    def test_highest_score_first(self):
        weak = candidate(city_id=3, name="Weak")
        strong = candidate(city_id=4, name="Strong", completed_on_theme=1, completed_overall=1)
        middle = candidate(city_id=5, name="Middle", signatory=True)
        assert [s.name for s in rank([weak, strong, middle], IMPLEMENTING)] == [
            "Strong",
            "Middle",
            "Weak",
        ]

    def test_a_full_mentor_comes_last_however_experienced(self):
        full = candidate(
            city_id=3, name="Full", completed_on_theme=9, completed_overall=9, load=2, capacity=2
        )
        plain = candidate(city_id=4, name="Plain", latitude=LISBON[0], longitude=LISBON[1])
        assert [s.name for s in rank([full, plain], IMPLEMENTING)] == ["Plain", "Full"]

    def test_equal_scores_go_to_the_shorter_trip(self):
        # 100 km and 130 km both round to 19 distance points.
        near = candidate(city_id=3, name="Near", latitude=TAMPERE[0] - 0.9)
        far = candidate(city_id=4, name="Far", latitude=TAMPERE[0] - 1.17)
        suggestions = rank([far, near], IMPLEMENTING)
        assert suggestions[0].score == suggestions[1].score
        assert suggestions[0].distance_km < suggestions[1].distance_km
        assert [s.name for s in suggestions] == ["Near", "Far"]

    def test_equal_scores_and_distances_go_by_name(self):
        cities = [
            candidate(city_id=3, name="utrecht"),
            candidate(city_id=4, name="Antwerp"),
            candidate(city_id=5, name="Munich"),
        ]
        assert [s.name for s in rank(cities, IMPLEMENTING)] == ["Antwerp", "Munich", "utrecht"]

    def test_no_candidates(self):
        assert rank([], IMPLEMENTING) == []


# The selector -----------------------------------------------------------------------------------


@pytest.fixture
def scheme(db):
    scheme = SchemeFactory(mentor_capacity=2, programme__framework=charter())
    scheme.commitments.set([2, 4])
    return scheme


def taking_part(programme, **cities):
    for city in cities.values():
        participation_add(programme=programme, city=city)
    return cities


def withdrawn(**fields) -> Pairing:
    return PairingFactory(status=PairingStatus.WITHDRAWN, withdrawal_reason="No time.", **fields)


def candidates_by_name(scheme, implementing) -> dict[str, Candidate]:
    return {c.name: c for c in mentor_candidates(scheme=scheme, implementing=implementing)}


@pytest.mark.django_db
class TestMentorCandidates:
    def test_the_programme_cities_except_the_implementing_city(self, scheme):
        cities = taking_part(
            scheme.programme,
            riga=CityFactory(name="Riga"),
            ghent=CityFactory(name="Ghent"),
            athens=CityFactory(name="Athens"),
        )
        CityFactory(name="Oslo")  # not in the programme
        found = mentor_candidates(scheme=scheme, implementing=cities["riga"])
        assert [c.name for c in found] == ["Athens", "Ghent"]

    @pytest.mark.parametrize("status", list(PairingStatus))
    def test_a_city_already_paired_in_the_scheme_is_left_out_whatever_the_status(
        self, scheme, status
    ):
        cities = taking_part(
            scheme.programme, riga=CityFactory(name="Riga"), ghent=CityFactory(name="Ghent")
        )
        PairingFactory(
            scheme=scheme,
            mentor=cities["ghent"],
            implementing=cities["riga"],
            status=status,
            withdrawal_reason="Changed plans." if status == PairingStatus.WITHDRAWN else "",
        )
        assert "Ghent" not in candidates_by_name(scheme, cities["riga"])

    def test_a_pairing_with_another_city_or_in_another_scheme_does_not_exclude(self, scheme):
        cities = taking_part(
            scheme.programme,
            riga=CityFactory(name="Riga"),
            ghent=CityFactory(name="Ghent"),
            lisbon=CityFactory(name="Lisbon"),
        )
        other_scheme = SchemeFactory(programme=scheme.programme)
        PairingFactory(scheme=other_scheme, mentor=cities["ghent"], implementing=cities["riga"])
        PairingFactory(scheme=scheme, mentor=cities["lisbon"], implementing=cities["ghent"])
        assert set(candidates_by_name(scheme, cities["riga"])) == {"Ghent", "Lisbon"}

    def test_a_withdrawn_pair_is_never_suggested_again(self, scheme):
        cities = taking_part(
            scheme.programme,
            riga=CityFactory(name="Riga"),
            ghent=CityFactory(name="Ghent"),
            lisbon=CityFactory(name="Lisbon"),
            athens=CityFactory(name="Athens"),
        )
        other_scheme = SchemeFactory(programme=scheme.programme)
        # Ghent mentored Riga in another scheme of the programme, and withdrew.
        withdrawn(scheme=other_scheme, mentor=cities["ghent"], implementing=cities["riga"])
        # Riga mentored Lisbon, and withdrew: the same pair the other way round.
        withdrawn(scheme=other_scheme, mentor=cities["riga"], implementing=cities["lisbon"])
        assert set(candidates_by_name(scheme, cities["riga"])) == {"Athens"}
        # The withdrawal concerns that pair only.
        assert "Ghent" in candidates_by_name(scheme, cities["athens"])

    def test_a_withdrawal_in_another_programme_does_not_exclude(self, scheme):
        cities = taking_part(
            scheme.programme, riga=CityFactory(name="Riga"), ghent=CityFactory(name="Ghent")
        )
        elsewhere = SchemeFactory()
        withdrawn(scheme=elsewhere, mentor=cities["ghent"], implementing=cities["riga"])
        assert "Ghent" in candidates_by_name(scheme, cities["riga"])

    def test_load_counts_only_proposed_and_active_pairings_in_the_scheme(self, scheme):
        cities = taking_part(
            scheme.programme, riga=CityFactory(name="Riga"), ghent=CityFactory(name="Ghent")
        )
        ghent = cities["ghent"]
        for status in (PairingStatus.PROPOSED, PairingStatus.ACTIVE, PairingStatus.COMPLETED):
            PairingFactory(scheme=scheme, mentor=ghent, status=status)
        withdrawn(scheme=scheme, mentor=ghent)
        PairingFactory(scheme=SchemeFactory(programme=scheme.programme), mentor=ghent)
        PairingFactory(scheme=scheme, implementing=ghent)  # Ghent learning, not mentoring
        found = candidates_by_name(scheme, cities["riga"])["Ghent"]
        assert (found.load, found.capacity, found.available) == (2, 2, False)

    def test_experience_on_the_theme_follows_the_charter_commitments(self, scheme):
        cities = taking_part(
            scheme.programme, riga=CityFactory(name="Riga"), ghent=CityFactory(name="Ghent")
        )
        ghent = cities["ghent"]
        sharing = SchemeFactory()  # another programme, sharing commitment 4
        sharing.commitments.set([4, 9])
        unrelated = SchemeFactory(programme=scheme.programme)
        unrelated.commitments.set([9, 10])
        bare = SchemeFactory(programme=scheme.programme)  # no commitments at all
        for on in (scheme, sharing, unrelated, bare):
            PairingFactory(scheme=on, mentor=ghent, status=PairingStatus.COMPLETED)
        PairingFactory(scheme=sharing, mentor=ghent, status=PairingStatus.ACTIVE)
        withdrawn(scheme=scheme, mentor=ghent)
        found = candidates_by_name(scheme, cities["riga"])["Ghent"]
        assert (found.completed_on_theme, found.completed_overall) == (2, 4)

    def test_a_scheme_without_commitments_counts_only_its_own_pairings(self):
        scheme = SchemeFactory()
        cities = taking_part(
            scheme.programme, riga=CityFactory(name="Riga"), ghent=CityFactory(name="Ghent")
        )
        other = SchemeFactory()
        other.commitments.set([1])
        PairingFactory(scheme=scheme, mentor=cities["ghent"], status=PairingStatus.COMPLETED)
        PairingFactory(scheme=other, mentor=cities["ghent"], status=PairingStatus.COMPLETED)
        found = candidates_by_name(scheme, cities["riga"])["Ghent"]
        assert (found.completed_on_theme, found.completed_overall) == (1, 2)

    def test_the_city_facts(self, scheme):
        riga = CityFactory(name="Riga", languages=["lv"])
        ghent = CityFactory(
            name="Ghent",
            languages=["nl"],
            latitude=Decimal("51.05430"),
            longitude=Decimal("3.71740"),
        )
        FrameworkSignature.objects.create(framework=charter(), city=ghent)
        taking_part(scheme.programme, riga=riga, ghent=ghent)
        (found,) = mentor_candidates(scheme=scheme, implementing=riga)
        assert found == Candidate(
            city_id=ghent.pk,
            name="Ghent",
            completed_on_theme=0,
            completed_overall=0,
            good_practices_on_theme=0,
            framework=CHARTER,
            signatory=True,
            languages=("nl",),
            load=0,
            capacity=2,
            latitude=51.0543,
            longitude=3.7174,
        )
        assert implementing_facts(riga) == CityFacts(
            city_id=riga.pk, name="Riga", languages=("lv",), latitude=50.85, longitude=4.35
        )

    def test_one_query_however_many_cities(self, scheme):
        implementing = CityFactory()
        participation_add(programme=scheme.programme, city=implementing)

        def grow(n: int) -> None:
            for _ in range(n):
                mentor = CityFactory()
                participation_add(programme=scheme.programme, city=mentor)
                PairingFactory(scheme=scheme, mentor=mentor)
                PairingFactory(mentor=mentor, status=PairingStatus.COMPLETED)
                withdrawn(scheme=scheme, mentor=mentor)

        def measure() -> tuple[int, int]:
            with CaptureQueriesContext(connection) as captured:
                found = mentor_candidates(scheme=scheme, implementing=implementing)
            return len(captured), len(found)

        grow(2)
        small, small_rows = measure()
        grow(10)
        large, large_rows = measure()
        # Each round adds a mentor and the two implementing cities of its pairings in the scheme.
        assert (small_rows, large_rows) == (2 * 3, 12 * 3)
        assert small == large == 1


# The pages --------------------------------------------------------------------------------------

COORDINATOR = "coordinator@example.org"


def city(name: str) -> City:
    return City.objects.get(name=name)


def scheme_of(demo, code: str) -> Scheme:
    return demo.schemes.get(code=code)


def matching_url(demo) -> str:
    return reverse("matching:matching", kwargs={"slug": demo.slug})


def propose_url(demo) -> str:
    return reverse("matching:propose", kwargs={"slug": demo.slug})


def ranked_names(html: str) -> list[str]:
    return [unescape(name) for name in re.findall(r'<th scope="row">(.*?)</th>', html)]


def page_messages(response) -> list[str]:
    return [str(m) for m in get_messages(response.wsgi_request)]


@pytest.fixture
def coordinator_client(client, demo, demo_user):
    client.force_login(demo_user(COORDINATOR))
    return client


def choose(demo, code="B", implementing="Tampere") -> dict:
    return {"scheme": scheme_of(demo, code).pk, "implementing": city(implementing).pk}


class TestMatchingPage:
    def test_the_coordinator_sees_the_ranked_list_with_reasons(self, coordinator_client, demo):
        response = coordinator_client.get(matching_url(demo), choose(demo))
        assert response.status_code == 200
        html = response.content.decode()
        names = ranked_names(html)
        # Everyone but Tampere itself and Ghent, already its mentor in scheme B.
        assert len(names) == 14
        assert "Tampere" not in names
        assert "Ghent" not in names
        # Helsinki speaks Finnish and is 161 km away: the best suggestion.
        assert names[0] == "Helsinki"
        assert "Speaks fi with Tampere" in html
        assert "161 km from Tampere" in html
        assert "1 of 2 places taken" in html  # Birmingham mentors Riga in scheme B
        assert "<caption>Mentor candidates for Tampere in scheme B, best first</caption>" in html
        assert "Propose Helsinki as mentor</button>" in html

    def test_the_demo_ranking(self, coordinator_client, demo):
        response = coordinator_client.get(matching_url(demo), choose(demo))
        # No city has completed pairings or signed the Charter in the demo: language, distance
        # and load decide. Rotterdam and Munich tie on 9 points, as do Nicosia and Lisbon on 0:
        # the shorter trip goes first. Birmingham pays 5 points for mentoring Riga in scheme B.
        assert ranked_names(response.content.decode()) == [
            "Helsinki",
            "Riga",
            "Gdańsk",
            "Dresden",
            "Utrecht",
            "Rotterdam",
            "Munich",
            "Brighton & Hove",
            "Nantes",
            "Birmingham",
            "Athens",
            "Barcelona",
            "Nicosia",
            "Lisbon",
        ]

    def test_without_a_choice_the_page_shows_the_form(self, coordinator_client, demo):
        response = coordinator_client.get(matching_url(demo))
        assert response.status_code == 200
        html = response.content.decode()
        assert 'name="scheme"' in html
        assert 'name="implementing"' in html
        assert "<table" not in html

    def test_the_form_offers_only_the_programme_schemes_and_cities(self, coordinator_client, demo):
        other = SchemeFactory(code="ZZ", theme="Elsewhere only")
        outsider = CityFactory(name="Oslo")
        participation_add(programme=other.programme, city=outsider)
        html = coordinator_client.get(matching_url(demo)).content.decode()
        assert scheme_of(demo, "B").theme in html
        assert "Elsewhere only" not in html
        assert "Oslo" not in html

    def test_a_full_mentor_is_shown_without_a_button(self, coordinator_client, demo):
        Scheme.objects.filter(pk=scheme_of(demo, "B").pk).update(mentor_capacity=1)
        html = coordinator_client.get(matching_url(demo), choose(demo)).content.decode()
        assert ranked_names(html)[-1] == "Birmingham"
        assert "1 of 1 places taken: no place left in this scheme" in html
        assert "Propose Birmingham as mentor" not in html

    def test_query_count_does_not_grow_with_the_cities(self, coordinator_client, demo):
        def queries() -> int:
            with CaptureQueriesContext(connection) as captured:
                response = coordinator_client.get(matching_url(demo), choose(demo))
            assert response.status_code == 200
            return len(captured)

        small = queries()
        for _ in range(8):
            mentor = CityFactory()
            participation_add(programme=demo, city=mentor)
            PairingFactory(scheme=scheme_of(demo, "C"), mentor=mentor, status="completed")
        large = queries()
        assert large == small


class TestPropose:
    def test_one_click_proposes_the_pairing(self, coordinator_client, demo, demo_user):
        data = {**choose(demo), "mentor": city("Helsinki").pk}
        response = coordinator_client.post(propose_url(demo), data)
        pairing = Pairing.objects.get(
            scheme__code="B", implementing__name="Tampere", mentor__name="Helsinki"
        )
        assert pairing.status == PairingStatus.PROPOSED
        assert pairing.created_by == demo_user(COORDINATOR)
        assert response.status_code == 302
        assert response.url == pairing.get_absolute_url()
        assert page_messages(response) == ["Proposed: Helsinki to mentor Tampere in scheme B."]

    def test_a_full_mentor_gives_a_message_not_an_error_page(self, coordinator_client, demo):
        Scheme.objects.filter(pk=scheme_of(demo, "B").pk).update(mentor_capacity=1)
        data = {**choose(demo), "mentor": city("Birmingham").pk}
        response = coordinator_client.post(propose_url(demo), data, follow=True)
        assert response.status_code == 200
        assert response.redirect_chain == [
            (
                f"{matching_url(demo)}?scheme={data['scheme']}&implementing={data['implementing']}",
                302,
            )
        ]
        html = response.content.decode()
        assert "Birmingham has reached its capacity of 1 pairing in this scheme." in html
        assert not Pairing.objects.filter(mentor__name="Birmingham", implementing__name="Tampere")

    def test_an_existing_pairing_gives_a_message(self, coordinator_client, demo):
        data = {**choose(demo), "mentor": city("Ghent").pk}
        response = coordinator_client.post(propose_url(demo), data, follow=True)
        assert response.status_code == 200
        assert "Ghent already mentors Tampere in this scheme." in response.content.decode()
        assert (
            Pairing.objects.filter(mentor__name="Ghent", implementing__name="Tampere").count() == 1
        )

    def test_a_withdrawn_pair_is_not_proposed_again(self, coordinator_client, demo):
        Pairing.objects.filter(mentor__name="Ghent", implementing__name="Tampere").update(
            status=PairingStatus.WITHDRAWN, withdrawal_reason="Ghent ran out of staff time."
        )
        data = {**choose(demo, code="C"), "mentor": city("Ghent").pk}
        response = coordinator_client.post(propose_url(demo), data, follow=True)
        assert response.status_code == 200
        html = response.content.decode()
        assert "A pairing of Ghent and Tampere was withdrawn before in this programme" in html
        assert "Ghent" not in ranked_names(html)
        assert not Pairing.objects.filter(scheme__code="C", mentor__name="Ghent")

    def test_a_city_cannot_mentor_itself(self, coordinator_client, demo):
        data = {**choose(demo), "mentor": city("Tampere").pk}
        response = coordinator_client.post(propose_url(demo), data, follow=True)
        assert "A city cannot be paired with itself." in response.content.decode()

    def test_proposing_needs_a_post(self, coordinator_client, demo):
        response = coordinator_client.get(propose_url(demo), {**choose(demo), "mentor": 1})
        assert response.status_code == 405


OTHERS = [
    "expert@example.org",
    "officer.tampere@example.org",
    "supervisor.tampere@example.org",
    "partner@example.org",
]


class TestWhoMayMatch:
    @pytest.mark.parametrize("email", OTHERS)
    def test_only_coordinators_see_the_page(self, client, demo, demo_user, email):
        client.force_login(demo_user(email))
        assert client.get(matching_url(demo), choose(demo)).status_code == 403

    @pytest.mark.parametrize("email", OTHERS)
    def test_only_coordinators_propose(self, client, demo, demo_user, email):
        client.force_login(demo_user(email))
        data = {**choose(demo), "mentor": city("Helsinki").pk}
        assert client.post(propose_url(demo), data).status_code == 403
        assert not Pairing.objects.filter(mentor__name="Helsinki", implementing__name="Tampere")

    def test_a_coordinator_of_another_programme_is_refused(self, client, demo):
        membership = CoordinatorFactory(programme=ProgrammeFactory())
        client.force_login(membership.user)
        assert client.get(matching_url(demo)).status_code == 403
        data = {**choose(demo), "mentor": city("Helsinki").pk}
        assert client.post(propose_url(demo), data).status_code == 403

    def test_anonymous_people_are_sent_to_sign_in(self, client, demo):
        url = matching_url(demo)
        response = client.get(url)
        assert response.status_code == 302
        assert response.url == f"{reverse('account_login')}?next={url}"
        data = {**choose(demo), "mentor": city("Helsinki").pk}
        response = client.post(propose_url(demo), data)
        assert response.status_code == 302
        assert response.url.startswith(reverse("account_login"))
        assert not Pairing.objects.filter(mentor__name="Helsinki", implementing__name="Tampere")

    def test_an_unknown_programme_is_not_found(self, coordinator_client):
        url = reverse("matching:matching", kwargs={"slug": "no-such-programme"})
        assert coordinator_client.get(url).status_code == 404


class TestBadInput:
    def test_unknown_ids(self, coordinator_client, demo):
        response = coordinator_client.get(
            matching_url(demo), {"scheme": 999999, "implementing": "abc"}
        )
        assert response.status_code == 400
        html = response.content.decode()
        assert html.count("Select a valid choice.") == 2
        assert "<table" not in html

    def test_a_city_from_another_programme(self, coordinator_client, demo):
        outsider = CityFactory(name="Oslo")
        participation_add(programme=ProgrammeFactory(), city=outsider)
        data = {"scheme": scheme_of(demo, "B").pk, "implementing": outsider.pk}
        response = coordinator_client.get(matching_url(demo), data)
        assert response.status_code == 400
        assert "Select a valid choice." in response.content.decode()

    def test_a_scheme_from_another_programme(self, coordinator_client, demo):
        data = {"scheme": SchemeFactory().pk, "implementing": city("Tampere").pk}
        response = coordinator_client.get(matching_url(demo), data)
        assert response.status_code == 400

    def test_a_missing_field(self, coordinator_client, demo):
        response = coordinator_client.get(matching_url(demo), {"scheme": scheme_of(demo, "B").pk})
        assert response.status_code == 400
        assert "This field is required." in response.content.decode()

    def test_a_proposal_without_a_mentor(self, coordinator_client, demo):
        response = coordinator_client.post(propose_url(demo), choose(demo))
        assert response.status_code == 400
        html = response.content.decode()
        assert "Mentor city: This field is required." in html
        # The suggestions are shown again, so the coordinator can pick one.
        assert ranked_names(html)[0] == "Helsinki"
        assert Pairing.objects.count() == 8

    def test_a_mentor_from_another_programme(self, coordinator_client, demo):
        outsider = CityFactory(name="Oslo")
        participation_add(programme=ProgrammeFactory(), city=outsider)
        response = coordinator_client.post(
            propose_url(demo), {**choose(demo), "mentor": outsider.pk}
        )
        assert response.status_code == 400
        assert "Mentor city: Select a valid choice." in response.content.decode()
        assert not Pairing.objects.filter(mentor=outsider)

    def test_a_proposal_with_nothing(self, coordinator_client, demo):
        response = coordinator_client.post(propose_url(demo), {})
        assert response.status_code == 400
        assert response.content.decode().count("This field is required.") >= 3
        assert Pairing.objects.count() == 8


def test_the_candidate_is_a_frozen_fact():
    with pytest.raises(AttributeError):
        candidate().load = 1  # type: ignore[misc]
    assert replace(candidate(), load=1).load == 1


# A programme's own frame (issue 15) -------------------------------------------------------------


class TestTheProgrammesFrameOnly:
    def test_without_a_framework_the_signature_reason_is_left_out(self):
        suggestion = score(candidate(framework=None, signatory=True), IMPLEMENTING)
        assert [r.label for r in suggestion.reasons] == [
            matching.THEME_PAIRINGS,
            matching.GOOD_PRACTICES,
            matching.OTHER_PAIRINGS,
            matching.LANGUAGES,
            matching.DISTANCE,
            matching.LOAD,
        ]
        assert suggestion.score == matching.DISTANCE_MAX_POINTS
        assert not [r for r in suggestion.reasons if "signed" in r.detail.lower()]

    def test_the_reason_is_named_after_the_programmes_framework(self):
        sdgs = "UN Sustainable Development Goals"
        suggestion = score(candidate(framework=sdgs, signatory=True), IMPLEMENTING)
        found = reason(suggestion, sdgs)
        assert (found.points, found.detail) == (10, f"Signed the {sdgs}")

    @pytest.mark.django_db
    def test_a_programme_without_a_framework_has_no_signature_fact(self):
        scheme = SchemeFactory()  # its programme follows no framework
        cities = taking_part(
            scheme.programme, riga=CityFactory(name="Riga"), ghent=CityFactory(name="Ghent")
        )
        FrameworkSignature.objects.create(framework=charter(), city=cities["ghent"])
        found = candidates_by_name(scheme, cities["riga"])["Ghent"]
        assert (found.framework, found.signatory) == (None, False)

    @pytest.mark.django_db
    def test_only_a_signature_of_the_programmes_framework_counts(self, scheme):
        from mentoring.models import CommitmentFramework

        sdgs = CommitmentFramework.objects.create(name="SDGs")
        air = SchemeFactory(programme=ProgrammeFactory(framework=sdgs))
        cities = taking_part(
            air.programme, riga=CityFactory(name="Riga"), ghent=CityFactory(name="Ghent")
        )
        FrameworkSignature.objects.create(framework=charter(), city=cities["ghent"])
        found = candidates_by_name(air, cities["riga"])["Ghent"]
        assert (found.framework, found.signatory) == ("SDGs", False)
        FrameworkSignature.objects.create(framework=sdgs, city=cities["ghent"])
        found = candidates_by_name(air, cities["riga"])["Ghent"]
        assert found.signatory is True

    @pytest.mark.django_db
    def test_without_a_framework_no_scheme_shares_the_theme(self):
        scheme = SchemeFactory()  # no framework
        scheme.commitments.set([4])  # left from an earlier framework: ignored
        cities = taking_part(
            scheme.programme, riga=CityFactory(name="Riga"), ghent=CityFactory(name="Ghent")
        )
        sharing = SchemeFactory(programme__framework=charter())
        sharing.commitments.set([4])
        PairingFactory(scheme=sharing, mentor=cities["ghent"], status=PairingStatus.COMPLETED)
        found = candidates_by_name(scheme, cities["riga"])["Ghent"]
        assert (found.completed_on_theme, found.completed_overall) == (0, 1)

    def test_the_page_of_a_programme_without_a_framework_says_nothing_of_signatures(
        self, client, demo, demo_user
    ):
        from mentoring.services.frames import programme_framework_set

        coordinator = demo_user(COORDINATOR)
        programme_framework_set(programme=demo, framework=None, by=coordinator)
        client.force_login(coordinator)
        html = client.get(matching_url(demo), choose(demo)).content.decode()
        assert "Helsinki" in ranked_names(html)
        assert "Charter" not in html
        assert "signed" not in html.lower()
