from django.core.management.base import BaseCommand

from mentoring.demo import DEMO_ACCOUNTS, DEMO_PASSWORD, seed_all


class Command(BaseCommand):
    help = "Load the deterministic demo organisation (safe to run again)."

    def handle(self, *args, **options):
        for stage, counts in seed_all().items():
            summary = ", ".join(f"{key}: {value}" for key, value in counts.items())
            self.stdout.write(f"{stage}: {summary}")
        accounts = ", ".join(DEMO_ACCOUNTS.values())
        self.stdout.write(self.style.SUCCESS(f"Demo logins: {accounts} (password {DEMO_PASSWORD})"))
