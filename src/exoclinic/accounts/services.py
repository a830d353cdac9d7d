"""Writes on accounts: API tokens."""

from __future__ import annotations

import secrets
from datetime import timedelta

from django.conf import settings
from django.db import transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _

from exoclinic.core.audit import audit_record
from exoclinic.core.errors import InvalidInput, NotFound, PermissionDenied

from .mfa import has_confirmed_totp, mfa_enforced
from .models import ApiToken, User, hash_token

TOKEN_PREFIX = "exo_"
MAX_TOKEN_DAYS = 366


def api_token_issue(
    *,
    user: User,
    name: str = "",
    actor: User | None = None,
    days: int | None = None,
    read_only: bool = False,
) -> tuple[ApiToken, str]:
    """Create a token; returns the row and the raw token, which is not stored and cannot be shown again.

    A token skips the second factor, so it is issued only to a user with a confirmed TOTP device (while the
    second factor is enforced). It expires after ``days`` (default ``EXOCLINIC_API_TOKEN_DAYS``)."""
    days = settings.EXOCLINIC_API_TOKEN_DAYS if days is None else days
    if not 1 <= days <= MAX_TOKEN_DAYS:
        raise InvalidInput(_("A token lasts from 1 to %(max)s days.") % {"max": MAX_TOKEN_DAYS}, field="days")
    if mfa_enforced() and not has_confirmed_totp(user):
        raise PermissionDenied(
            _("Set up a second factor (an authenticator app) for this account before it gets an API token."),
            field="user",
            code="mfa_required",
        )
    raw = TOKEN_PREFIX + secrets.token_urlsafe(32)
    with transaction.atomic():
        token = ApiToken.objects.create(
            user=user,
            name=name,
            prefix=raw[:12],
            key_hash=hash_token(raw),
            expires_at=timezone.now() + timedelta(days=days),
            read_only=read_only,
        )
        audit_record(
            actor=actor or user,
            action="token.issue",
            target=token,
            detail={"user": user.email, "days": days, "read_only": read_only},
        )
    return token, raw


def api_token_revoke(*, user: User, prefix: str, actor: User | None = None) -> int:
    """Revoke the user's active tokens starting with ``prefix``; returns how many."""
    with transaction.atomic():
        tokens = list(ApiToken.objects.filter(user=user, prefix__startswith=prefix, revoked_at__isnull=True))
        if not tokens:
            raise NotFound(_("No active token with that prefix."), field="prefix")
        now = timezone.now()
        for token in tokens:
            token.revoked_at = now
            token.save(update_fields=["revoked_at"])
            audit_record(actor=actor or user, action="token.revoke", target=token)
    return len(tokens)


def api_token_lookup(raw: str) -> ApiToken | None:
    """The active, unexpired token (with its user) behind a raw token, or None. Marks it used (at most once
    a minute)."""
    if not raw or not raw.startswith(TOKEN_PREFIX):
        return None
    now = timezone.now()
    token = (
        ApiToken.objects.select_related("user")
        .filter(key_hash=hash_token(raw), revoked_at__isnull=True)
        .filter(Q(expires_at__isnull=True) | Q(expires_at__gt=now))
        .first()
    )
    if token is None or not token.user.is_active:
        return None
    if token.last_used_at is None or (now - token.last_used_at).total_seconds() > 60:
        ApiToken.objects.filter(pk=token.pk).update(last_used_at=now)
    return token


def api_token_authenticate(raw: str) -> User | None:
    """The active user behind a raw token, or None."""
    token = api_token_lookup(raw)
    return token.user if token is not None else None


def membership_save(*, actor, membership, changed_fields: list[str] | None = None) -> None:
    """Store a staff membership made or changed in the admin, with its audit row."""
    from django.db import transaction

    created = membership.pk is None
    with transaction.atomic():
        membership.save()
        audit_record(
            actor=actor,
            action="membership.create" if created else "membership.update",
            target=membership,
            clinic=membership.clinic,
            detail={
                "user": membership.user.email,
                "role": membership.role,
                "medical_director": membership.is_medical_director,
                "fields": sorted(changed_fields or []),
            },
        )


def membership_delete(*, actor, membership) -> None:
    from django.db import transaction

    with transaction.atomic():
        audit_record(
            actor=actor,
            action="membership.delete",
            target=membership,
            clinic=membership.clinic,
            detail={"user": membership.user.email, "role": membership.role},
        )
        membership.delete()
