from django.core.management.base import BaseCommand, CommandError

from exoclinic.accounts.models import User
from exoclinic.accounts.services import api_token_issue, api_token_revoke
from exoclinic.core.errors import DomainError


class Command(BaseCommand):
    help = "Print a new API token (Bearer) for the user with this e-mail; --revoke PREFIX revokes instead."

    def add_arguments(self, parser):
        parser.add_argument("email")
        parser.add_argument("--name", default="cli", help="A label for the token.")
        parser.add_argument(
            "--revoke", metavar="PREFIX", help="Revoke the user's tokens starting with PREFIX."
        )

    def handle(self, *args, email, name, revoke, **options):
        user = User.objects.filter(email__iexact=email.strip()).first()
        if user is None:
            raise CommandError(f"No user with e-mail {email}.")
        if not user.is_active:
            raise CommandError(f"{email} is not an active user.")
        if revoke:
            try:
                count = api_token_revoke(user=user, prefix=revoke)
            except DomainError as exc:
                raise CommandError(exc.message) from exc
            self.stdout.write(f"Revoked {count} token(s).")
            return
        _, raw = api_token_issue(user=user, name=name)
        self.stdout.write(raw)
