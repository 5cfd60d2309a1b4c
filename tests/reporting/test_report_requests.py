"""Asking again for a staff-cost report that is queued or being built joins it: one build, one
job, whoever asks and however close together (issue 14, finding 8)."""

import threading
import time
from datetime import date

import pytest
from django.db import connection, connections, transaction
from django.urls import reverse

from documents.models import JobStatus
from reporting import services
from reporting.models import StaffCostReport
from reporting.tasks import build_staff_cost_report
from tests.reporting.factories import build_time_world, fresh


@pytest.fixture
def queued(monkeypatch) -> list[int]:
    """The ids handed to the job queue; nothing is built (a worker would, later)."""
    sent: list[int] = []
    monkeypatch.setattr(build_staff_cost_report, "delay", sent.append)
    return sent


def ask(world, by, **changes) -> StaffCostReport:
    arguments = {
        "programme": world.programme,
        "city": world.city,
        "first_month": date(2017, 1, 1),
        "last_month": date(2017, 6, 1),
        "language": "en",
        "by": fresh(by),
    }
    return services.report_request(**(arguments | changes))


def form(world, **changes) -> dict:
    return {
        "programme": world.programme.pk,
        "city": world.city.pk,
        "first_month": "2017-01",
        "last_month": "2017-06",
        "language": "en",
    } | changes


@pytest.mark.django_db
def test_asking_twice_while_the_report_is_queued_gives_one_job(
    client, queued, django_capture_on_commit_callbacks
):
    world = build_time_world()
    client.force_login(world.coordinator)
    url = reverse("reporting:reports")
    with django_capture_on_commit_callbacks(execute=True):
        first = client.post(url, form(world))
    report = StaffCostReport.objects.get()
    assert first.url == report.get_absolute_url()

    # The same request again, and by the city's supervisor: both land on the job's page.
    with django_capture_on_commit_callbacks(execute=True):
        again = client.post(url, form(world), follow=True)
    client.force_login(world.supervisor)
    with django_capture_on_commit_callbacks(execute=True):
        by_supervisor = ask(world, world.supervisor)
    assert again.redirect_chain == [(report.get_absolute_url(), 302)]
    assert "The same report is already being built" in again.content.decode()
    assert (by_supervisor.pk, by_supervisor.joined) == (report.pk, True)
    assert StaffCostReport.objects.count() == 1
    assert queued == [report.pk], "handed to the queue once"

    # While it runs, too.
    StaffCostReport.objects.filter(pk=report.pk).update(status=JobStatus.RUNNING)
    assert ask(world, world.coordinator).pk == report.pk
    assert StaffCostReport.objects.count() == 1


@pytest.mark.django_db
def test_a_different_or_a_finished_request_gets_a_job_of_its_own(
    queued, django_capture_on_commit_callbacks
):
    world = build_time_world()
    with django_capture_on_commit_callbacks(execute=True):
        first = ask(world, world.coordinator)
        others = [
            ask(world, world.coordinator, city=None),
            ask(world, world.coordinator, city=world.other_city),
            ask(world, world.coordinator, last_month=date(2017, 7, 1)),
            ask(world, world.coordinator, language="fr"),
        ]
    assert len({first.pk, *(report.pk for report in others)}) == 5
    assert not any(report.joined for report in others)
    for status in (JobStatus.DONE, JobStatus.FAILED):
        StaffCostReport.objects.filter(pk=first.pk).update(status=status)
        with django_capture_on_commit_callbacks(execute=True):
            new = ask(world, world.coordinator)
        assert (new.pk != first.pk, new.joined) == (True, False), status
        first = new
    assert len(queued) == 7


def waiting_for_a_lock() -> int:
    """Sessions of this test database waiting for a row or index lock (now: inside a
    transaction PostgreSQL would answer from the snapshot of its first look)."""
    with connection.cursor() as cursor:
        cursor.execute("SELECT pg_stat_clear_snapshot()")
        cursor.execute(
            "SELECT count(*) FROM pg_stat_activity "
            "WHERE datname = current_database() AND wait_event_type = 'Lock'"
        )
        return cursor.fetchone()[0]


@pytest.mark.django_db(transaction=True)
def test_two_requests_at_the_same_moment_give_one_job(queued):
    """The first request has made its job but not committed yet when the second looks for an
    active one: the second cannot see it, and only the database's rule (one active job per
    fingerprint) stops a second job; the second request waits for the first, then joins it."""
    if connection.vendor != "postgresql":
        pytest.skip("runs where CI runs: on PostgreSQL, whose sessions are counted")
    world = build_time_world()
    made_not_committed, answers, errors = threading.Event(), {}, []

    def first() -> None:
        try:
            with transaction.atomic():
                answers["first"] = ask(world, world.coordinator)
                made_not_committed.set()
                # Commit once the second request is held up by this uncommitted job (without
                # the rule nothing holds it up: then commit after 200 looks, it made its own).
                for _look in range(200):
                    if waiting_for_a_lock():
                        break
                    time.sleep(0.05)
        except Exception as error:  # noqa: BLE001 - reported below
            errors.append(error)
        finally:
            connections.close_all()

    def second() -> None:
        made_not_committed.wait()
        try:
            answers["second"] = ask(world, world.supervisor)
        except Exception as error:  # noqa: BLE001 - reported below
            errors.append(error)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=first), threading.Thread(target=second)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    assert errors == []
    assert answers["second"].pk == answers["first"].pk
    assert (answers["first"].joined, answers["second"].joined) == (False, True)
    assert StaffCostReport.objects.count() == 1
    assert queued == [answers["first"].pk]
