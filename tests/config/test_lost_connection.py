"""A request whose database connection is lost half-way: run again on a new connection when it
had written nothing, never when it had. (tests/test_faults.py drops the connections of a real
server during a crawl.)"""

import time
from contextlib import closing

import psycopg2
import pytest
from django.db import DatabaseError, connection
from django.test import Client
from django.urls import reverse

from config.middleware import READ_ONLY_SQL
from tests.accounts.factories import CoordinatorFactory
from tests.worker import database_url

pytestmark = [
    pytest.mark.skipif(connection.vendor != "postgresql", reason="drops PostgreSQL connections"),
    pytest.mark.django_db(transaction=True),
]


def terminate(pid: int) -> None:
    """End the backend ``pid`` and wait until PostgreSQL no longer lists it."""
    with closing(psycopg2.connect(database_url())) as admin, admin.cursor() as cursor:
        admin.autocommit = True  # each look at pg_stat_activity a fresh snapshot
        cursor.execute("SELECT pg_terminate_backend(%s)", [pid])
        for _ in range(500):
            cursor.execute("SELECT count(*) FROM pg_stat_activity WHERE pid = %s", [pid])
            if cursor.fetchone()[0] == 0:
                return
            time.sleep(0.01)
    pytest.fail(f"backend {pid} did not end")


class DropConnection:
    """An execute wrapper that ends this connection's backend once, before the statement
    ``after`` statements of the kind ``counted`` were run; it counts the statements run."""

    def __init__(self, *, after: int, writes: bool):
        self.after, self.writes, self.seen, self.dropped = after, writes, 0, 0

    def __call__(self, execute, sql, params, many, context):
        is_write = not str(sql).lstrip().upper().startswith(READ_ONLY_SQL)
        if not self.dropped and self.seen >= self.after:
            self.dropped += 1
            terminate(context["connection"].connection.get_backend_pid())
        if is_write == self.writes or not self.writes:
            self.seen += 1
        return execute(sql, params, many, context)


def signed_in_client() -> Client:
    client = Client(raise_request_exception=False)
    client.force_login(CoordinatorFactory().user)
    return client


def test_a_page_whose_connection_is_lost_half_way_is_served_from_a_new_one():
    client = signed_in_client()
    drop = DropConnection(after=3, writes=False)
    with connection.execute_wrapper(drop):
        response = client.get(reverse("home"))
    assert drop.dropped == 1
    assert response.status_code == 200
    assert connection.is_usable()


def test_a_post_that_had_written_is_not_run_again():
    client = signed_in_client()
    writes = []

    def count_writes(execute, sql, params, many, context):
        if not str(sql).lstrip().upper().startswith(READ_ONLY_SQL):
            writes.append(sql)
        return execute(sql, params, many, context)

    drop = DropConnection(after=1, writes=True)
    with connection.execute_wrapper(count_writes), connection.execute_wrapper(drop):
        response = client.post(reverse("mentoring:calendar_regenerate"))
    assert drop.dropped == 1
    assert response.status_code == 500
    assert len(writes) == 1, writes


def test_a_lost_connection_reported_as_a_bare_database_error_is_run_again():
    """psycopg2 may report a connection ended while it reads a result as a plain DatabaseError
    (the crawl of tests/test_faults.py met one on the event list), not an OperationalError."""
    client = signed_in_client()
    raised = []

    def drop_as_bare_error(execute, sql, params, many, context):
        if not raised and str(sql).lstrip().upper().startswith("SELECT"):
            raised.append(sql)
            terminate(context["connection"].connection.get_backend_pid())
            raise DatabaseError("error with status PGRES_TUPLES_OK and no message from the libpq")
        return execute(sql, params, many, context)

    with connection.execute_wrapper(drop_as_bare_error):
        response = client.get(reverse("mentoring:events"))
    assert raised
    assert response.status_code == 200
    assert connection.is_usable()


def test_a_database_error_on_a_connection_that_still_answers_is_not_run_again():
    client = signed_in_client()
    runs = []

    def fail_once(execute, sql, params, many, context):
        if not runs and str(sql).lstrip().upper().startswith("SELECT"):
            runs.append(sql)
            raise DatabaseError("a fault of the query, not of the connection")
        return execute(sql, params, many, context)

    with connection.execute_wrapper(fail_once):
        response = client.get(reverse("mentoring:events"))
    assert response.status_code == 500
    assert len(runs) == 1
