"""Explicit extension points other apps register into from AppConfig.ready().

Called after the transaction that made the change commits, so a failing hook never undoes the record.
"""

from __future__ import annotations

from collections.abc import Callable

medication_added: list[Callable] = []
