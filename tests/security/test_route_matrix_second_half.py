"""The second half of the generated access matrix: see test_route_matrix.py (the same check, other routes)."""

import pytest

from .test_route_matrix import SECOND_HALF, check_route


@pytest.mark.parametrize("route", SECOND_HALF, ids=[r.key for r in SECOND_HALF])
def test_route_answers_every_role_without_error_or_leak(route, world, db):
    check_route(route, world)
