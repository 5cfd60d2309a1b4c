"""A person in several programmes picks the one they work in, and every list, form and
navigation item follows it (issue 15): a coordinator of two programmes and an officer of a city
taking part in both."""

import re
from datetime import date

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from accounts.models import Membership, Role, User
from accounts.services import membership_grant
from cities.models import City
from mentoring.models import Programme, Scheme
from mentoring.selectors import current_programme
from mentoring.services import participation_add
from mentoring.services.pairings import pairing_create
from mentoring.services.programmes import programme_choose
from tests.mentoring.factories import ExpertOrganisationFactory, ProgrammeFactory, SchemeFactory

COORDINATOR = "coordinator@example.org"
OFFICER = "officer.gdansk@example.org"
SUPERVISOR = "supervisor.gdansk@example.org"


@pytest.fixture
def second(demo) -> Programme:
    """A second, later programme: the demo's coordinator coordinates it too, Gdańsk and
    Rotterdam take part in it, and it has one scheme, Z."""
    return add_second_programme()


def add_second_programme() -> Programme:
    programme = ProgrammeFactory(
        name="Air and Energy",
        slug="air-and-energy",
        starts_on=date(2021, 10, 1),
        ends_on=date(2023, 3, 31),
    )
    SchemeFactory(
        programme=programme,
        code="Z",
        theme="Clean air in city centres",
        facilitator=ExpertOrganisationFactory(name="Air Experts"),
    )
    membership_grant(
        user=User.objects.get(email=COORDINATOR), role=Role.COORDINATOR, programme=programme
    )
    for slug in ("gdansk", "rotterdam"):
        participation_add(programme=programme, city=City.objects.get(slug=slug))
    return programme


def nav(html: str) -> list[tuple[str, str, str]]:
    """The main navigation's items: (key, address, label)."""
    return re.findall(r'<a href="([^"]*)" data-nav="([a-z_]+)"[^>]*>([^<]*)</a>', html)


def nav_keys(html: str) -> list[str]:
    return [key for _url, key, _label in nav(html)]


def nav_item(html: str, key: str) -> tuple[str, str]:
    [(url, label)] = [(url, label) for url, k, label in nav(html) if k == key]
    return url, label


def switch(client, programme: Programme, next_url: str = "/"):
    return client.post(
        reverse("portal:programme_switch"), {"programme": programme.pk, "next": next_url}
    )


# The switcher -----------------------------------------------------------------------------------


def test_a_person_in_one_programme_sees_no_switcher(client, demo, demo_user):
    client.force_login(demo_user(COORDINATOR))
    html = client.get(reverse("home")).content.decode()
    assert 'id="programme-switch"' not in html
    _url, label = nav_item(html, "programme")
    assert "CITIES-GROW" in label


@pytest.mark.parametrize("email", [COORDINATOR, OFFICER])
def test_the_switcher_is_a_labelled_form_that_works_without_javascript(
    client, second, demo_user, email
):
    client.force_login(demo_user(email))
    html = client.get(reverse("mentoring:events")).content.decode()
    form = re.search(r'<form class="programme-switcher"[^>]*>.*?</form>', html, re.S)[0]
    assert f'action="{reverse("portal:programme_switch")}"' in form
    assert 'method="post"' in form
    assert '<label for="programme-switch">' in form
    assert 'name="next" type="hidden" value="/events/"' in form
    assert '<button type="submit">' in form
    # The most recent programme is the default; both are offered.
    assert re.search(rf'<option value="{second.pk}" selected>Air and Energy</option>', form)
    assert ">CITIES-GROW</option>" in form


def test_the_choice_is_remembered_on_the_person(client, second, demo, demo_user):
    coordinator = demo_user(COORDINATOR)
    client.force_login(coordinator)
    response = switch(client, demo, "/events/")
    assert response.status_code == 302
    assert response["Location"] == "/events/"
    coordinator.refresh_from_db()
    assert coordinator.current_programme == demo
    # Another device, another sign-in: the same programme.
    client.logout()
    client.force_login(User.objects.get(pk=coordinator.pk))
    html = client.get(reverse("home")).content.decode()
    assert re.search(rf'<option value="{demo.pk}" selected>CITIES-GROW</option>', html)


def test_switching_on_a_programme_page_leads_to_the_other_programmes_page(
    client, second, demo, demo_user
):
    client.force_login(demo_user(COORDINATOR))
    response = switch(client, second, demo.get_absolute_url())
    assert response["Location"] == second.get_absolute_url()
    dashboard = reverse("reporting:programme_dashboard", kwargs={"programme": second.slug})
    response = switch(client, demo, dashboard)
    assert response["Location"] == reverse(
        "reporting:programme_dashboard", kwargs={"programme": demo.slug}
    )


def test_switching_never_leads_away_from_the_portal(client, second, demo, demo_user):
    client.force_login(demo_user(COORDINATOR))
    assert switch(client, demo, "https://elsewhere.example/")["Location"] == reverse("home")


def test_a_programme_not_ones_own_is_refused_on_the_field(client, second, demo, demo_user):
    officer = demo_user("officer.riga@example.org")  # Riga is not in the second programme
    client.force_login(officer)
    response = switch(client, second)
    assert response.status_code == 400
    html = response.content.decode()
    assert "Choose one of your programmes" in html
    officer.refresh_from_db()
    assert officer.current_programme is None
    with pytest.raises(ValidationError) as refused:
        programme_choose(user=officer, programme=second)
    assert "programme" in refused.value.message_dict


def test_a_programme_left_falls_back_safely(client, second, demo, demo_user):
    coordinator = demo_user(COORDINATOR)
    programme_choose(user=coordinator, programme=second)
    Membership.objects.filter(user=coordinator, programme=second).delete()
    client.force_login(coordinator)
    html = client.get(reverse("mentoring:pairings")).content.decode()
    assert 'id="programme-switch"' not in html
    assert "CITIES-GROW" in nav_item(html, "programme")[1]
    assert current_programme(User.objects.get(pk=coordinator.pk)) == demo


def test_the_switch_page_shows_the_form_on_its_own(client, second, demo_user):
    client.force_login(demo_user(OFFICER))
    response = client.get(reverse("portal:programme_switch") + "?next=/events/")
    assert response.status_code == 200
    html = response.content.decode()
    assert "<h1>Programme you work in</h1>" in html
    assert 'name="next" value="/events/"' in html


# Navigation ---------------------------------------------------------------------------------------


def test_a_coordinator_of_two_programmes_sees_each_item_once_labelled(
    client, second, demo, demo_user
):
    client.force_login(demo_user(COORDINATOR))
    for programme in (second, demo):
        switch(client, programme)
        html = client.get(reverse("home")).content.decode()
        keys = nav_keys(html)
        assert len(keys) == len(set(keys)), keys
        url, label = nav_item(html, "programme")
        assert (url, label) == (programme.get_absolute_url(), f"Programme · {programme.name}")
        url, label = nav_item(html, "staff_time")
        assert url == reverse("reporting:programme_dashboard", kwargs={"programme": programme.slug})
        assert label == f"Staff time · {programme.name}"


def test_an_officer_of_a_city_in_two_programmes_sees_each_item_once(client, second, demo_user):
    client.force_login(demo_user(OFFICER))
    html = client.get(reverse("home")).content.decode()
    keys = nav_keys(html)
    assert sorted(keys) == sorted(
        ["home", "city", "time", "claims", "plans", "practices", "pairings", "events"]
    )
    # Its city takes part in both: the items are the city's, once each, under the programme.
    assert '<li class="nav-programme">Air and Energy</li>' in html


def test_roles_of_another_programme_leave_the_navigation(client, second, demo, demo_user):
    """A coordinator of the second programme who is also CITIES-GROW's expert sees the expert's
    items only while working in CITIES-GROW."""
    expert = demo_user("expert@example.org")
    membership_grant(user=expert, role=Role.COORDINATOR, programme=second)
    client.force_login(expert)
    switch(client, second)
    keys = nav_keys(client.get(reverse("home")).content.decode())
    assert "scheme" not in keys
    assert "staff_time" in keys
    switch(client, demo)
    keys = nav_keys(client.get(reverse("home")).content.decode())
    assert "scheme" in keys
    assert "staff_time" not in keys


# Lists, forms ----------------------------------------------------------------------------------


def test_the_pairing_list_shows_the_current_programme_and_the_others_on_request(
    client, second, demo, demo_user
):
    client.force_login(demo_user(COORDINATOR))
    pairings = reverse("mentoring:pairings")
    switch(client, second)
    html = client.get(pairings).content.decode()
    assert "No pairings yet." in html
    html = client.get(pairings + "?programme=").content.decode()
    assert "Rotterdam" in html
    assert '<th scope="col">Programme</th>' in html
    switch(client, demo)
    html = client.get(pairings).content.decode()
    assert "<h1>Pairings in CITIES-GROW</h1>" in html
    assert "Rotterdam" in html
    assert "<td>CITIES-GROW</td>" in html


def test_the_city_list_shows_the_current_programme_and_names_it(client, second, demo, demo_user):
    client.force_login(demo_user(COORDINATOR))
    cities = reverse("portal:city_list")
    switch(client, second)
    html = client.get(cities).content.decode()
    assert "<h1>Cities in Air and Energy</h1>" in html
    assert "2 cities in your programmes" in html
    html = client.get(cities + "?programme=").content.decode()
    assert "<h1>Cities</h1>" in html
    assert "16 cities in your programmes" in html
    switch(client, demo)
    assert "<h1>Cities in CITIES-GROW</h1>" in client.get(cities).content.decode()


def test_the_event_list_shows_the_current_programme(client, second, demo, demo_user):
    client.force_login(demo_user(OFFICER))
    events = reverse("mentoring:events")
    switch(client, second)
    assert "<caption>0 events</caption>" in client.get(events).content.decode()
    switch(client, demo)
    html = client.get(events).content.decode()
    assert "<caption>0 events</caption>" not in html
    assert "<h1>Events in CITIES-GROW</h1>" in html


def test_the_plan_overview_shows_the_current_programme_and_the_others_on_request(
    client, demo_with_plans, demo_user
):
    second = add_second_programme()
    for email in (COORDINATOR, OFFICER):
        client.force_login(demo_user(email))
        plans = reverse("actionplans:plans")
        switch(client, second)
        html = client.get(plans).content.decode()
        assert "<h1>Action plans in Air and Energy</h1>" in html
        assert "CITIES-GROW</h2>" not in html
        assert '<option value="">All programmes</option>' in html
        html = client.get(plans + "?programme=").content.decode()
        assert "<h1>Action plans</h1>" in html
        assert "CITIES-GROW</h2>" in html
        switch(client, demo_with_plans)
        html = client.get(plans).content.decode()
        assert "<h1>Action plans in CITIES-GROW</h1>" in html
        assert "CITIES-GROW</h2>" in html


def test_a_plan_overview_of_a_programme_not_ones_own_is_refused_on_the_field(
    client, demo_with_plans, demo_user
):
    add_second_programme()
    client.force_login(demo_user(COORDINATOR))
    response = client.get(reverse("actionplans:plans") + "?programme=nowhere")
    assert response.status_code == 400
    assert 'class="errorlist"' in response.content.decode()


def test_a_person_in_one_programme_sees_the_plan_overview_unchanged(
    client, demo_with_plans, demo_user
):
    client.force_login(demo_user(COORDINATOR))
    html = client.get(reverse("actionplans:plans")).content.decode()
    assert "<h1>Action plans</h1>" in html
    assert "All programmes" not in html


def test_the_review_queue_shows_the_current_programme_and_the_others_on_request(
    client, second, demo, demo_user
):
    client.force_login(demo_user(COORDINATOR))
    reviews = reverse("toolkits:review_queue")
    switch(client, second)
    html = client.get(reviews).content.decode()
    assert "<h1>Practices to review in Air and Energy</h1>" in html
    assert "No decisions yet." in html
    html = client.get(reviews + "?programme=").content.decode()
    assert "<h1>Practices to review</h1>" in html
    assert "No decisions yet." not in html
    switch(client, demo)
    html = client.get(reviews).content.decode()
    assert "<h1>Practices to review in CITIES-GROW</h1>" in html
    assert "No decisions yet." not in html
    response = client.get(reviews + "?programme=nowhere")
    assert response.status_code == 400
    assert 'class="errorlist"' in response.content.decode()


def test_a_reviewer_in_one_programme_sees_the_review_queue_unchanged(client, demo, demo_user):
    client.force_login(demo_user(COORDINATOR))
    html = client.get(reverse("toolkits:review_queue")).content.decode()
    assert "<h1>Practices to review</h1>" in html
    assert "All programmes" not in html


def test_the_toolkit_workspace_shows_the_current_programme_and_the_others_on_request(
    client, second, demo, demo_user
):
    client.force_login(demo_user(COORDINATOR))
    toolkits = reverse("toolkits:toolkit_workspace")
    switch(client, second)
    html = client.get(toolkits).content.decode()
    assert "<h1>Toolkits in Air and Energy</h1>" in html
    assert "There is no toolkit of your themes yet." in html
    html = client.get(toolkits + "?programme=").content.decode()
    assert "<h1>Toolkits</h1>" in html
    assert "There is no toolkit of your themes yet." not in html
    switch(client, demo)
    html = client.get(toolkits).content.decode()
    assert "<h1>Toolkits in CITIES-GROW</h1>" in html
    assert "There is no toolkit of your themes yet." not in html
    assert client.get(toolkits + "?programme=nowhere").status_code == 400


def test_a_person_in_one_programme_sees_the_toolkit_workspace_unchanged(client, demo, demo_user):
    client.force_login(demo_user(COORDINATOR))
    html = client.get(reverse("toolkits:toolkit_workspace")).content.decode()
    assert "<h1>Toolkits</h1>" in html
    assert "All programmes" not in html


def test_the_approval_queue_shows_the_current_programme_and_the_others_on_request(
    client, second, demo, demo_user
):
    client.force_login(demo_user(SUPERVISOR))
    approvals = reverse("reporting:approvals")
    switch(client, second)
    html = client.get(approvals).content.decode()
    assert "<h1>Timesheets to approve in Air and Energy</h1>" in html
    assert '<option value="air-and-energy" selected>' in html
    html = client.get(approvals + "?programme=").content.decode()
    assert "<h1>Timesheets to approve</h1>" in html
    switch(client, demo)
    html = client.get(approvals).content.decode()
    assert "<h1>Timesheets to approve in CITIES-GROW</h1>" in html


def test_a_supervisor_in_one_programme_sees_the_approval_queue_unchanged(client, demo, demo_user):
    client.force_login(demo_user(SUPERVISOR))
    html = client.get(reverse("reporting:approvals")).content.decode()
    assert "<h1>Timesheets to approve</h1>" in html


def test_the_rates_show_the_current_programme_and_the_others_on_request(
    client, second, demo, demo_user
):
    client.force_login(demo_user(COORDINATOR))
    rates = reverse("reporting:rates")
    switch(client, second)
    html = client.get(rates).content.decode()
    assert "<h1>Rates in Air and Energy</h1>" in html
    assert '<option value="air-and-energy" selected>' in html
    html = client.get(rates + "?programme=").content.decode()
    assert "<h1>Rates</h1>" in html
    switch(client, demo)
    assert "<h1>Rates in CITIES-GROW</h1>" in client.get(rates).content.decode()
    assert client.get(rates + "?programme=nowhere").status_code == 400


def test_a_person_in_one_programme_sees_the_rates_unchanged(client, demo, demo_user):
    client.force_login(demo_user(COORDINATOR))
    html = client.get(reverse("reporting:rates")).content.decode()
    assert "<h1>Rates</h1>" in html
    assert "All programmes" not in html


def test_the_report_list_shows_the_current_programme_and_the_others_on_request(
    client, second, demo, demo_user
):
    client.force_login(demo_user(COORDINATOR))
    reports = reverse("reporting:reports")
    switch(client, second)
    html = client.get(reports).content.decode()
    assert "<h1>Staff-cost reports in Air and Energy</h1>" in html
    assert '<option value="air-and-energy" selected>' in html
    html = client.get(reports + "?programme=").content.decode()
    assert "<h1>Staff-cost reports</h1>" in html
    switch(client, demo)
    assert "<h1>Staff-cost reports in CITIES-GROW</h1>" in client.get(reports).content.decode()
    assert client.get(reports + "?programme=nowhere").status_code == 400


def test_a_person_in_one_programme_sees_the_report_list_unchanged(client, demo, demo_user):
    client.force_login(demo_user(COORDINATOR))
    html = client.get(reverse("reporting:reports")).content.decode()
    assert "<h1>Staff-cost reports</h1>" in html
    assert "All programmes" not in html


def test_the_audit_trail_shows_the_current_programme_and_the_others_on_request(
    client, second, demo, demo_user
):
    client.force_login(demo_user(COORDINATOR))
    log = reverse("audit:log")
    switch(client, second)
    html = client.get(log).content.decode()
    assert "<h1>Audit trail of Air and Energy</h1>" in html
    assert '<option value="air-and-energy" selected>' in html
    html = client.get(log + "?programme=").content.decode()
    assert "<h1>Audit trail</h1>" in html
    switch(client, demo)
    assert "<h1>Audit trail of CITIES-GROW</h1>" in client.get(log).content.decode()
    assert client.get(log + "?programme=nowhere").status_code == 400


def test_a_coordinator_of_one_programme_sees_the_audit_trail_unchanged(client, demo, demo_user):
    client.force_login(demo_user(COORDINATOR))
    html = client.get(reverse("audit:log")).content.decode()
    assert "<h1>Audit trail</h1>" in html
    assert "All programmes" not in html


def option_labels(html: str, name: str) -> list[str]:
    select = re.search(rf'<select name="{name}".*?</select>', html, re.S)[0]
    return re.findall(r'<option value="[^"]+"[^>]*>([^<]*)</option>', select)


def test_the_pairing_form_offers_the_current_programmes_schemes(client, second, demo, demo_user):
    client.force_login(demo_user(COORDINATOR))
    switch(client, second)
    html = client.get(reverse("mentoring:pairing_create")).content.decode()
    assert option_labels(html, "scheme") == ["Air and Energy — Z: Clean air in city centres"]
    assert "<h1>Propose a pairing in Air and Energy</h1>" in html
    switch(client, demo)
    html = client.get(reverse("mentoring:pairing_create")).content.decode()
    labels = option_labels(html, "scheme")
    assert len(labels) == 4
    assert all(label.startswith("CITIES-GROW — ") for label in labels)
    # From a programme's page, that programme's schemes, whatever the current one.
    url = reverse("mentoring:pairing_create") + f"?programme={second.slug}"
    assert option_labels(client.get(url).content.decode(), "scheme") == [
        "Air and Energy — Z: Clean air in city centres"
    ]
    # From a scheme's link, its programme's schemes, with it chosen.
    scheme = second.schemes.get()
    html = client.get(reverse("mentoring:pairing_create") + f"?scheme={scheme.pk}").content.decode()
    assert f'<option value="{scheme.pk}" selected>' in html


def test_a_scheme_of_another_programme_is_refused(client, second, demo, demo_user):
    coordinator = demo_user(COORDINATOR)
    gdansk, rotterdam = City.objects.get(slug="gdansk"), City.objects.get(slug="rotterdam")
    scheme = Scheme.objects.get(programme=demo, code="A")
    with pytest.raises(ValidationError) as refused:
        pairing_create(
            scheme=scheme, mentor=rotterdam, implementing=gdansk, by=coordinator, programme=second
        )
    assert "scheme" in refused.value.message_dict
    # The form refuses it on the field too, keeping the cities chosen.
    client.force_login(coordinator)
    switch(client, second)
    response = client.post(
        reverse("mentoring:pairing_create"),
        {"scheme": scheme.pk, "mentor": rotterdam.pk, "implementing": gdansk.pk},
    )
    assert response.status_code == 400
    html = response.content.decode()
    assert "Select a valid choice" in html
    assert re.search(rf'<option value="{gdansk.pk}" selected>', html)


def month_value(html: str, name: str) -> str:
    return re.search(rf'<input type="month" name="{name}"(?: value="([^"]*)")?', html)[1] or ""


def test_the_report_form_offers_the_current_programmes_months(client, second, demo, demo_user):
    client.force_login(demo_user(COORDINATOR))
    reports = reverse("reporting:reports")
    switch(client, second)
    html = client.get(reports).content.decode()
    assert option_labels(html, "programme") == ["Air and Energy"]
    assert (month_value(html, "first_month"), month_value(html, "last_month")) == (
        "2021-10",
        "2023-03",
    )
    assert 'min="2021-10"' in html
    assert 'max="2023-03"' in html
    switch(client, demo)
    html = client.get(reports).content.decode()
    assert option_labels(html, "programme") == ["CITIES-GROW"]
    first, last = month_value(html, "first_month"), month_value(html, "last_month")
    assert (first, last) == ("2016-10", "2018-09")
    # What the form offers, it accepts.
    response = client.post(
        reports,
        {"programme": demo.pk, "first_month": first, "last_month": last, "language": "en"},
    )
    assert response.status_code == 302


# Pages nothing linked to ------------------------------------------------------------------------


def test_the_coordinator_reaches_new_programme_and_expert_organisations(client, demo, demo_user):
    client.force_login(demo_user(COORDINATOR))
    for url in (reverse("home"), demo.get_absolute_url()):
        html = client.get(url).content.decode()
        assert f'href="{reverse("mentoring:programme_create")}"' in html, url
        assert f'href="{reverse("mentoring:organisations")}"' in html, url


def test_a_new_programme_becomes_the_one_its_coordinator_works_in(client, demo, demo_user):
    client.force_login(demo_user(COORDINATOR))
    response = client.post(
        reverse("mentoring:programme_create"),
        {
            "name": "Third Programme",
            "slug": "third-programme",
            "starts_on": "2024-01-01",
            "ends_on": "2025-12-31",
            "budget": "1000",
            "co_financing_rate": "0.1",
            "staff_days_allowance": "20",
            "cost_model": "daily",
            "indirect_cost_rate": "0",
            "max_hours_per_day": "10",
        },
    )
    assert response.status_code == 302, response.content.decode()[:2000]
    assert demo_user(COORDINATOR).current_programme.slug == "third-programme"


def test_a_plan_version_links_its_pdf(client, demo_with_plans):
    from actionplans.models import PlanVersion

    version = PlanVersion.objects.select_related("plan").order_by("pk").first()
    coordinator = User.objects.get(email=COORDINATOR)
    client.force_login(coordinator)
    url = reverse("actionplans:version", kwargs={"pk": version.plan_id, "number": version.number})
    html = client.get(url).content.decode()
    pdf = reverse(
        "actionplans:version_pdf",
        kwargs={"pk": version.plan_id, "number": version.number, "language": "en"},
    )
    assert f'href="{pdf}"' in html


def test_the_report_form_prefills_no_months_when_it_offers_several_programmes(
    client, second, demo, demo_user
):
    """Working in a programme they cannot report on (here as an expert), a coordinator of two
    others chooses among those two: no months are pre-filled, since one programme's months
    would be refused for the other; empty months are the chosen programme's whole period."""
    coordinator = demo_user(COORDINATOR)
    Membership.objects.filter(user=coordinator, programme=second).delete()
    membership_grant(user=coordinator, role=Role.EXPERT, scheme=second.schemes.get())
    older = ProgrammeFactory(name="Older", starts_on=date(2010, 1, 1), ends_on=date(2012, 6, 30))
    membership_grant(user=coordinator, role=Role.COORDINATOR, programme=older)
    client.force_login(coordinator)
    html = client.get(reverse("reporting:reports")).content.decode()
    assert option_labels(html, "programme") == ["CITIES-GROW", "Older"]
    assert (month_value(html, "first_month"), month_value(html, "last_month")) == ("", "")
    response = client.post(
        reverse("reporting:reports"),
        {"programme": older.pk, "first_month": "", "last_month": "", "language": "en"},
    )
    assert response.status_code == 302
