"""The demo seeded once per test process, then copied row for row into each test that asks for it.

`seed_demo` takes seconds (the whole demo with staff time, ten); some 250 tests start from it. The
first test of a process that asks for a variant of the demo seeds it for real and keeps the rows
the seeding added; a later test that asks for the same variant gets those rows inserted as they
were, in milliseconds. The copy is used only where it gives the same start:

- in a test that runs inside a transaction (not a transactional test, whose seeding commits and
  so also runs the on-commit work, e-mails included);
- when the database holds exactly what it held when the rows were kept, row for row (a fixture
  that wrote rows first, or a transactional test's flush, means seeding again), on the same day
  (the demo dates some rows by today), with the same settings;
- when seeding only added rows, changing or deleting none.

Otherwise it seeds for real, as before. tests/test_demo_copy.py checks that a copy holds what a
seeding writes.

Under pytest-xdist on PostgreSQL the rows are also shared between the worker processes of one run
(a file per variant in the temporary folder, named after the run): the first worker to need a
variant seeds it, the others wait for it and copy, then move the tables' sequences past the rows.
Each worker has its own test database made by the same migrations, so "the same start" compares
alike; a file never outlives its run, so a change to the seeding is always seen.
"""

import fcntl
import hashlib
import os
import pickle
import tempfile
from dataclasses import dataclass
from pathlib import Path

from django.conf import settings
from django.core.management import call_command
from django.db import connection
from django.utils import timezone

# Rows per INSERT: well under SQLite's and PostgreSQL's limits on parameters per statement.
_PARAMETERS_PER_INSERT = 900
# Settings that do not reach the seeding: some test modules give each test its own media folder,
# and the demo stores no file; each xdist worker names its own test database.
_SETTINGS_NOT_SEEN = {"MEDIA_ROOT", "DATABASES"}


@dataclass(frozen=True)
class _Table:
    name: str
    pk: str


@dataclass(frozen=True)
class _Rows:
    table: str
    columns: tuple[str, ...]
    rows: tuple[tuple, ...]


_tables: list[_Table] | None = None
# (options, day, settings, database before) -> the rows the seeding added, or None where seeding
# changed or deleted a row and so cannot be copied.
_kept: dict[tuple, tuple[_Rows, ...] | None] = {}
stats = {"seeded": 0, "copied": 0}


def seed_demo(**options) -> None:
    """`manage.py seed_demo` with these options, or the copy of what it wrote (see above)."""
    if not connection.in_atomic_block:
        _seed(options)
        return
    before = _database()
    key = (tuple(sorted(options.items())), timezone.localdate(), _settings(), _digest(before))
    if key in _kept:
        added = _kept[key]
        if added is not None:
            _insert(added)
            # The sequences may stand below these rows' ids: another variant copied since (its
            # rows rolled back, its ids counted from its own seeding) may have set them lower.
            _move_sequences(added)
            stats["copied"] += 1
            return
        _seed(options)
        return
    shared = _shared_file(key)
    if shared is None:
        _seed(options)
        _kept[key] = _added(before, _database())
        return
    with open(shared.with_suffix(".lock"), "w") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)  # another worker seeding this variant: wait for its rows
        if shared.exists():
            _kept[key] = pickle.loads(shared.read_bytes())  # noqa: S301 - written by this run
            if _kept[key] is not None:
                _insert(_kept[key])
                _move_sequences(_kept[key])
                stats["copied"] += 1
                return
            _seed(options)
            return
        _seed(options)
        _kept[key] = _added(before, _database())
        partial = shared.with_suffix(f".{os.getpid()}")
        partial.write_bytes(pickle.dumps(_kept[key]))
        partial.replace(shared)


def _shared_file(key) -> Path | None:
    """Where this run's workers share a variant's rows, or None outside xdist or PostgreSQL."""
    run = os.environ.get("PYTEST_XDIST_TESTRUNUID")
    if not run or connection.vendor != "postgresql":
        return None
    folder = Path(tempfile.gettempdir()) / f"tandem-demo-copy-{run}"
    folder.mkdir(exist_ok=True)
    return folder / hashlib.sha256(repr(key).encode()).hexdigest()


def _move_sequences(added: tuple[_Rows, ...]) -> None:
    """Rows copied from another worker's seeding keep their ids; this database's sequences have
    not counted them, so each is moved to its table's highest id."""
    qn = connection.ops.quote_name
    pks = {table.name: table.pk for table in _all_tables()}
    with connection.cursor() as cursor:
        for rows in added:
            pk = pks.get(rows.table)
            if pk is None:
                continue
            cursor.execute("SELECT pg_get_serial_sequence(%s, %s)", [qn(rows.table), pk])
            (sequence,) = cursor.fetchone()
            if sequence:
                cursor.execute(
                    f"SELECT setval(%s, MAX({qn(pk)})) FROM {qn(rows.table)}",  # noqa: S608
                    [sequence],
                )


def _seed(options) -> None:
    call_command("seed_demo", verbosity=0, **options)
    stats["seeded"] += 1


def _all_tables() -> list[_Table]:
    global _tables
    if _tables is None:
        with connection.cursor() as cursor:
            names = sorted(connection.introspection.table_names(cursor))
            # Not the migrations' record: seeding never writes it, and the time each migration
            # was applied differs from one worker's test database to the next.
            _tables = [
                _Table(name, connection.introspection.get_primary_key_column(cursor, name))
                for name in names
                if name != "django_migrations"
            ]
    return _tables


def _database() -> dict[str, tuple[tuple[str, ...], dict]]:
    """Every row of every table that has rows: {table: (columns, {pk: row})}."""
    tables = _all_tables()
    qn = connection.ops.quote_name
    with connection.cursor() as cursor:
        counts = " UNION ALL ".join(
            f"SELECT {index}, COUNT(*) FROM {qn(table.name)}"  # noqa: S608 - our table names
            for index, table in enumerate(tables)
        )
        cursor.execute(counts)
        filled = [tables[index] for index, count in cursor.fetchall() if count]
        state = {}
        for table in filled:
            cursor.execute(f"SELECT * FROM {qn(table.name)}")  # noqa: S608 - our own table names
            columns = tuple(column[0] for column in cursor.description)
            rows = [_plain(row) for row in cursor.fetchall()]
            if table.pk is None:  # no primary key: a row is known by all its values
                state[table.name] = (columns, {repr(row): row for row in rows})
            else:
                at = columns.index(table.pk)
                state[table.name] = (columns, {row[at]: row for row in rows})
    return state


def _plain(row) -> tuple:
    return tuple(bytes(value) if isinstance(value, memoryview) else value for value in row)


def _digest(state) -> str:
    return hashlib.sha256(
        repr(sorted((t, c, sorted(r.items())) for t, (c, r) in state.items())).encode()
    ).hexdigest()


def _settings() -> str:
    names = sorted(
        name for name in dir(settings) if name.isupper() and name not in _SETTINGS_NOT_SEEN
    )
    return hashlib.sha256(
        repr([(name, getattr(settings, name)) for name in names]).encode()
    ).hexdigest()


def _added(before, after) -> tuple[_Rows, ...] | None:
    """The rows the seeding added, table by table; None if it changed or deleted any."""
    added = []
    for table, (columns, rows) in after.items():
        old_columns, old_rows = before.get(table, (columns, {}))
        if old_columns != columns:
            return None
        for pk, row in old_rows.items():
            if rows.get(pk) != row:
                return None
        new = tuple(row for pk, row in sorted(rows.items()) if pk not in old_rows)
        if new:
            added.append(_Rows(table, columns, new))
    if set(before) - set(after):
        return None
    return tuple(added)


def _insert(added: tuple[_Rows, ...]) -> None:
    """Insert the kept rows as they were. Foreign keys are checked when the transaction ends
    (Django makes them deferrable), so the order of the tables does not matter."""
    qn = connection.ops.quote_name
    with connection.cursor() as cursor:
        for rows in added:
            width = len(rows.columns)
            per_insert = max(1, _PARAMETERS_PER_INSERT // width)
            head = (
                f"INSERT INTO {qn(rows.table)} ({', '.join(qn(c) for c in rows.columns)}) VALUES "  # noqa: S608
            )
            one = "(" + ", ".join(["%s"] * width) + ")"
            for start in range(0, len(rows.rows), per_insert):
                batch = rows.rows[start : start + per_insert]
                cursor.execute(
                    head + ", ".join([one] * len(batch)),
                    [value for row in batch for value in row],
                )
