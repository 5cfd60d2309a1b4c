"""The copy of the demo that tests get (tests/demo_copy.py) holds exactly what seeding writes."""

import pytest
from django.db import transaction

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
