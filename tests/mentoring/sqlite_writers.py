"""Several people clicking at once on the embedded default (a SQLite file), through the app.

Run by `test_sqlite.py` in its own process, since the suite's database may be PostgreSQL:

    python -m tests.mentoring.sqlite_writers /tmp/some.sqlite3

Each thread is a browser session (its own database connection): it opens the pair page and
saves a goal, over and over. Prints one JSON line: the status codes seen and the goals saved.
"""

from __future__ import annotations

import json
import os
import sys
import threading
import uuid
from collections import Counter
from datetime import timedelta

THREADS = 6
ROUNDS = 5


def main(path: str) -> None:
    os.environ["DATABASE_URL"] = f"sqlite:///{path}"
    os.environ["DEBUG"] = "1"
    os.environ["CELERY_TASK_ALWAYS_EAGER"] = "1"
    os.environ["DJANGO_SETTINGS_MODULE"] = "mentoring.settings"
    import django

    django.setup()
    from django.core.management import call_command
    from django.test.utils import setup_test_environment

    setup_test_environment()  # the test client's host, and emails kept in memory
    call_command("migrate", verbosity=0)

    from django.db import connection
    from django.test import Client
    from django.urls import reverse
    from django.utils import timezone

    from goals.models import Agreement, Goal
    from tests.factories import UserFactory
    from tests.goals.conftest import active_pair, running_program

    pair = active_pair(running_program(), UserFactory(), UserFactory())
    # A pair from before agreements existed: its page must not open one on GET.
    Agreement.objects.filter(mentorship=pair).delete()
    connection.close()
    statuses: Counter[str] = Counter()
    errors: list[str] = []
    barrier = threading.Barrier(THREADS)

    def clicks(number: int) -> None:
        client = Client()
        client.force_login(pair.mentor)
        barrier.wait()
        try:
            for round_ in range(ROUNDS):
                page = client.get(reverse("matching:mentorship", args=[pair.code]))
                statuses[f"GET {page.status_code}"] += 1
                saved = client.post(
                    reverse("goals:goal_create", args=[pair.code]),
                    {
                        "title": f"Goal {number}.{round_}",
                        "measure": "Measured",
                        "target_date": (timezone.localdate() + timedelta(days=30)).isoformat(),
                        "form_token": uuid.uuid4().hex,
                    },
                )
                statuses[f"POST {saved.status_code}"] += 1
        except Exception as exc:  # noqa: BLE001 - reported to the test
            errors.append(repr(exc))
        finally:
            connection.close()

    threads = [threading.Thread(target=clicks, args=(n,)) for n in range(THREADS)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    print(
        json.dumps(
            {
                "statuses": dict(statuses),
                "errors": errors,
                "goals": Goal.objects.filter(mentorship=pair).count(),
                "agreements": Agreement.objects.filter(mentorship=pair).count(),
                "journal_mode": connection.cursor().execute("PRAGMA journal_mode").fetchone()[0],
            }
        )
    )


if __name__ == "__main__":
    main(sys.argv[1])
