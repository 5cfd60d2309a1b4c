"""A programme's reminder settings (issue 17): the coordinator sets them on the programme's
page; a list of days that is not one is refused on its field and kept as typed."""

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from mentoring.models import days_list, validate_days_list

pytestmark = pytest.mark.django_db


def _form_data(page) -> dict:
    return {
        name: value
        for name, value in page.context["form"].initial.items()
        if value is not None and not isinstance(value, list)
    }


def test_the_coordinator_sets_the_reminder_days(client, demo, demo_user):
    client.force_login(demo_user("coordinator@example.org"))
    url = reverse("mentoring:programme_edit", args=[demo.slug])
    page = client.get(url)
    html = page.content.decode()
    for name in (
        "remind_unsigned_day",
        "remind_approval_after_days",
        "report_due_days",
        "reminder_days_before",
    ):
        assert f'name="{name}"' in html, name
    data = _form_data(page) | {
        "remind_unsigned_day": "10",
        "remind_approval_after_days": "0",
        "report_due_days": "21",
        "reminder_days_before": "14, 3,1",
    }
    response = client.post(url, data)
    assert response.status_code == 302, response.content.decode()[:2000]
    demo.refresh_from_db()
    assert (demo.remind_unsigned_day, demo.remind_approval_after_days, demo.report_due_days) == (
        10,
        0,
        21,
    )
    assert days_list(demo.reminder_days_before) == [14, 3, 1]


@pytest.mark.parametrize(
    ("field", "value"),
    [("reminder_days_before", "7, next week"), ("remind_unsigned_day", "31")],
)
def test_a_wrong_value_is_refused_on_its_field_and_kept(client, demo, demo_user, field, value):
    client.force_login(demo_user("coordinator@example.org"))
    url = reverse("mentoring:programme_edit", args=[demo.slug])
    data = _form_data(client.get(url)) | {field: value}
    response = client.post(url, data)
    assert response.status_code == 400
    assert list(response.context["form"].errors) == [field]
    assert f'value="{value}"' in response.content.decode()
    demo.refresh_from_db()
    assert getattr(demo, field) != value


def test_a_form_without_the_reminder_fields_keeps_them(client, demo, demo_user):
    """A script or a page from before the fields existed leaves them as they are."""
    demo.reminder_days_before = "5"
    demo.save(update_fields=["reminder_days_before"])
    client.force_login(demo_user("coordinator@example.org"))
    url = reverse("mentoring:programme_edit", args=[demo.slug])
    data = _form_data(client.get(url))
    for name in ("remind_unsigned_day", "remind_approval_after_days", "report_due_days"):
        data.pop(name)
    data.pop("reminder_days_before")
    assert client.post(url, data).status_code == 302
    demo.refresh_from_db()
    assert demo.reminder_days_before == "5"


@pytest.mark.parametrize(
    ("value", "days"), [("", []), ("7,1", [7, 1]), ("1, 7 ,7", [7, 1]), ("365", [365])]
)
def test_days_lists(value, days):
    validate_days_list(value)
    assert days_list(value) == days


@pytest.mark.parametrize("value", ["0", "366", "7;1", "-1", "1.5", "x"])
def test_not_days_lists(value):
    with pytest.raises(ValidationError):
        validate_days_list(value)
