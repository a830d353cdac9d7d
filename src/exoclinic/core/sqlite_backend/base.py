"""Django's SQLite backend, with writers queued on locks of their own instead of SQLite's busy handler.

Every transaction on SQLite starts with ``BEGIN IMMEDIATE`` (settings.py), which takes the database's one
write lock. A writer that finds it taken is left to SQLite's busy handler, which sleeps and tries again
after 1, 2, 5, 10, 15 ms and so on: with several clients booking at once, the lock is often free while
every waiter sleeps (``bench/booking/run.py --sqlite``: 8 clients booked at 0.43-0.47 of the trivial
endpoint, 2 clients at 0.66). Here a writer first waits its turn:

- among the threads of one process, on a lock that hands over the moment the last writer ends;
- among processes (the gunicorn workers), on an exclusive ``flock`` of a file beside the database
  (``<name>-writer``), tried every 0.2 ms by the one thread of each process whose turn it is.

``BEGIN IMMEDIATE`` then finds SQLite's lock free. Nothing about correctness changes: SQLite's own lock
still serializes every writer, and a writer that takes neither lock (another program, the sqlite3 shell)
is still handled by the busy handler. The wait keeps the busy timeout (``OPTIONS["timeout"]``) and fails
as SQLite would, with "database is locked". In-memory databases (the test suite's) are left as Django has
them.
"""

from __future__ import annotations

import fcntl
import os
import threading
import time

from django.db import OperationalError
from django.db.backends.sqlite3 import base

_POLL_SECONDS = 0.0002  # between tries of the file lock, while another process writes
_THREAD_LOCKS: dict[str, threading.Lock] = {}
_THREAD_LOCKS_GUARD = threading.Lock()


def _thread_lock(name: str) -> threading.Lock:
    with _THREAD_LOCKS_GUARD:
        lock = _THREAD_LOCKS.get(name)
        if lock is None:
            lock = _THREAD_LOCKS[name] = threading.Lock()
        return lock


class DatabaseWrapper(base.DatabaseWrapper):
    _writer_fd: int | None = None
    _held: threading.Lock | None = None

    def _start_transaction_under_autocommit(self):
        if self.is_in_memory_db():
            return super()._start_transaction_under_autocommit()
        self._wait_turn()
        try:
            super()._start_transaction_under_autocommit()
        except BaseException:
            self._end_turn()
            raise

    def _wait_turn(self):
        name = str(self.settings_dict["NAME"])
        deadline = time.monotonic() + float(self.settings_dict.get("OPTIONS", {}).get("timeout", 5))
        lock = _thread_lock(name)
        if not lock.acquire(timeout=max(0.0, deadline - time.monotonic())):
            raise OperationalError("database is locked")
        try:
            if self._writer_fd is None:
                try:
                    self._writer_fd = os.open(f"{name}-writer", os.O_RDWR | os.O_CREAT, 0o600)
                except OSError:
                    # A folder this process may not write to: SQLite's busy handler decides, as before.
                    lock.release()
                    return
            while True:
                try:
                    fcntl.flock(self._writer_fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
                    break
                except BlockingIOError:
                    if time.monotonic() > deadline:
                        raise OperationalError("database is locked") from None
                    time.sleep(_POLL_SECONDS)
        except BaseException:
            lock.release()
            raise
        self._held = lock

    def _end_turn(self):
        lock, self._held = self._held, None
        if lock is not None:
            try:
                fcntl.flock(self._writer_fd, fcntl.LOCK_UN)
            finally:
                lock.release()

    def _commit(self):
        try:
            return super()._commit()
        finally:
            self._end_turn()

    def _rollback(self):
        try:
            return super()._rollback()
        finally:
            self._end_turn()

    def _close(self):
        try:
            return super()._close()
        finally:
            self._end_turn()
            if self._writer_fd is not None:
                os.close(self._writer_fd)
                self._writer_fd = None
