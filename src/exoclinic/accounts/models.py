"""People and what they may do: users (e-mail login), staff memberships per clinic, API tokens."""

from __future__ import annotations

import hashlib

from django.contrib.auth.models import AbstractBaseUser, BaseUserManager, PermissionsMixin
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from exoclinic.core.models import Clinic, TimeStamped


class Role(models.TextChoices):
    PATIENT = "patient", _("Patient")  # implicit: a user linked to a Patient record, never a membership
    COORDINATOR = "coordinator", _("Coordinator")
    CLINICIAN = "clinician", _("Clinician")
    LAB = "lab", _("Lab / pharmacy")
    ADMIN = "admin", _("Clinic admin")


STAFF_ROLES = [choice for choice in Role.choices if choice[0] != Role.PATIENT]


class UserManager(BaseUserManager):
    use_in_migrations = True

    def normalize_email(self, email: str | None) -> str:
        return (email or "").strip().lower()

    def get_by_natural_key(self, username):
        return self.get(email__iexact=self.normalize_email(username))

    def create_user(self, email: str, password: str | None = None, **extra):
        if not email:
            raise ValueError("An e-mail address is required.")
        user = self.model(email=self.normalize_email(email), **extra)
        if password:
            user.set_password(password)
        else:
            user.set_unusable_password()
        user.save(using=self._db)
        return user

    def create_superuser(self, email: str, password: str | None = None, **extra):
        extra.setdefault("is_staff", True)
        extra.setdefault("is_superuser", True)
        return self.create_user(email, password, **extra)


class User(AbstractBaseUser, PermissionsMixin):
    """A person who logs in with an e-mail address. ``is_staff`` only opens the Django admin."""

    email = models.EmailField(_("e-mail"), unique=True)
    full_name = models.CharField(_("full name"), max_length=200, blank=True)
    is_active = models.BooleanField(_("active"), default=True)
    is_staff = models.BooleanField(_("may use the admin"), default=False)
    date_joined = models.DateTimeField(default=timezone.now)

    objects = UserManager()

    USERNAME_FIELD = "email"
    EMAIL_FIELD = "email"
    REQUIRED_FIELDS: list[str] = []

    class Meta:
        ordering = ["email"]

    def __str__(self) -> str:
        return self.full_name or self.email

    def clean(self):
        super().clean()
        self.email = type(self).objects.normalize_email(self.email)

    def get_full_name(self) -> str:
        return self.full_name or self.email

    def get_short_name(self) -> str:
        return self.full_name.split(" ")[0] if self.full_name else self.email


class StaffMembership(TimeStamped):
    """A user works at a clinic in a role; one row per role held."""

    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="memberships")
    clinic = models.ForeignKey(Clinic, on_delete=models.CASCADE, related_name="memberships")
    role = models.CharField(_("role"), max_length=20, choices=STAFF_ROLES)
    is_medical_director = models.BooleanField(_("medical director"), default=False)
    title = models.CharField(_("title"), max_length=100, blank=True, help_text=_("e.g. Physician"))

    class Meta:
        ordering = ["clinic", "role", "user"]
        constraints = [
            models.UniqueConstraint(fields=["user", "clinic", "role"], name="membership_unique_role"),
            models.CheckConstraint(condition=~models.Q(role="patient"), name="membership_not_patient"),
        ]

    def __str__(self) -> str:
        return f"{self.user} — {self.get_role_display()} at {self.clinic}"


def hash_token(raw: str) -> str:
    return hashlib.sha256(raw.encode()).hexdigest()


class ApiToken(models.Model):
    """A Bearer token. Only its SHA-256 is stored; the token itself is shown once when issued."""

    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="api_tokens")
    name = models.CharField(max_length=100, blank=True)
    prefix = models.CharField(max_length=12, db_index=True, help_text=_("First characters, to recognise it."))
    key_hash = models.CharField(max_length=64, unique=True)
    created_at = models.DateTimeField(default=timezone.now)
    last_used_at = models.DateTimeField(null=True, blank=True)
    revoked_at = models.DateTimeField(null=True, blank=True)
    # Null only for tokens issued before expiry existed; new ones always expire.
    expires_at = models.DateTimeField(null=True, blank=True)
    read_only = models.BooleanField(default=False, help_text=_("Only GET, HEAD and OPTIONS requests."))

    class Meta:
        ordering = ["-created_at"]

    def __str__(self) -> str:
        state = "revoked" if self.revoked_at else "active"
        return f"{self.prefix}… ({self.user}, {state})"

    @property
    def is_active(self) -> bool:
        return self.revoked_at is None and (self.expires_at is None or self.expires_at > timezone.now())
