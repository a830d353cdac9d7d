"""Many patients ask for the same time at the same instant, each on its own database connection."""

from __future__ import annotations

import threading

from django.db import connections
from django.test import Client

from exoclinic.accounts.services import api_token_issue
from tests.factories import PatientFactory, UserFactory

START = "2027-03-02T10:00:00+01:00"  # Tuesday 10:00 in Madrid


def race(appointment_type, clinic, *, threads: int, start: str = START) -> list[tuple[int, dict]]:
    """``threads`` patients of ``clinic`` post the same booking at once; (status, body) of each answer."""
    tokens = []
    for _ in range(threads):
        user = UserFactory()
        PatientFactory(clinic=clinic, user=user)
        tokens.append(api_token_issue(user=user)[1])
    barrier = threading.Barrier(threads)
    results: list[tuple[int, dict]] = []
    lock = threading.Lock()

    def book(token: str) -> None:
        try:
            client = Client()
            barrier.wait(timeout=30)
            response = client.post(
                "/api/v1/appointments",
                {"appointment_type": appointment_type.pk, "start": start},
                content_type="application/json",
                headers={"Authorization": f"Bearer {token}"},
            )
            with lock:
                results.append((response.status_code, response.json()))
        finally:
            connections.close_all()

    workers = [threading.Thread(target=book, args=(t,)) for t in tokens]
    for w in workers:
        w.start()
    for w in workers:
        w.join(timeout=180)
    return results
