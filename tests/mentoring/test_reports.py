"""Event reports: findings and numbered recommendations with ids that survive editing."""

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.urls import reverse

from mentoring.models import Event, EventReport, EventStatus, Recommendation
from mentoring.services.events import RecommendationInput, report_save
from tests.mentoring.event_factories import World, build_world

pytestmark = pytest.mark.django_db


@pytest.fixture
def world(db) -> World:
    return build_world()


def save(world, *texts: str, findings: str = "What we saw", **kwargs) -> EventReport:
    return report_save(
        event=world.held,
        findings=findings,
        recommendations=[RecommendationInput(text=text) for text in texts],
        **kwargs,
    )


def texts(report: EventReport) -> list[tuple[int, str]]:
    return list(report.recommendations.values_list("position", "text"))


class TestConstraints:
    def test_one_report_per_event(self, world):
        EventReport.objects.create(event=world.held, findings="a")
        with pytest.raises(IntegrityError), transaction.atomic():
            EventReport.objects.create(event=world.held, findings="b")

    def test_findings_are_needed(self, world):
        with pytest.raises(IntegrityError, match="has_findings"), transaction.atomic():
            EventReport.objects.create(event=world.held, findings="")

    def test_numbers_are_unique_in_a_report(self, world):
        report = save(world, "One")
        with (
            pytest.raises(
                IntegrityError,
                match="unique_position|recommendation.report_id, mentoring_recommendation.position",
            ),
            transaction.atomic(),
        ):
            Recommendation.objects.create(report=report, position=1, text="Again")

    def test_a_recommendation_has_text(self, world):
        report = save(world)
        with pytest.raises(IntegrityError, match="has_text"), transaction.atomic():
            Recommendation.objects.create(report=report, position=1, text="")


class TestReportSave:
    def test_writes_findings_and_numbered_recommendations(self, world):
        report = save(world, " First ", "Second", findings=" Found ", by=world["host_officer"])
        assert (report.findings, report.written_by) == ("Found", world["host_officer"])
        assert texts(report) == [(1, "First"), (2, "Second")]

    def test_editing_keeps_ids_and_numbers(self, world):
        report = save(world, "First", "Second", "Third")
        first, second, third = report.recommendations.all()
        report = report_save(
            event=world.held,
            findings="Rewritten",
            recommendations=[
                RecommendationInput(text="First, sharper", pk=first.pk),
                RecommendationInput(text="", pk=second.pk, delete=True),
                RecommendationInput(text="Third", pk=third.pk),
                RecommendationInput(text="Fourth"),
            ],
        )
        assert EventReport.objects.count() == 1
        assert report.findings == "Rewritten"
        rows = list(report.recommendations.values_list("pk", "position", "text"))
        fourth = Recommendation.objects.get(text="Fourth")
        assert rows == [
            (first.pk, 1, "First, sharper"),
            (third.pk, 3, "Third"),
            (fourth.pk, 4, "Fourth"),
        ]

    def test_a_recommendation_has_a_stable_address(self, world):
        recommendation = save(world, "One").recommendations.get()
        assert recommendation.get_absolute_url() == (
            f"/events/{world.held.pk}/#recommendation-{recommendation.pk}"
        )
        assert recommendation.report.get_absolute_url() == f"/events/{world.held.pk}/#report"

    @pytest.mark.parametrize(
        "status", [EventStatus.PLANNED, EventStatus.CONFIRMED, EventStatus.CANCELLED]
    )
    def test_only_for_a_held_event(self, world, status):
        Event.objects.filter(pk=world.held.pk).update(status=status, cancellation_reason="x")
        world.held.refresh_from_db()
        with pytest.raises(ValidationError) as error:
            save(world, "One")
        assert error.value.message_dict["__all__"] == [
            "A report can be written once the event has been held."
        ]
        assert not EventReport.objects.exists()

    def test_findings_are_needed(self, world):
        with pytest.raises(ValidationError) as error:
            save(world, findings="  ")
        assert error.value.message_dict["findings"] == ["Write what the event found."]

    def test_an_empty_recommendation_is_refused(self, world):
        with pytest.raises(ValidationError) as error:
            save(world, "One", " ")
        assert error.value.message_dict["recommendations"] == ["A recommendation cannot be empty."]
        assert not Recommendation.objects.exists()

    def test_a_recommendation_of_another_report_is_not_touched(self, world):
        other = report_save(
            event=world.meeting,
            findings="Elsewhere",
            recommendations=[RecommendationInput(text="Theirs")],
        ).recommendations.get()
        with pytest.raises(ValidationError) as error:
            report_save(
                event=world.held,
                findings="Here",
                recommendations=[RecommendationInput(text="Mine now", pk=other.pk)],
            )
        assert "not found in this report" in error.value.message_dict["recommendations"][0]
        other.refresh_from_db()
        assert other.text == "Theirs"
        assert not EventReport.objects.filter(event=world.held).exists()


# Through the page ---------------------------------------------------------------------


def url(world) -> str:
    return reverse("mentoring:event_report", args=[world.held.pk])


def formset_data(rows: list[tuple[str, str, bool]], initial: int, findings="Found") -> dict:
    data = {
        "findings": findings,
        "recommendations-TOTAL_FORMS": str(len(rows)),
        "recommendations-INITIAL_FORMS": str(initial),
    }
    for i, (pk, text, delete) in enumerate(rows):
        data[f"recommendations-{i}-id"] = pk
        data[f"recommendations-{i}-text"] = text
        if delete:
            data[f"recommendations-{i}-DELETE"] = "on"
    return data


def test_write_and_edit_through_the_form(client, world):
    client.force_login(world["other_city_officer"])
    page = client.get(url(world))
    assert page.status_code == 200
    assert page.context["formset"].total_form_count() == 3
    response = client.post(
        url(world), formset_data([("", "Train buyers", False), ("", "", False)], 0)
    )
    assert response["Location"] == world.held.get_absolute_url() + "#report"
    kept = Recommendation.objects.get()
    page = client.get(url(world))
    assert "Recommendation R1" in page.content.decode()
    data = formset_data(
        [(str(kept.pk), "Train all buyers", False), ("", "Count bidders", False)], 1
    )
    assert client.post(url(world), data).status_code == 302
    assert list(Recommendation.objects.values_list("pk", "position", "text")) == [
        (kept.pk, 1, "Train all buyers"),
        (Recommendation.objects.get(text="Count bidders").pk, 2, "Count bidders"),
    ]
    html = client.get(world.held.get_absolute_url()).content.decode()
    assert f'id="recommendation-{kept.pk}"' in html
    assert "Train all buyers" in html


def test_remove_through_the_form(client, world):
    report = save(world, "One", "Two")
    one, two = report.recommendations.all()
    client.force_login(world["coordinator"])
    data = formset_data([(str(one.pk), "One", True), (str(two.pk), "Two", False)], 2)
    assert client.post(url(world), data).status_code == 302
    assert list(Recommendation.objects.values_list("pk", flat=True)) == [two.pk]


@pytest.mark.parametrize(
    ("rows", "initial", "findings", "message"),
    [
        ([], 0, "", "Write what the event found."),
        ([("existing", "", False)], 1, "Found", "Write the recommendation, or tick"),
        ([("999999", "Forged", False)], 1, "Found", "A recommendation was not found"),
        ([("abc", "Forged", False)], 1, "Found", "Enter a whole number."),
    ],
)
def test_form_shows_each_rule(client, world, rows, initial, findings, message):
    report = save(world, "Kept")
    kept = report.recommendations.get()
    rows = [(str(kept.pk) if pk == "existing" else pk, text, d) for pk, text, d in rows]
    client.force_login(world["expert"])
    response = client.post(url(world), formset_data(rows, initial, findings=findings))
    assert response.status_code == 400
    assert message in response.content.decode()
    report.refresh_from_db()
    assert report.findings == "What we saw"
    assert list(Recommendation.objects.values_list("pk", "text")) == [(kept.pk, "Kept")]


def test_a_broken_formset_is_bad_input_not_an_error(client, world):
    client.force_login(world["coordinator"])
    response = client.post(url(world), {"findings": "Found"})
    assert response.status_code == 400
    assert not EventReport.objects.exists()


def test_form_before_the_event_is_held(client, world):
    client.force_login(world["coordinator"])
    target = reverse("mentoring:event_report", args=[world.planned.pk])
    assert "once the event has been held" in client.get(target).content.decode()
    response = client.post(target, formset_data([("", "Early", False)], 0))
    assert response.status_code == 400
    assert "A report can be written once the event has been held." in response.content.decode()
    assert not EventReport.objects.exists()


def test_the_report_shows_on_the_event_page_to_those_who_see_the_event(client, world):
    save(world, "Use supplier days")
    for role, shown in [("supervisor", True), ("unrelated_officer", False)]:
        client.force_login(world[role])
        response = client.get(world.held.get_absolute_url())
        assert ("Use supplier days" in response.content.decode()) is shown, role
