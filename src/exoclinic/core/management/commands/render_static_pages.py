from django.core.management.base import BaseCommand

from exoclinic.core.static_pages import render_static_pages


class Command(BaseCommand):
    help = (
        "Write the 500, 503 and emergency pages (served when the database is down) from the public "
        "clinic's emergency numbers. Run after collectstatic at every deploy and after changing the clinic."
    )

    def handle(self, *args, **options):
        for path in render_static_pages():
            self.stdout.write(f"Wrote {path}")
