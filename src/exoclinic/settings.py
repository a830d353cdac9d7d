"""Settings for exoclinic.

Development is the default: SQLite in the git-ignored ``var/`` folder, debug on, console e-mail.
``EXOCLINIC_ENV=production`` switches to production mode, which refuses to start without a real
``SECRET_KEY`` and ``ALLOWED_HOSTS`` and passes ``manage.py check --deploy``.
"""

from __future__ import annotations

import os
from datetime import timedelta
from pathlib import Path

import dj_database_url
from django.core.exceptions import ImproperlyConfigured

BASE_DIR = Path(__file__).resolve().parent  # src/exoclinic
PROJECT_DIR = BASE_DIR.parent.parent  # repository root
DATA_DIR = Path(os.environ.get("EXOCLINIC_DATA_DIR", PROJECT_DIR / "var"))

ENVIRONMENT = os.environ.get("EXOCLINIC_ENV", "development")
PRODUCTION = ENVIRONMENT == "production"
DEBUG = not PRODUCTION and os.environ.get("DJANGO_DEBUG", "1") == "1"

_DEV_SECRET = "django-insecure-development-only-key-never-use-in-production"
SECRET_KEY = os.environ.get("SECRET_KEY", "" if PRODUCTION else _DEV_SECRET)
_hosts = os.environ.get("ALLOWED_HOSTS", "")
ALLOWED_HOSTS = [h.strip() for h in _hosts.split(",") if h.strip()]


def secret_key_is_random(key: str) -> bool:
    """At least 50 characters, 16 different ones and 256 bits by Shannon entropy: "abcde" x 10 (116 bits,
    5 characters) fails, ``secrets.token_urlsafe(64)`` (about 490 bits) passes; and no "django-insecure"."""
    import math
    from collections import Counter

    if len(key) < 50 or key.startswith("django-insecure") or len(set(key)) < 16:
        return False
    counts = Counter(key)
    bits_per_char = -sum(n / len(key) * math.log2(n / len(key)) for n in counts.values())
    return bits_per_char * len(key) >= 256


if PRODUCTION:
    if not secret_key_is_random(SECRET_KEY):
        raise ImproperlyConfigured(
            "Production mode needs SECRET_KEY: a random value of at least 50 characters "
            "(python -c 'import secrets; print(secrets.token_urlsafe(64))')."
        )
    if not ALLOWED_HOSTS:
        raise ImproperlyConfigured(
            "Production mode needs ALLOWED_HOSTS, e.g. ALLOWED_HOSTS=clinic.example.org"
        )
else:
    ALLOWED_HOSTS = ALLOWED_HOSTS or ["127.0.0.1", "localhost", "[::1]", "testserver"]

INSTALLED_APPS = [
    # Before the admin: per-language columns for the content patients read (docs/translations.md).
    "modeltranslation",
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "huey.contrib.djhuey",
    "django_otp",
    "django_otp.plugins.otp_totp",
    "django_otp.plugins.otp_static",
    "axes",
    "csp",
    "ninja",  # its templates and static files: /api/v1/docs loads Swagger UI from here, not a CDN
    "exoclinic.core",
    "exoclinic.accounts",
    "exoclinic.site",
    "exoclinic.portal",
    "exoclinic.staff",
    "exoclinic.intake",
    "exoclinic.scheduling",
    "exoclinic.triage",
    "exoclinic.products",
    "exoclinic.treatment",
    "exoclinic.aftercare",
    "exoclinic.exams",
    "exoclinic.outcomes",
    "exoclinic.interop",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    # First after security: an oversized body is refused before anything reads it; no-store on patient pages.
    "exoclinic.core.middleware.PatientDataHeadersMiddleware",
    "csp.middleware.CSPMiddleware",
    "exoclinic.core.middleware.PermissionsPolicyMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django_otp.middleware.OTPMiddleware",
    "exoclinic.core.middleware.PatientLanguageMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "exoclinic.core.middleware.RequestContextMiddleware",
    # After RequestContextMiddleware, so the audit rows these write carry the client's address.
    "exoclinic.accounts.middleware.StaffSessionMiddleware",
    "axes.middleware.AxesMiddleware",  # last, as django-axes asks
]

ROOT_URLCONF = "exoclinic.urls"
WSGI_APPLICATION = "exoclinic.wsgi.application"
ASGI_APPLICATION = "exoclinic.asgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.template.context_processors.i18n",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "exoclinic.site.context_processors.clinic_context",
                "exoclinic.core.context_processors.acting_for",
            ],
        },
    },
]

# Database: SQLite in var/ unless DATABASE_URL names another (postgres://user@host:port/name).
DATA_DIR.mkdir(parents=True, exist_ok=True)
_database_url = os.environ.get("DATABASE_URL", "")
_SQLITE_BUSY_SECONDS = int(os.environ.get("SQLITE_BUSY_TIMEOUT", "60"))
if _database_url:
    DATABASES = {"default": dj_database_url.parse(_database_url, conn_max_age=60, conn_health_checks=True)}
else:
    DATABASES = {
        "default": {
            # Django's SQLite backend, with writers queued on locks of their own (core/sqlite_backend).
            "ENGINE": "exoclinic.core.sqlite_backend",
            "NAME": DATA_DIR / "exoclinic.sqlite3",
            "OPTIONS": {
                # WAL lets readers go on while one writer writes; IMMEDIATE takes the write lock at BEGIN,
                # so a check-then-insert inside transaction.atomic() is serialized against other writers.
                "transaction_mode": "IMMEDIATE",
                # How long a write waits for the lock. Every booking of a contended slot takes the lock in
                # turn (30-50 ms each on a busy 2-CPU machine): 60 s lets a burst of 200 and more be answered.
                "timeout": _SQLITE_BUSY_SECONDS,
                "init_command": (
                    "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL; "
                    f"PRAGMA busy_timeout={_SQLITE_BUSY_SECONDS * 1000}; PRAGMA foreign_keys=ON;"
                ),
            },
            # In memory, as Django's own SQLite engine is tested (said outright: tools that look for that
            # engine's name, as pytest-django does for its per-worker names, do not see this one).
            "TEST": {"NAME": ":memory:"},
        }
    }
# A read replica for reports and exports (core/replica.py says which reads may use it); tests mirror default.
_replica_url = os.environ.get("DATABASE_REPLICA_URL", "")
if _replica_url:
    DATABASES["replica"] = dj_database_url.parse(_replica_url, conn_max_age=60, conn_health_checks=True)
    DATABASES["replica"]["TEST"] = {"MIRROR": "default"}
# PostgreSQL: the statements of every slot search and booking are prepared once per connection
# (core/db.py prepared_cursor); 0 for a pooler that cannot keep prepared statements.
EXOCLINIC_PG_PREPARED = os.environ.get("EXOCLINIC_PG_PREPARED", "1") == "1"
if os.environ.get("DATABASE_TEST_NAME"):
    DATABASES["default"]["TEST"] = {"NAME": os.environ["DATABASE_TEST_NAME"]}

DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"
AUTH_USER_MODEL = "accounts.User"
# Axes first: it refuses a locked-out account or address before the password is checked.
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
]
PASSWORD_HASHERS = [
    "django.contrib.auth.hashers.Argon2PasswordHasher",
    "django.contrib.auth.hashers.PBKDF2PasswordHasher",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator", "OPTIONS": {"min_length": 10}},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
PASSWORD_RESET_TIMEOUT = 60 * 60 * 24  # a reset link works for one day

# Second factor (django-otp; see accounts/mfa.py). Off only in the test suite, never in a deployment.
EXOCLINIC_STAFF_MFA_REQUIRED = os.environ.get("EXOCLINIC_STAFF_MFA_REQUIRED", "1") == "1" or PRODUCTION
OTP_TOTP_ISSUER = os.environ.get("EXOCLINIC_TOTP_ISSUER", "exoclinic")
# The admin never shows an authenticator's secret or QR code (django-otp's config and QR views answer 403):
# a secret is shown once, to its owner, at set-up.
OTP_ADMIN_HIDE_SENSITIVE_DATA = True
# Staff sessions end after this long without a request; patients keep SESSION_COOKIE_AGE.
EXOCLINIC_STAFF_IDLE_TIMEOUT_SECONDS = int(os.environ.get("EXOCLINIC_STAFF_IDLE_MINUTES", "30")) * 60
# API tokens expire after this many days unless issued with --days.
EXOCLINIC_API_TOKEN_DAYS = int(os.environ.get("EXOCLINIC_API_TOKEN_DAYS", "90"))

# Failed logins (django-axes): after 5 failures for one e-mail address, or from one IP address, further
# attempts are refused for 15 minutes; a successful login clears the account's count.
AXES_FAILURE_LIMIT = int(os.environ.get("EXOCLINIC_LOGIN_FAILURE_LIMIT", "5"))
AXES_COOLOFF_TIME = timedelta(minutes=int(os.environ.get("EXOCLINIC_LOGIN_COOLOFF_MINUTES", "15")))
AXES_LOCKOUT_PARAMETERS = ["username", "ip_address"]
AXES_USERNAME_FORM_FIELD = "username"  # Django's AuthenticationForm names the e-mail field "username"
AXES_USERNAME_CALLABLE = "exoclinic.accounts.lockout.attempted_email"
AXES_CLIENT_IP_CALLABLE = "exoclinic.accounts.lockout.client_ip"
AXES_RESET_ON_SUCCESS = True
AXES_LOCKOUT_CALLABLE = "exoclinic.accounts.lockout.locked_out_response"

LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "after-login"
LOGOUT_REDIRECT_URL = "site:home"

LANGUAGE_CODE = "en"
LANGUAGES = [("en", "English"), ("es", "Español")]
LOCALE_PATHS = [BASE_DIR / "locale"]
# Content stored in the database (public pages, consent text, therapy and appointment names, aftercare
# advice) has a column per language; an empty Spanish column shows the English, an empty English the Spanish.
MODELTRANSLATION_DEFAULT_LANGUAGE = "en"
MODELTRANSLATION_FALLBACK_LANGUAGES = ("en", "es")
TIME_ZONE = "UTC"
USE_I18N = True
USE_TZ = True

STATIC_URL = "/static/"
STATIC_ROOT = DATA_DIR / "static"
STATIC_ROOT.mkdir(parents=True, exist_ok=True)
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": (
            "whitenoise.storage.CompressedManifestStaticFilesStorage"
            if PRODUCTION
            else "django.contrib.staticfiles.storage.StaticFilesStorage"
        )
    },
}
# The 500/503/emergency pages served without the database (`manage.py render_static_pages` at deploy).
STATIC_PAGES_DIR = Path(os.environ.get("EXOCLINIC_STATIC_PAGES", DATA_DIR / "static-pages"))
# Request bodies: one 10 MB document plus the form around it. Larger is refused from the Content-Length
# header (413) before the body is read; Django's own limits cap what is kept in memory while parsing.
EXOCLINIC_MAX_REQUEST_BYTES = int(os.environ.get("EXOCLINIC_MAX_REQUEST_BYTES", str(11 * 1024 * 1024)))
# POSTs per client address: (path prefix, requests, seconds); Django's cache counts them.
EXOCLINIC_RATE_LIMITS = [
    ("/api/v1/applications$", 20, 600),
    ("/apply/", 120, 600),
    ("/emergency/self-check/", 30, 60),
    ("/book/", 60, 600),
    ("/api/v1/appointments", 60, 600),
]
# A load test from one address (bench/booking/run.py) raises the limits by this factor; the counting stays.
_rate_factor = max(1, int(os.environ.get("EXOCLINIC_RATE_LIMIT_FACTOR", "1")))
EXOCLINIC_RATE_LIMITS = [(path, n * _rate_factor, seconds) for path, n, seconds in EXOCLINIC_RATE_LIMITS]
DATA_UPLOAD_MAX_MEMORY_SIZE = 2_621_440  # non-file fields (Django's default, stated)
FILE_UPLOAD_MAX_MEMORY_SIZE = 2_621_440  # larger files stream to a temporary file
# Private uploads (medical reports): outside STATIC_ROOT, never served by a URL of their own.
PRIVATE_MEDIA_ROOT = Path(os.environ.get("EXOCLINIC_PRIVATE_MEDIA", DATA_DIR / "private"))
MEDIA_ROOT = PRIVATE_MEDIA_ROOT
# No URL pattern serves this prefix: private files are sent only by views that check access and audit.
MEDIA_URL = "/private-media/"

EMAIL_BACKEND = os.environ.get(
    "EMAIL_BACKEND",
    "django.core.mail.backends.smtp.EmailBackend"
    if PRODUCTION
    else "django.core.mail.backends.console.EmailBackend",
)
EMAIL_HOST = os.environ.get("EMAIL_HOST", "localhost")
EMAIL_PORT = int(os.environ.get("EMAIL_PORT", "25"))
EMAIL_HOST_USER = os.environ.get("EMAIL_HOST_USER", "")
EMAIL_HOST_PASSWORD = os.environ.get("EMAIL_HOST_PASSWORD", "")
EMAIL_USE_TLS = os.environ.get("EMAIL_USE_TLS", "0") == "1"
DEFAULT_FROM_EMAIL = os.environ.get("DEFAULT_FROM_EMAIL", "exoclinic <no-reply@example.org>")
SITE_URL = os.environ.get("SITE_URL", "http://127.0.0.1:8000")

# Background jobs: Huey on SQLite by default, Redis when HUEY_REDIS_URL is set.
_huey_redis = os.environ.get("HUEY_REDIS_URL", "")
HUEY = {
    "name": "exoclinic",
    "immediate": os.environ.get("HUEY_IMMEDIATE", "0") == "1",
    "utc": True,
    "consumer": {"workers": 2, "worker_type": "thread"},
}
if _huey_redis:
    HUEY.update({"huey_class": "exoclinic.core.queue.RedisHuey", "url": _huey_redis})
else:
    HUEY.update({"huey_class": "exoclinic.core.queue.SqliteHuey", "filename": str(DATA_DIR / "huey.sqlite3")})

# Security headers; the production values are those `check --deploy` asks for.
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_AGE = 60 * 60 * 8
CSRF_COOKIE_HTTPONLY = False
# A refused form gets the project's page (reader's language, emergency path), not Django's technical one.
CSRF_FAILURE_VIEW = "exoclinic.core.views.csrf_failure"
X_FRAME_OPTIONS = "DENY"
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
# Content-Security-Policy (django-csp): scripts, styles, images and fonts from this site only; no inline
# script or style, no plugins, no framing (frame-ancestors supersedes X-Frame-Options), forms post here.
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": ["'self'"],
        "script-src": ["'self'"],
        "style-src": ["'self'"],
        "img-src": ["'self'", "data:"],
        "font-src": ["'self'"],
        "connect-src": ["'self'"],
        "object-src": ["'none'"],
        "base-uri": ["'self'"],
        "form-action": ["'self'"],
        "frame-ancestors": ["'none'"],
    }
}
# Browser features the clinic's pages never use are switched off for every page (and anything framed).
PERMISSIONS_POLICY = {
    "camera": [],
    "microphone": [],
    "geolocation": [],
    "payment": [],
    "usb": [],
    "serial": [],
    "bluetooth": [],
}
if PRODUCTION:
    SESSION_COOKIE_SECURE = True
    CSRF_COOKIE_SECURE = True
    SECURE_SSL_REDIRECT = os.environ.get("SECURE_SSL_REDIRECT", "1") == "1"
    SECURE_HSTS_SECONDS = int(os.environ.get("SECURE_HSTS_SECONDS", str(60 * 60 * 24 * 365)))
    SECURE_HSTS_INCLUDE_SUBDOMAINS = True
    SECURE_HSTS_PRELOAD = True
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
    # A load balancer probes the health checks over plain HTTP on the private network.
    SECURE_REDIRECT_EXEMPT = [r"^healthz$", r"^readyz$"]
    CSRF_TRUSTED_ORIGINS = [f"https://{h}" for h in ALLOWED_HOSTS if not h.startswith(".")]

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": os.environ.get("LOG_LEVEL", "WARNING")},
}

# Clinic-wide defaults; clinical thresholds marked unconfirmed in clinical-facts.md are settings here.
EXOCLINIC = {
    # Which clinic the public pages speak for (slug); the first clinic when empty.
    "PUBLIC_CLINIC": os.environ.get("EXOCLINIC_PUBLIC_CLINIC", ""),
    # /readyz says "not ready" when a task due this many seconds ago has not run (no worker).
    "QUEUE_LATE_AFTER_SECONDS": int(os.environ.get("EXOCLINIC_QUEUE_LATE_AFTER_SECONDS", "120")),
}
