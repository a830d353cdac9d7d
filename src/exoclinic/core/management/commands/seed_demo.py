import importlib

from django.apps import apps
from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.db import transaction
from django.test.utils import override_settings
from django.utils import translation

from exoclinic.core import demo
from exoclinic.core.models import OutboxKind, OutboxMessage, OutboxStatus
from exoclinic.core.static_pages import render_static_pages


class Command(BaseCommand):
    help = "Load the demo clinic (safe to run twice) and print the demo logins."

    def add_arguments(self, parser):
        parser.add_argument("--quiet", action="store_true", help="Do not print the logins.")

    def handle(self, *args, quiet=False, **options):
        if getattr(settings, "PRODUCTION", False):
            # The demo logins share one public password: never in an installation that holds real patients.
            raise CommandError("seed_demo is refused in production mode (EXOCLINIC_ENV=production).")
        # Demo people have made-up addresses: whatever the apps would e-mail while seeding goes nowhere.
        # The demo's texts are written in English with their translations by name: lookups and writes by a
        # translated field name use the English columns, whatever language the caller had active.
        with (
            override_settings(EMAIL_BACKEND="django.core.mail.backends.dummy.EmailBackend"),
            translation.override("en"),
            transaction.atomic(),
        ):
            ctx = demo.seed()
            for config in apps.get_app_configs():
                if not config.name.startswith("exoclinic.") or config.name == "exoclinic.core":
                    continue
                try:
                    module = importlib.import_module(f"{config.name}.demo")
                except ModuleNotFoundError as exc:
                    if exc.name != f"{config.name}.demo":
                        raise
                    continue
                module.seed(ctx)
            # Demo mail is kept as sent-nowhere, so no worker delivers it later with the real mail server.
            OutboxMessage.objects.filter(kind=OutboxKind.MAIL, status=OutboxStatus.PENDING).filter(
                created_at__gte=ctx.now
            ).update(status=OutboxStatus.DONE, last_error="demo data: not sent")
        render_static_pages()  # the 500/503 pages carry the demo clinic's emergency numbers
        if quiet:
            return
        self.stdout.write(
            self.style.SUCCESS(
                f"Demo clinic ready: {ctx.clinic.name}. Demo logins (password for all: {ctx.password}):"
            )
        )
        for email, role in ctx.logins:
            self.stdout.write(f"  {email:<48} {role}")
        from exoclinic.accounts.demo import demo_secret_b32, demo_totp_allowed

        if demo_totp_allowed():
            self.stdout.write(
                "Staff logins ask for a second factor. Demo staff share the authenticator secret "
                f"{demo_secret_b32()} (add it to an app), or print the current code with "
                "`python manage.py demo_totp EMAIL`."
            )
