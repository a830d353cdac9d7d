"""Schemathesis against the whole OpenAPI document: generated requests for every operation, sent with a
staff token and with a patient token, must never meet a server error and every response must be one the
document declares (status code, content type, body schema).

The document is loaded from the app itself (WSGI, no server); the world is the access matrix's (the demo
clinic and a second clinic). Examples per operation are bounded by FUZZ_EXAMPLES (default 3; raise it
for a longer run).
"""

from __future__ import annotations

import os

import pytest
import schemathesis
from django.core.signals import request_finished, request_started
from django.db import close_old_connections
from hypothesis import HealthCheck, settings
from schemathesis.checks import not_a_server_error
from schemathesis.specs.openapi.checks import (
    content_type_conformance,
    response_schema_conformance,
    status_code_conformance,
)

from exoclinic.accounts.services import api_token_issue
from exoclinic.wsgi import application

EXAMPLES = int(os.environ.get("FUZZ_EXAMPLES", "3"))
CHECKS = [not_a_server_error, status_code_conformance, content_type_conformance, response_schema_conformance]


@pytest.fixture
def in_test_transaction(world, db):
    # Requests go through the WSGI app in this thread, inside the test's transaction: keep Django from
    # closing the connection at the end of each request, as its own test client does.
    request_started.disconnect(close_old_connections)
    request_finished.disconnect(close_old_connections)
    try:
        yield
    finally:
        request_started.connect(close_old_connections)
        request_finished.connect(close_old_connections)


@pytest.fixture
def tokens(world, db):
    return {who: api_token_issue(user=world.users[who])[1] for who in ("coordinator", "clinician", "patient")}


schema = schemathesis.openapi.from_wsgi("/api/v1/openapi.json", application)


@schema.parametrize()
@settings(
    max_examples=EXAMPLES,
    deadline=None,
    derandomize=True,
    suppress_health_check=list(HealthCheck),
    database=None,
)
def test_api_operation_answers_as_documented_for_staff_and_patient(case, tokens, in_test_transaction):
    for who in ("clinician", "patient"):
        case.call_and_validate(headers={"Authorization": f"Bearer {tokens[who]}"}, checks=CHECKS)
