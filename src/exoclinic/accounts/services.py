"""Writes on accounts: API tokens."""

from __future__ import annotations

import secrets

from django.db import transaction
from django.utils import timezone

from exoclinic.core.audit import audit_record
from exoclinic.core.errors import NotFound

from .models import ApiToken, User, hash_token

TOKEN_PREFIX = "exo_"


def api_token_issue(*, user: User, name: str = "", actor: User | None = None) -> tuple[ApiToken, str]:
    """Create a token; returns the row and the raw token, which is not stored and cannot be shown again."""
    raw = TOKEN_PREFIX + secrets.token_urlsafe(32)
    with transaction.atomic():
        token = ApiToken.objects.create(user=user, name=name, prefix=raw[:12], key_hash=hash_token(raw))
        audit_record(actor=actor or user, action="token.issue", target=token, detail={"user": user.email})
    return token, raw


def api_token_revoke(*, user: User, prefix: str, actor: User | None = None) -> int:
    """Revoke the user's active tokens starting with ``prefix``; returns how many."""
    with transaction.atomic():
        tokens = list(ApiToken.objects.filter(user=user, prefix__startswith=prefix, revoked_at__isnull=True))
        if not tokens:
            raise NotFound("No active token with that prefix.", field="prefix")
        now = timezone.now()
        for token in tokens:
            token.revoked_at = now
            token.save(update_fields=["revoked_at"])
            audit_record(actor=actor or user, action="token.revoke", target=token)
    return len(tokens)


def api_token_authenticate(raw: str) -> User | None:
    """The active user behind a raw token, or None. Marks the token used (at most once a minute)."""
    if not raw or not raw.startswith(TOKEN_PREFIX):
        return None
    token = (
        ApiToken.objects.select_related("user")
        .filter(key_hash=hash_token(raw), revoked_at__isnull=True)
        .first()
    )
    if token is None or not token.user.is_active:
        return None
    now = timezone.now()
    if token.last_used_at is None or (now - token.last_used_at).total_seconds() > 60:
        ApiToken.objects.filter(pk=token.pk).update(last_used_at=now)
    return token.user


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
