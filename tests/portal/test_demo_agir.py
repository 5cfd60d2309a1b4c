"""The second demo programme, ICP AGIR: its own frame, its cities and people, its history in the
host cities' local time, and its practices and toolkit in Korean and Chinese."""

from datetime import date, datetime, time
from zoneinfo import ZoneInfo

from django.core.management import call_command

from accounts.models import Membership, Role, User
from actionplans.models import ActionPlan, Stage
from cities.models import City
from mentoring.models import Event, EventKind, EventStatus, Pairing, Programme, StandardEventKind
from reporting.models import ExchangeRate, MonthStatus, StaffRate, TimesheetMonth
from tests.demo_copy import seed_demo
from tests.portal.test_seed_demo import snapshot
from toolkits.models import GoodPractice, PracticeStatus, TargetGroup, Toolkit

SHARED = ["Rotterdam", "Helsinki", "Ghent", "Barcelona"]


def test_both_programmes_are_seeded(demo_agir):
    assert set(Programme.objects.values_list("slug", flat=True)) == {"cities-grow", "icp-agir"}
    assert (demo_agir.starts_on, demo_agir.ends_on) == (date(2021, 10, 1), date(2023, 3, 31))
    assert demo_agir.currency == "EUR"
    assert demo_agir.cost_model == "daily"
    assert demo_agir.participations.count() == 28
    assert Pairing.objects.filter(scheme__programme=demo_agir).count() == 14


def test_its_frame_is_its_own(demo_agir):
    cities_grow = Programme.objects.get(slug="cities-grow")
    assert demo_agir.framework.preset == "sdgs"
    assert demo_agir.framework_id != cities_grow.framework_id
    for scheme in demo_agir.schemes.all():
        goals = scheme.commitments.all()
        assert goals
        assert {goal.framework_id for goal in goals} == {demo_agir.framework_id}
    groups = set(TargetGroup.objects.filter(programme=demo_agir).values_list("name", flat=True))
    assert {"Residents", "Businesses", "Migrants and refugees"} <= groups
    assert not groups & set(
        TargetGroup.objects.filter(programme=cities_grow).values_list("name", flat=True)
    )
    study = EventKind.objects.get(programme=demo_agir, code=StandardEventKind.STUDY_VISIT)
    assert study.usual_days == 6
    assert EventKind.objects.get(programme=cities_grow, code=study.code).usual_days == 3
    assert EventKind.objects.filter(programme=demo_agir, code="working-meeting").exists()


def test_shared_cities_are_reused_and_their_officers_see_both(demo_agir):
    for name in SHARED:
        city = City.objects.get(name=name)
        assert set(city.participations.values_list("programme__slug", flat=True)) == {
            "cities-grow",
            "icp-agir",
        }
    assert City.objects.filter(name__in=["서울", "臺北", "香港"]).count() == 3
    assert City.objects.get(name="서울").slug == "seoul"


def test_new_people_follow_their_city_zone(demo_agir):
    officer = User.objects.get(email="officer.seoul@example.org")
    assert officer.time_zone == ""
    city = Membership.objects.get(user=officer, role=Role.OFFICER).city
    assert city.time_zone == "Asia/Seoul"
    assert User.objects.filter(email="supervisor.busan@example.org").exists()
    assert Membership.objects.filter(
        user__email="coordinator.agir@example.org", role=Role.COORDINATOR, programme=demo_agir
    ).exists()


def test_events_are_in_the_host_zone_and_held(demo_agir):
    events = Event.objects.filter(programme=demo_agir).select_related("host_city", "kind")
    assert events.count() >= 10
    for event in events:
        assert event.status == EventStatus.HELD
        if event.kind.hosted:
            assert event.time_zone == event.host_city.time_zone
    closing = events.get(title="ICP AGIR closing conference")
    assert closing.starts_at == datetime(2023, 3, 21, 9, tzinfo=ZoneInfo("Asia/Seoul"))
    visit = events.get(title="Study visit: Łódź in 서울")
    assert visit.time_zone == "Asia/Seoul"
    assert visit.starts_at.astimezone(ZoneInfo("Asia/Seoul")).time() == time(9)
    assert (visit.ends_on - visit.starts_on).days + 1 == 6
    october = events.filter(kind__code=StandardEventKind.STUDY_VISIT, starts_on__month=10)
    assert october
    assert all(e.host_city.country.code not in {"NL", "AT", "FI", "BE"} for e in october)
    assert events.filter(report__isnull=False).exists()
    assert all(event.attendances.exists() for event in events)


def test_every_dated_fact_lies_inside_the_programme(demo_agir):
    first, last = demo_agir.starts_on, demo_agir.ends_on

    def inside(moment) -> bool:
        return first <= moment.date() <= last

    for event in Event.objects.filter(programme=demo_agir):
        assert first <= event.starts_on <= event.ends_on <= last, event
        assert inside(event.created_at), event
        assert inside(event.updated_at), event
        for attendance in event.attendances.all():
            assert inside(attendance.recorded_at), event
    for pairing in Pairing.objects.filter(scheme__programme=demo_agir):
        assert inside(pairing.created_at)
    practices = GoodPractice.objects.filter(scheme__programme=demo_agir)
    for practice in practices:
        assert inside(practice.created_at)
        assert inside(practice.published_at)
    for toolkit in Toolkit.objects.filter(scheme__programme=demo_agir):
        assert inside(toolkit.created_at)
        for edition in toolkit.editions.all():
            assert first <= edition.published_on <= last


def test_korean_and_chinese_practices_and_toolkit_edition(demo_agir):
    practices = GoodPractice.objects.filter(scheme__programme=demo_agir)
    assert {"ko", "zh-Hant"} <= set(practices.values_list("language", flat=True))
    assert all(p.status == PracticeStatus.PUBLISHED for p in practices)
    korean = practices.get(city__name="서울")
    assert "수리센터" in korean.title
    toolkit = Toolkit.objects.get(scheme__programme=demo_agir)
    assert toolkit.editions.count() == 1
    languages = set(
        GoodPractice.objects.filter(toolkit_entries__toolkit=toolkit).values_list(
            "language", flat=True
        )
    )
    assert {"ko", "zh-Hant"} <= languages


def test_seeding_twice_changes_nothing(demo_agir):
    before = snapshot(), list(Event.objects.values()), list(GoodPractice.objects.values())
    call_command("seed_demo", verbosity=0, without_staff_time=True, without_plans=True)
    after = snapshot(), list(Event.objects.values()), list(GoodPractice.objects.values())
    assert after == before


def test_without_second_programme_leaves_it_out(demo):
    assert not Programme.objects.filter(slug="icp-agir").exists()
    assert not City.objects.filter(name="서울").exists()


def test_staff_time_in_rand_and_won_is_priced_in_euros(db):
    seed_demo()  # everything, staff time included (tests/demo_copy.py)
    programme = Programme.objects.get(slug="icp-agir")
    first, last = programme.starts_on, programme.ends_on
    sheets = TimesheetMonth.objects.filter(programme=programme)
    approved = sheets.filter(status=MonthStatus.APPROVED)
    assert {sheet.costs_currency for sheet in approved} == {"ZAR", "KRW"}
    for sheet in approved:
        assert (
            sheet.exchange_rate
            == ExchangeRate.objects.get(
                programme=programme, currency=sheet.costs_currency, month=sheet.month
            ).rate
        )
        assert first <= sheet.approved_at.date() <= last
    assert sheets.exclude(status=MonthStatus.APPROVED).exists()
    assert (
        StaffRate.objects.get(person__email="officer.cape-town@example.org", year=2022).currency
        == "ZAR"
    )


def test_a_cooperation_plan_approved_inside_the_programme(demo_agir):
    plan = ActionPlan.objects.get(pairing__scheme__programme=demo_agir)
    assert plan.pairing.implementing.name == "Cape Town"
    assert plan.stage == Stage.APPROVED
    assert demo_agir.starts_on <= plan.updated_at.date() <= demo_agir.ends_on
