"""The access matrix, generated: every URL pattern and every API operation, as every role.

For each route (Django's resolver, recursively, admin included) and each operation of the OpenAPI
document, the path parameters are filled from the world (see routes.py for how) and the route is
requested with GET and with junk or empty POST/PUT/PATCH/DELETE bodies as each role of world.ROLES.

- never a 5xx;
- a 200 never shows a patient the role may not see (record number, e-mail or name);
- a refused write (any 4xx), a write by anonymous or on a missing id, and a write on a record of a
  patient or clinic the role has no relation to change nothing (row count, highest id and last
  ``updated_at`` of every table of the project, the audit trail aside).
"""

from __future__ import annotations

import os
import re

import pytest
from django.core.signals import got_request_exception
from django.db import connection
from django.db.models import Q
from django.test import Client

from exoclinic.api import api
from exoclinic.core.models import AuditEvent, Patient

from .conftest import MATRIX_COUNTS
from .routes import api_routes, fillings, url_routes
from .world import ROLES, Target, domain_models

ROUTES = url_routes() + api_routes(api.get_openapi_schema())
TEXT_TYPES = ("text/", "application/json", "application/xml")
JUNK_FORM = {"junk": "<script>alert(1)</script>", "id": "9223372036854775808", "next": "//evil.example"}


def _fingerprint_sql() -> str:
    parts = []
    for model in domain_models():
        if model is AuditEvent or model._meta.proxy or not model._meta.managed:
            continue
        table = connection.ops.quote_name(model._meta.db_table)
        pk = connection.ops.quote_name(model._meta.pk.column)
        parts.append(f"(SELECT COUNT(*) FROM {table})")
        if model._meta.pk.get_internal_type() in (
            "AutoField",
            "BigAutoField",
            "SmallAutoField",
            "IntegerField",
        ):
            parts.append(f"(SELECT MAX({pk}) FROM {table})")  # a row deleted and another added shows here
        if any(f.name == "updated_at" for f in model._meta.fields):
            parts.append(f"(SELECT MAX({connection.ops.quote_name('updated_at')}) FROM {table})")
    return "SELECT " + ", ".join(parts)


def _fingerprint(sql: str) -> tuple:
    with connection.cursor() as cursor:
        cursor.execute(sql)
        return tuple(cursor.fetchone())


def _visible_patient_ids(user) -> set[int]:
    if user is None:
        return set()
    return set(
        Patient.objects.filter(
            Q(user=user) | Q(caregiver=user) | Q(clinic__memberships__user=user)
        ).values_list("pk", flat=True)
    )


def _marker_pattern(markers: list[str]) -> re.Pattern | None:
    """One regex for all markers, each standing alone (``patient@example.org`` is not found inside
    ``other.patient@example.org``)."""
    if not markers:
        return None
    alternatives = "|".join(re.escape(m) for m in sorted(set(markers), key=len, reverse=True))
    return re.compile(rf"(?<![\w.@+-])(?:{alternatives})(?![\w@-])")


def _related(user, target: Target) -> bool:
    """May this user change the record the target names (own, cared-for, or staff of its clinic)?"""
    if target.label in ("missing", "huge", "junk"):
        return False
    if target.patient_id is not None:
        patient = Patient.objects.filter(pk=target.patient_id).values("user_id", "caregiver_id", "clinic_id")[
            0
        ]
        if user.pk in (patient["user_id"], patient["caregiver_id"]):
            return True
        return user.memberships.filter(clinic_id=patient["clinic_id"]).exists()
    if target.clinic_id is not None:
        return user.memberships.filter(clinic_id=target.clinic_id).exists()
    return True


def _request(client: Client, route, method: str, url: str, body: str):
    if route.is_api and method == "get":
        return client.get(url, JUNK_FORM if body == "junk" else {})
    if route.is_api:
        data = {"": "", "junk": '{"junk": "<script>alert(1)</script>", "id": 9223372036854775808}'}[body]
        return getattr(client, method)(url, data=data, content_type="application/json")
    if method == "get":
        return client.get(url)
    if method == "post":
        return client.post(url, data=JUNK_FORM if body == "junk" else {})
    return getattr(client, method)(url, data="junk=1", content_type="application/x-www-form-urlencoded")


# Who tries the rarer requests (to keep the run short): PUT/PATCH/DELETE on HTML pages, and ids that name
# nothing (a missing one, 2**63). The other roles meet the same code behind the same gates.
RARE_METHOD_ROLES = {"anonymous", "patient", "coordinator", "superuser"}
EDGE_ID_ROLES = {"patient", "caregiver", "coordinator", "clinician", "lab", "superuser"}


def _plan(route, index: int, role: str, combo: dict[str, Target]) -> list[tuple[str, str]]:
    """Methods and bodies for one filling. The first value: every method with a junk body, POST (or the
    operation's own method) also empty. The other values: GET and a junk POST (or the operation)."""
    if index:
        if role not in EDGE_ID_ROLES and any(t.label in ("missing", "huge") for t in combo.values()):
            return []
        return [(m, "junk") for m in route.methods[:2]]
    methods = route.methods
    if not route.is_api and role not in RARE_METHOD_ROLES:
        methods = methods[:2]
    plan = [(m, "junk") for m in methods]
    if route.methods == ("get",):
        return plan
    plan.insert(2 if len(route.methods) > 1 else 1, (route.methods[1 if len(route.methods) > 1 else 0], ""))
    return plan


def _asks_to_log_in(response) -> bool:
    if response.status_code == 401:
        return True
    return response.status_code == 302 and "login" in response.get("Location", "")


def _body_text(response) -> str | None:
    kind = response.get("Content-Type", "")
    if not kind.startswith(TEXT_TYPES) or getattr(response, "streaming", False):
        return None
    return response.content.decode("utf-8", "replace")


# The routes are split in two halves, this file's and test_route_matrix_second_half.py's, so the two test
# processes (pytest-xdist, one file to a process) share the matrix instead of one of them running all of it.
FIRST_HALF = ROUTES[0::2]
SECOND_HALF = ROUTES[1::2]


@pytest.mark.parametrize("route", FIRST_HALF, ids=[r.key for r in FIRST_HALF])
def test_route_answers_every_role_without_error_or_leak(route, world, db):
    check_route(route, world)


def check_route(route, world) -> None:
    # given the world and one client per role
    sql = _fingerprint_sql()
    errors: list[str] = []

    def on_exception(sender, request=None, **kwargs):
        import sys

        errors.append(repr(sys.exc_info()[1]))

    got_request_exception.connect(on_exception)
    problems: list[str] = []
    requests = 0
    try:
        for role in ROLES:
            user = world.users[role]
            client = Client(raise_request_exception=False)
            if user is not None:
                client.force_login(user)
            visible = _visible_patient_ids(user)
            foreign = _marker_pattern(
                [m for pid, marks in world.markers.items() if pid not in visible for m in marks]
            )
            gated = False
            before = None
            for index, (url, combo) in enumerate(fillings(route, world)):
                for method, body in _plan(route, index, role, combo):
                    writes = method != "get"
                    if writes and before is None:
                        before = _fingerprint(sql)
                    errors.clear()
                    # when the role requests it
                    response = _request(client, route, method, url, body)
                    requests += 1
                    where = f"{role} {method.upper()} {url} ({body or 'empty'} body)"
                    # then: no server error
                    if response.status_code >= 500:
                        problems.append(f"{where}: {response.status_code} {errors[:1]}")
                        continue
                    # no other patient's data
                    text = _body_text(response) if response.status_code == 200 else None
                    if text and role != "superuser":
                        leaked = foreign.findall(text) if foreign else []
                        if leaked:
                            problems.append(f"{where}: shows {leaked[:3]}")
                    # and a write that may not happen changed nothing
                    if writes:
                        refused = response.status_code >= 400
                        unrelated = (user is None and bool(combo)) or (
                            user is not None
                            and not user.is_superuser
                            and any(not _related(user, t) for t in combo.values())
                        )
                        after = _fingerprint(sql)
                        if (refused or unrelated) and after != before:
                            problems.append(f"{where}: answered {response.status_code} but changed data")
                        before = after  # the next write compares with the state this one left
                    else:
                        before = None  # a page read may write (e.g. a draft): measure again
                    if index == 0 and (method == "get" or route.is_api):
                        gated = _asks_to_log_in(response)
                    if gated and (writes or route.is_api):
                        break  # the view never ran for this role: other values meet the same gate
                else:
                    continue
                break
    finally:
        got_request_exception.disconnect(on_exception)
    MATRIX_COUNTS["requests"] += requests
    MATRIX_COUNTS["routes"].add(route.key)
    MATRIX_COUNTS["roles"].update(ROLES)
    if problems and os.environ.get("MATRIX_LOG"):
        with open(os.environ["MATRIX_LOG"], "a") as log:
            log.write("\n".join(problems) + "\n")
    assert not problems, "\n".join(problems[:40])


def test_matrix_covers_the_admin_the_pages_and_every_api_operation():
    assert sorted(r.key for r in FIRST_HALF + SECOND_HALF) == sorted(r.key for r in ROUTES)
    keys = {r.key for r in ROUTES}
    operations = sum(
        1
        for ops in api.get_openapi_schema()["paths"].values()
        for m in ops
        if m in ("get", "post", "put", "patch", "delete")
    )
    assert sum(r.is_api for r in ROUTES) == operations
    assert "admin/" in keys and "staff/patients/<int:patient_id>/" in keys
