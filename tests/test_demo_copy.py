"""The copy of the demo that tests get (tests/demo_copy.py) holds exactly what seeding writes."""

import pytest
from django.db import connection, transaction

from cities.models import City
from tests import demo_copy
from tests.cities.factories import CityFactory

VARIANTS = [
    {"without_staff_time": True, "without_plans": True},  # demo
    {"without_staff_time": True},  # demo_with_plans
    {},  # demo_with_staff_time
]


@pytest.mark.parametrize("options", VARIANTS, ids=["demo", "with plans", "with staff time"])
def test_a_copy_of_the_demo_is_the_database_a_seeding_leaves(db, options, monkeypatch):
    monkeypatch.setattr(demo_copy, "_kept", {})
    monkeypatch.setattr(demo_copy, "_shared_file", lambda key: None)
    before = demo_copy._database()
    with transaction.atomic():
        demo_copy.seed_demo(**options)  # seeds, and keeps what it added
        seeded = demo_copy._database()
        transaction.set_rollback(True)
    assert demo_copy._database() == before
    assert list(demo_copy._kept.values())[0], "the seeding only added rows: it can be copied"

    copied_before = demo_copy.stats["copied"]
    demo_copy.seed_demo(**options)
    assert demo_copy.stats["copied"] == copied_before + 1
    copied = demo_copy._database()
    assert copied.keys() == seeded.keys()
    for table, (columns, rows) in seeded.items():
        assert copied[table] == (columns, rows), table


def test_the_copy_is_used_only_on_the_database_it_was_kept_from(db, monkeypatch):
    seedings = []
    monkeypatch.setattr(demo_copy, "_kept", {})
    monkeypatch.setattr(demo_copy, "_shared_file", lambda key: None)
    monkeypatch.setattr(demo_copy, "_seed", seedings.append)  # a seeding that writes nothing
    options = VARIANTS[0]
    with transaction.atomic():
        demo_copy.seed_demo(**options)  # seeds and keeps what it added (nothing)
        transaction.set_rollback(True)
    assert len(seedings) == 1
    copied = demo_copy.stats["copied"]
    demo_copy.seed_demo(**options)
    assert (len(seedings), demo_copy.stats["copied"]) == (1, copied + 1), "the same start: copied"

    CityFactory()  # a fixture that writes a row before the demo: not the same start
    demo_copy.seed_demo(**options)
    assert len(seedings) == 2, "seeded again"
    demo_copy.seed_demo(without_staff_time=True)  # another variant
    assert len(seedings) == 3


@pytest.mark.skipif(
    connection.vendor != "postgresql", reason="shared between workers on PostgreSQL only"
)
def test_another_worker_copies_the_rows_a_first_one_seeded_and_moves_the_sequences(
    db, monkeypatch, tmp_path
):
    monkeypatch.setattr(demo_copy, "_kept", {})
    monkeypatch.setattr(demo_copy, "_shared_file", lambda key: tmp_path / "variant")
    seedings = []

    def seed(options):  # a small seeding: the sharing does not depend on what is seeded
        seedings.append(CityFactory.create_batch(3))

    monkeypatch.setattr(demo_copy, "_seed", seed)
    options = VARIANTS[0]
    with transaction.atomic():
        demo_copy.seed_demo(**options)  # the first worker seeds and leaves its rows in the file
        seeded = demo_copy._database()
        transaction.set_rollback(True)
    assert (tmp_path / "variant").exists()

    monkeypatch.setattr(demo_copy, "_kept", {})  # another process: nothing kept in memory
    qn = connection.ops.quote_name
    with connection.cursor() as cursor:  # and sequences that never counted the seeded rows
        cursor.execute(
            "SELECT setval(pg_get_serial_sequence(%s, 'id'), 1, false)",
            [qn(City._meta.db_table)],
        )
    with transaction.atomic():
        demo_copy.seed_demo(**options)
        assert len(seedings) == 1, "copied from the file, not seeded again"
        assert demo_copy._database() == seeded
        city = CityFactory()  # a new row after the copy takes a fresh id
        assert city.pk > max(pk for pk in seeded[City._meta.db_table][1])
        transaction.set_rollback(True)
