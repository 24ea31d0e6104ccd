from django.core.management.base import BaseCommand

from goals.demo import seed_goals
from matching.demo import seed_matching
from metrics.demo import seed_metrics
from people.demo import DEMO_ACCOUNTS, DEMO_PASSWORD, seed_directory
from programs.demo import seed_programs, seed_recruitment
from training.demo import seed_training


def seed_all() -> dict[str, dict[str, int]]:
    """Each app's demo in stage order, each stage in its own transaction.

    Not one transaction for all: work done on commit (goals opening the agreement of a pair
    that matching started, notification emails) runs as each stage commits, as in real use.
    """
    return {
        "directory": seed_directory(),
        "programs": seed_programs(),
        "recruitment": seed_recruitment(),
        "matching": seed_matching(DEMO_ACCOUNTS),
        "training": seed_training(DEMO_ACCOUNTS),
        "goals": seed_goals(DEMO_ACCOUNTS),
        "metrics": seed_metrics(DEMO_ACCOUNTS),
    }


class Command(BaseCommand):
    help = "Load the deterministic demo organisation (safe to run again)."

    def handle(self, *args, **options):
        for stage, counts in seed_all().items():
            summary = ", ".join(f"{key}: {value}" for key, value in counts.items())
            self.stdout.write(f"{stage}: {summary}")
        accounts = ", ".join(DEMO_ACCOUNTS.values())
        self.stdout.write(self.style.SUCCESS(f"Demo logins: {accounts} (password {DEMO_PASSWORD})"))
