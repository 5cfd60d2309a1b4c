"""In a real browser: at 00:30 on 1 March in Seoul (still 28 February in Brussels, the server's
zone) the Seoul officer's month grid takes hours for today (issue 15)."""

from datetime import UTC, date, datetime

import pytest
from django.urls import reverse

from config import clock
from reporting.models import TimeEntry
from tests.accounts.factories import PASSWORD, CityOfficerFactory
from tests.browser import page, sign_in  # noqa: F401
from tests.cities.factories import CityFactory
from tests.mentoring.factories import ParticipationFactory, ProgrammeFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_the_seoul_officers_grid_accepts_today_after_midnight_in_seoul(page):  # noqa: F811
    programme = ProgrammeFactory(starts_on=date(2025, 1, 1), ends_on=date(2027, 12, 31))
    seoul = CityFactory(name="Seoul", country="KR", latitude=37.5665, longitude=126.978)
    ParticipationFactory(programme=programme, city=seoul)
    officer = CityOfficerFactory(city=seoul).user
    with clock.fixed_at(datetime(2026, 2, 28, 15, 30, tzinfo=UTC)):
        sign_in(page, officer.email, PASSWORD)
        page.wait_for_url(lambda url: "/accounts/login/" not in url)
        page.goto(
            reverse(
                "reporting:grid", kwargs={"programme": programme.slug, "year": 2026, "month": 3}
            )
        )
        today = page.get_by_label("Action planning, Sunday 1 March")
        assert today.is_enabled()
        assert not page.get_by_label("Action planning, Monday 2 March").is_enabled()
        today.fill("2")
        page.get_by_role("button", name="Save the month").click()
        page.get_by_text("The month is saved: 1 change.").wait_for()
    entry = TimeEntry.objects.get(person=officer)
    assert entry.day == date(2026, 3, 1)
