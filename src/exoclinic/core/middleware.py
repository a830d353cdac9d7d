"""Keeps who is asking, from where, for the audit trail, without passing the request into services."""

from __future__ import annotations

from contextvars import ContextVar
from dataclasses import dataclass


@dataclass(frozen=True)
class RequestMeta:
    ip_address: str | None
    user_agent: str


current_request_meta: ContextVar[RequestMeta | None] = ContextVar("current_request_meta", default=None)


def request_meta_from(request) -> RequestMeta:
    # REMOTE_ADDR only: X-Forwarded-For is client-controlled unless a trusted proxy rewrites REMOTE_ADDR.
    ip = request.META.get("REMOTE_ADDR") or None
    return RequestMeta(ip_address=ip, user_agent=request.META.get("HTTP_USER_AGENT", "")[:300])


class RequestContextMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        token = current_request_meta.set(request_meta_from(request))
        try:
            return self.get_response(request)
        finally:
            current_request_meta.reset(token)
