from django.core.management.base import BaseCommand, CommandError
from django_otp.plugins.otp_totp.models import TOTPDevice

from exoclinic.accounts.demo import DEMO_TOTP_KEY_HEX, demo_code, demo_totp_allowed


class Command(BaseCommand):
    help = (
        "Print the current second-factor code of a demo staff account "
        "(demo secret only; never in production)."
    )

    def add_arguments(self, parser):
        parser.add_argument("email")

    def handle(self, *args, email, **options):
        if not demo_totp_allowed():
            raise CommandError("Demo codes do not exist in production mode.")
        # Only devices with the published demo secret: this never reads a real person's code.
        device = TOTPDevice.objects.filter(
            user__email__iexact=email.strip(), key=DEMO_TOTP_KEY_HEX, confirmed=True
        ).first()
        if device is None:
            raise CommandError(f"{email} has no demo authenticator (run `manage.py seed_demo` first).")
        self.stdout.write(demo_code(device))
