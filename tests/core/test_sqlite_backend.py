"""The SQLite backend (exoclinic.core.sqlite_backend): writers wait their turn on locks of their own, and
still fail as SQLite would when the turn does not come within the busy timeout."""

from __future__ import annotations

import fcntl
import os
import threading
import time

import pytest
from django.db import OperationalError, connections

from exoclinic.core.sqlite_backend.base import DatabaseWrapper


def _connection(path, timeout: float) -> DatabaseWrapper:
    settings = dict(connections["default"].settings_dict)
    if settings["ENGINE"] != "exoclinic.core.sqlite_backend":
        pytest.skip("the suite runs on another database; the SQLite backend is the default's")
    settings["NAME"] = str(path)
    settings["OPTIONS"] = {**settings["OPTIONS"], "timeout": timeout}
    settings["TEST"] = {}
    return DatabaseWrapper(settings, alias=f"sqlite-backend-test-{id(path)}")


def _begin(conn: DatabaseWrapper) -> None:
    """What transaction.atomic() does first on SQLite: connect, then BEGIN IMMEDIATE."""
    conn.ensure_connection()
    conn._start_transaction_under_autocommit()


def _write(conn: DatabaseWrapper, value: str, hold: float = 0.0) -> None:
    _begin(conn)
    with conn.cursor() as cursor:
        cursor.execute("INSERT INTO note (text) VALUES (%s)", [value])
    time.sleep(hold)
    conn.commit()


@pytest.fixture(autouse=True)
def _own_connections(django_db_blocker):
    # These tests open their own connections to their own files, not the test database.
    with django_db_blocker.unblock():
        yield


@pytest.fixture
def database(tmp_path):
    path = tmp_path / "db.sqlite3"
    setup = _connection(path, 5)
    with setup.cursor() as cursor:
        cursor.execute("CREATE TABLE note (id INTEGER PRIMARY KEY, text TEXT)")
    setup.close()
    return path


def _notes(path) -> list[str]:
    conn = _connection(path, 5)
    try:
        with conn.cursor() as cursor:
            cursor.execute("SELECT text FROM note ORDER BY id")
            return [row[0] for row in cursor.fetchall()]
    finally:
        conn.close()


def test_writers_of_one_process_take_turns_and_all_commit(database):
    errors = []

    def writer(n: int) -> None:
        conn = _connection(database, 5)
        try:
            for i in range(5):
                _write(conn, f"{n}-{i}", hold=0.005)
        except Exception as error:  # pragma: no cover - the assertion below reports it
            errors.append(error)
        finally:
            conn.close()

    threads = [threading.Thread(target=writer, args=(n,)) for n in range(6)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()

    assert errors == []
    assert sorted(_notes(database)) == sorted(f"{n}-{i}" for n in range(6) for i in range(5))


def test_a_writer_waits_while_another_process_holds_the_writer_lock(database):
    other = os.open(f"{database}-writer", os.O_RDWR | os.O_CREAT, 0o600)
    fcntl.flock(other, fcntl.LOCK_EX)
    threading.Timer(0.3, lambda: fcntl.flock(other, fcntl.LOCK_UN)).start()
    conn = _connection(database, 5)
    started = time.monotonic()
    try:
        _write(conn, "after the other")
    finally:
        conn.close()
        os.close(other)

    assert time.monotonic() - started >= 0.25
    assert _notes(database) == ["after the other"]


def test_a_turn_that_does_not_come_within_the_busy_timeout_fails_as_sqlite_would(database):
    other = os.open(f"{database}-writer", os.O_RDWR | os.O_CREAT, 0o600)
    fcntl.flock(other, fcntl.LOCK_EX)
    conn = _connection(database, 0.2)
    try:
        with pytest.raises(OperationalError, match="database is locked"):
            _write(conn, "never")
        fcntl.flock(other, fcntl.LOCK_UN)
        # The failed wait gave its turn back: the next write goes through at once.
        _write(conn, "next")
    finally:
        conn.close()
        os.close(other)

    assert _notes(database) == ["next"]


def test_a_rolled_back_transaction_gives_its_turn_back(database):
    conn = _connection(database, 0.5)
    second = _connection(database, 0.5)
    try:
        _begin(conn)
        with conn.cursor() as cursor:
            cursor.execute("INSERT INTO note (text) VALUES ('rolled back')")
        conn.rollback()
        _write(second, "kept")
    finally:
        conn.close()
        second.close()

    assert _notes(database) == ["kept"]


def test_an_in_memory_database_is_left_as_django_has_it(tmp_path):
    conn = _connection(":memory:", 5)
    try:
        _begin(conn)
        conn.rollback()
    finally:
        conn.close()

    assert conn._writer_fd is None
    assert not any(tmp_path.iterdir())


def test_without_a_lock_file_the_writer_is_left_to_sqlite_as_before(database, monkeypatch):
    opened = os.open

    def refuse_the_lock_file(path, *args, **kwargs):
        if str(path).endswith("-writer"):
            raise PermissionError(13, "Permission denied", str(path))
        return opened(path, *args, **kwargs)

    monkeypatch.setattr(os, "open", refuse_the_lock_file)
    conn = _connection(database, 5)
    try:
        _write(conn, "first")
        _write(conn, "second")
    finally:
        conn.close()

    assert _notes(database) == ["first", "second"]
