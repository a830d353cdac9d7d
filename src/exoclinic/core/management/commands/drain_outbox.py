from django.core.management.base import BaseCommand

from exoclinic.core.outbox import drain_outbox


class Command(BaseCommand):
    help = "Deliver the e-mails and tasks waiting in the outbox (the Huey consumer does it every minute)."

    def handle(self, *args, **options):
        self.stdout.write(f"Delivered {drain_outbox()} message(s).")
