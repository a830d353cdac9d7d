from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from exoclinic.accounts.models import User
from exoclinic.accounts.services import api_token_issue, api_token_revoke
from exoclinic.core.errors import DomainError


class Command(BaseCommand):
    help = (
        "Print a new API token (Bearer) for the user with this e-mail; --revoke PREFIX revokes instead. "
        "The user must have a confirmed second factor (an authenticator app)."
    )

    def add_arguments(self, parser):
        parser.add_argument("email")
        parser.add_argument("--name", default="cli", help="A label for the token.")
        parser.add_argument(
            "--days",
            type=int,
            default=None,
            help=f"Days until it expires (default {settings.EXOCLINIC_API_TOKEN_DAYS}).",
        )
        parser.add_argument("--read-only", action="store_true", help="Allow only GET, HEAD and OPTIONS.")
        parser.add_argument(
            "--revoke", metavar="PREFIX", help="Revoke the user's tokens starting with PREFIX."
        )

    def handle(self, *args, email, name, days, read_only, revoke, **options):
        user = User.objects.filter(email__iexact=email.strip()).first()
        if user is None:
            raise CommandError(f"No user with e-mail {email}.")
        if not user.is_active:
            raise CommandError(f"{email} is not an active user.")
        try:
            if revoke:
                count = api_token_revoke(user=user, prefix=revoke)
                self.stdout.write(f"Revoked {count} token(s).")
                return
            token, raw = api_token_issue(user=user, name=name, days=days, read_only=read_only)
        except DomainError as exc:
            raise CommandError(exc.message) from exc
        self.stdout.write(raw)
        kind = "read-only" if token.read_only else "read-write"
        self.stderr.write(f"{kind}, expires {token.expires_at:%Y-%m-%d %H:%M} UTC")
