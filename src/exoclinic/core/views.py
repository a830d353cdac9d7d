"""Helpers shared by the HTML views: domain errors become the right HTTP answer."""

from __future__ import annotations

import functools

from django.core.exceptions import PermissionDenied as DjangoPermissionDenied
from django.http import Http404

from .errors import NotFound, PermissionDenied


def domain_errors_as_http(view):
    @functools.wraps(view)
    def wrapper(request, *args, **kwargs):
        try:
            return view(request, *args, **kwargs)
        except NotFound as exc:
            raise Http404(exc.message) from exc
        except PermissionDenied as exc:
            raise DjangoPermissionDenied(exc.message) from exc

    return wrapper
