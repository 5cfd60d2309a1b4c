"""Money in the programme's currency: one formatting function, costs in another currency at
the programme's monthly exchange rate (frozen with the approved month), and the cost model's
figures as the programme's data, fixed once a month is approved."""

import re
from datetime import date
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import translation

from documents.money import current_currencies, format_money, minor_unit, xlsx_number_format
from mentoring.services.programmes import programme_update
from reporting import services
from reporting.costs import CostFigures, days_used, rate_for
from reporting.models import ExchangeRate, MonthStatus, TimesheetMonth
from reporting.selectors import person_months, staff_cost_summary
from tests.reporting.factories import approved_month, build_time_world, fresh, rate, record

pytestmark = pytest.mark.django_db

MARCH = date(2017, 3, 1)


# Formatting -------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("amount", "currency", "language", "shown"),
    [
        ("1234.50", "EUR", "de", "1.234,50\N{NO-BREAK SPACE}€"),
        ("1234.50", "EUR", "en", "€1,234.50"),
        ("1234", "KRW", "en", "₩1,234"),
        ("1234.5", "KRW", "en", "₩1,235"),  # no minor unit: half-up to the unit
        ("0.125", "EUR", "en", "€0.13"),  # half-up, where Babel alone rounds half-even (0.12)
        ("0.135", "EUR", "en", "€0.14"),
        ("2.5", "JPY", "en", "¥3"),
        ("1500.25", "ZAR", "en", "ZAR\N{NO-BREAK SPACE}1,500.25"),  # CLDR's currency spacing
        ("1500.25", "ZAR", "fr", "1\N{NARROW NO-BREAK SPACE}500,25\N{NO-BREAK SPACE}ZAR"),
    ],
)
def test_amounts_are_rounded_half_up_then_formatted_for_the_readers_language(
    amount, currency, language, shown
):
    assert format_money(Decimal(amount), currency, language=language) == shown


def test_the_filter_uses_the_readers_language():
    from reporting.templatetags.reporting_tags import money

    with translation.override("de"):
        assert money(Decimal("3627.905"), "EUR") == "3.627,91\N{NO-BREAK SPACE}€"
    with translation.override("en"):
        assert money(Decimal("3627.905"), "EUR") == "€3,627.91"
    assert money(None, "EUR") == ""


def test_currencies_minor_units_and_spreadsheet_formats_come_from_cldr():
    codes = current_currencies()
    assert {"EUR", "ZAR", "KRW", "TWD", "CAD", "SGD", "HKD"} <= set(codes)
    assert "DEM" not in codes  # no longer anyone's currency
    assert (minor_unit("EUR"), minor_unit("KRW"), minor_unit("JPY")) == (2, 0, 0)
    assert xlsx_number_format("EUR") == '#,##0.00 "EUR"'
    assert xlsx_number_format("KRW") == '#,##0 "KRW"'


# Costs in another currency ----------------------------------------------------------------------


@pytest.fixture
def world():
    world = build_time_world()
    services.staff_rate_save(
        person=fresh(world.officer),
        city=world.city,
        year=2017,
        annual_costs=Decimal("688000"),
        working_time_share=Decimal(1),
        currency="ZAR",
        by=fresh(world.coordinator),
    )
    for day in (6, 7, 8):
        record(world, world.officer, date(2017, 3, day), 8)
    return world


def _submit(world) -> TimesheetMonth:
    sheet = TimesheetMonth.objects.get(person=world.officer, month=MARCH)
    services.month_submit(sheet, by=fresh(world.officer))
    return sheet


def _exchange(world, value: str, month=MARCH, currency="ZAR") -> ExchangeRate:
    return services.exchange_rate_save(
        programme=world.programme,
        currency=currency,
        month=month,
        rate=Decimal(value),
        source="European Commission, InforEuro",
        by=fresh(world.coordinator),
    )


def test_approving_a_month_without_its_exchange_rate_says_which_rate_to_add(world):
    sheet = _submit(world)
    with pytest.raises(ValidationError) as refused:
        services.month_approve(sheet, by=fresh(world.supervisor))
    assert refused.value.messages == [
        "Olga Officer's annual costs are in ZAR: add the exchange rate from ZAR to EUR for "
        f"2017-03 under Exchange rates of {world.programme} first."
    ]
    sheet.refresh_from_db()
    assert sheet.status == MonthStatus.SUBMITTED
    # A rate of another month does not do.
    _exchange(world, "0.06", month=date(2017, 2, 1))
    with pytest.raises(ValidationError):
        services.month_approve(sheet, by=fresh(world.supervisor))


def test_the_approved_month_keeps_the_exchange_rate_it_was_approved_with(world):
    sheet = _submit(world)
    exchange = _exchange(world, "0.0612345678")
    services.month_approve(sheet, by=fresh(world.supervisor))
    sheet.refresh_from_db()
    assert (sheet.costs_currency, sheet.exchange_rate) == ("ZAR", Decimal("0.0612345678"))
    assert sheet.annual_costs == Decimal("688000")  # as given, in rand
    # 688,000 ZAR ÷ 1,720 h = 400 ZAR an hour, × 0.0612345678 = 24.49382712 EUR an hour.
    expected_rate = Decimal(400) * Decimal("0.0612345678")
    assert sheet.exact_rate == expected_rate
    log = sheet.log.get(action="approved")
    assert log.details["costs_currency"] == "ZAR"
    assert Decimal(log.details["exchange_rate"]) == Decimal("0.0612345678")

    # The table changes later: the approved month does not.
    services.exchange_rate_save(
        programme=world.programme,
        currency="ZAR",
        month=MARCH,
        rate=Decimal("0.07"),
        source="Corrected",
        by=fresh(world.coordinator),
        exchange_rate=exchange,
    )
    sheet = TimesheetMonth.objects.get(pk=sheet.pk)
    assert sheet.exact_rate == expected_rate
    period = {"city": None, "first_month": MARCH, "last_month": MARCH}
    summary = staff_cost_summary(world.programme, **period)
    [row] = person_months(world.programme, **period)
    assert (row.costs_currency, row.rate) == ("ZAR", expected_rate)
    assert row.cost == expected_rate * 24  # full precision, rounded only where shown
    assert str(summary.split.direct.quantize(Decimal("0.01"))) == "587.85"


def test_reopening_sets_the_exchange_rate_aside_and_a_new_approval_takes_the_current_one(world):
    sheet = _submit(world)
    exchange = _exchange(world, "0.06")
    services.month_approve(sheet, by=fresh(world.supervisor))
    services.month_reopen(sheet, by=fresh(world.coordinator), reason="Wrong rate of exchange.")
    sheet.refresh_from_db()
    assert (sheet.costs_currency, sheet.exchange_rate) == ("", None)
    assert sheet.log.get(action="reopened").details["exchange_rate"] == "0.060000000000"
    services.exchange_rate_save(
        programme=world.programme,
        currency="ZAR",
        month=MARCH,
        rate=Decimal("0.05"),
        source="Corrected",
        by=fresh(world.coordinator),
        exchange_rate=exchange,
    )
    services.month_submit(sheet, by=fresh(world.officer))
    services.month_approve(sheet, by=fresh(world.supervisor))
    sheet.refresh_from_db()
    assert sheet.exchange_rate == Decimal("0.05")


def test_the_rules_of_an_exchange_rate(world):
    with pytest.raises(ValidationError) as own:
        _exchange(world, "1", currency="EUR")
    assert "currency" in own.value.message_dict
    with pytest.raises(ValidationError) as outside:
        _exchange(world, "0.06", month=date(2019, 1, 1))
    assert "month" in outside.value.message_dict
    _exchange(world, "0.06")
    with pytest.raises(ValidationError) as twice:
        _exchange(world, "0.07")
    assert twice.value.message_dict["month"] == [
        "There is already a ZAR rate for 2017-03; change that one."
    ]
    with pytest.raises(ValidationError) as stranger:
        services.exchange_rate_save(
            programme=world.programme,
            currency="ZAR",
            month=date(2017, 4, 1),
            rate=Decimal("0.06"),
            source="Guess",
            by=fresh(world.outsider_coordinator),
        )
    assert stranger.value.messages == ["Only the programme's coordinators keep its exchange rates."]
    assert ExchangeRate.objects.count() == 1


def test_coordinators_keep_the_exchange_rates_in_the_browser(client, world):
    url = reverse("reporting:exchange_rates", args=[world.programme.slug])
    client.force_login(world.coordinator)
    bad = {"currency": "ZAR", "month": "2017-13", "rate": "-1", "source": "InforEuro"}
    response = client.post(url, bad)
    assert response.status_code == 400
    form = response.context["form"]
    assert set(form.errors) == {"month", "rate"}
    html = response.content.decode()
    assert 'value="2017-13"' in html  # what was typed stays
    assert 'value="InforEuro"' in html
    good = {"currency": "ZAR", "month": "2017-03", "rate": "0.0612", "source": "InforEuro"}
    response = client.post(url, good)
    assert response.status_code == 302
    saved = ExchangeRate.objects.get()
    assert (saved.month, saved.rate, saved.updated_by) == (
        MARCH,
        Decimal("0.0612"),
        world.coordinator,
    )
    page = client.get(url).content.decode()
    words = re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", page))
    assert "ZAR 2017-03 0.0612 EUR InforEuro" in words
    edit = reverse("reporting:exchange_rate_edit", args=[world.programme.slug, saved.pk])
    response = client.post(edit, good | {"rate": "0.0625"})
    assert response.status_code == 302
    saved.refresh_from_db()
    assert saved.rate == Decimal("0.0625")
    client.force_login(world.supervisor)
    assert client.get(url).status_code == 403


def test_the_exchange_rates_page_query_count_does_not_grow(client, world):
    url = reverse("reporting:exchange_rates", args=[world.programme.slug])
    client.force_login(world.coordinator)
    _exchange(world, "0.06")

    def measure() -> tuple[int, int]:
        with CaptureQueriesContext(connection) as captured:
            response = client.get(url)
        assert response.status_code == 200
        return len(captured), len(response.content)

    few, small = measure()
    for month in range(4, 10):
        _exchange(world, "0.06", month=date(2017, month, 1))
        _exchange(world, "0.1", month=date(2017, month, 1), currency="CAD")
    many, large = measure()
    assert few == many
    assert large > small


# The cost model as the programme's data ---------------------------------------------------------


def test_the_cost_model_comes_from_the_programme():
    world = build_time_world(
        cost_model="daily", working_days_per_year=Decimal(220), hours_per_day=Decimal("7.5")
    )
    rate(world, world.officer, 2017, "52800")
    for day in (6, 7):
        record(world, world.officer, date(2017, 3, day), "7.5")
    sheet = approved_month(world, world.officer, MARCH)
    # 52,800 ÷ 220 = 240 a day; 15 hours are 2 days of 7.5 hours.
    assert sheet.exact_rate == Decimal(240)
    figures = CostFigures.of(world.programme)
    assert days_used(Decimal(15), figures) == 2
    summary = staff_cost_summary(world.programme, city=None, first_month=MARCH, last_month=MARCH)
    assert summary.split.direct == Decimal(480)
    assert summary.by_city[0].days == 2
    assert rate_for("daily", Decimal(52800), Decimal(1), figures) == Decimal(240)


def test_the_currency_and_figures_are_fixed_once_a_month_is_approved():
    world = build_time_world()
    programme = world.programme
    programme.hours_per_day = Decimal("7.5")  # nothing approved yet: a change is fine
    programme_update(programme=programme)
    rate(world, world.officer, 2017, "52000")
    record(world, world.officer, date(2017, 3, 6), 8)
    approved_month(world, world.officer, MARCH)
    programme.refresh_from_db()
    programme.currency = "CHF"
    programme.productive_hours_per_year = Decimal(1600)
    programme.name = "Renamed"
    with pytest.raises(ValidationError) as refused:
        programme_update(programme=programme)
    assert set(refused.value.message_dict) == {"currency", "productive_hours_per_year"}
    programme.refresh_from_db()
    assert (programme.currency, programme.name) == ("EUR", world.programme.name)
    programme.name = "Renamed"  # other fields still change
    programme_update(programme=programme)


def test_the_programme_form_refuses_a_changed_figure_on_its_field(client, world):
    sheet = _submit(world)
    _exchange(world, "0.06")
    services.month_approve(sheet, by=fresh(world.supervisor))
    programme = world.programme
    client.force_login(world.coordinator)
    url = reverse("mentoring:programme_edit", args=[programme.slug])
    page = client.get(url)
    data = {
        name: value
        for name, value in page.context["form"].initial.items()
        if value is not None and not isinstance(value, list)
    }
    data |= {"starts_on": "2016-10-01", "ends_on": "2018-09-30", "hours_per_day": "7"}
    response = client.post(url, data)
    assert response.status_code == 400
    assert list(response.context["form"].errors) == ["hours_per_day"]
    assert 'value="7"' in response.content.decode()
    programme.refresh_from_db()
    assert programme.hours_per_day == 8


def test_a_report_in_won_has_no_minor_unit(
    client, django_capture_on_commit_callbacks, settings, tmp_path
):
    settings.MEDIA_ROOT = tmp_path
    world = build_time_world(currency="KRW", budget=Decimal(900_000_000))
    rate(world, world.officer, 2017, "62000000")
    for day in (6, 7, 8):
        record(world, world.officer, date(2017, 3, day), 8)
    approved_month(world, world.officer, MARCH)
    with django_capture_on_commit_callbacks(execute=True):
        report = services.report_request(
            programme=world.programme,
            city=world.city,
            first_month=MARCH,
            last_month=MARCH,
            by=fresh(world.coordinator),
            language="en",
        )
    report.refresh_from_db()
    with report.csv.file.open("rb") as handle:
        text = handle.read().decode("utf-8-sig")
    # 62,000,000 ÷ 1,720 × 24 = 865,116.279… won: shown as 865116, never with decimals.
    assert "Cost (KRW)" in text
    assert ",865116\r\n" in text
    client.force_login(world.supervisor)
    sheet = TimesheetMonth.objects.get(person=world.officer, month=MARCH)
    page = client.get(reverse("reporting:month", args=[sheet.pk])).content.decode()
    assert "₩865,116" in page
    assert "₩62,000,000" in page


def test_a_supervisor_enters_annual_costs_in_the_citys_currency(client):
    world = build_time_world()
    client.force_login(world.supervisor)
    data = {
        "city": world.city.pk,
        "person": world.officer.pk,
        "year": 2018,
        "annual_costs": "688000",
        "currency": "ZAR",
        "working_time_share": "1",
    }
    response = client.post(reverse("reporting:rate_create"), data | {"currency": "XYZ"})
    assert response.status_code == 400
    assert list(response.context["form"].errors) == ["currency"]
    response = client.post(reverse("reporting:rate_create"), data)
    assert response.status_code == 302
    saved = world.officer.staff_rates.get(year=2018)
    assert (saved.annual_costs, saved.currency) == (Decimal(688000), "ZAR")
    words = re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", client.get(response.url).content.decode()))
    # 688,000 rand ÷ 1,720 hours = 400 rand an hour, ÷ 215 days = 3,200 rand a day.
    assert "ZAR 688,000.00 100% 1,720 400.0000 ZAR 3,200.0000 ZAR" in words
