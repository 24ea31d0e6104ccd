from django.core.management.base import BaseCommand

from notifications.services import dispatch_due


class Command(BaseCommand):
    help = "Run the periodic notification job once: record what is due and send it."

    def handle(self, *args, **options):
        result = dispatch_due()
        self.stdout.write(
            f"{result['created']} notifications recorded, {result['sent']} emails sent."
        )
