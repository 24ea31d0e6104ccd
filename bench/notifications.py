"""Benchmark of the periodic job's sending: emails per second and database queries per email.

    python -m bench.notifications            # a temporary SQLite database, deleted afterwards
    DATABASE_URL=postgres://... python -m bench.notifications [--emails 5000]

Records EMAILS pending notifications for as many people with bulk_create, then times
`send_pending` (what `dispatch_notifications` runs after the producers) with the in-memory
email backend, so the figure is the platform's own cost, not a mail server's. On DATABASE_URL
the data is written inside a transaction that is rolled back.
"""

from __future__ import annotations

import argparse
import os
import sys
import tempfile
import time
from pathlib import Path

from bench.dashboards import Rollback, _setup


def seed(count: int) -> None:
    from notifications.models import Notification
    from people.models import User

    people = User.objects.bulk_create(
        User(email=f"mail-{n}@bench.example", first_name="Person", last_name=str(n), password="!")
        for n in range(count)
    )
    Notification.objects.bulk_create(
        Notification(
            recipient=person,
            kind="people.hr_role_granted",
            object_key=f"people.user:{person.pk}",
            occasion="bench",
            subject="You are now an HR administrator",
            text_body="Hello,\n\nAna made you an HR administrator.\n" * 5,
            html_body="<p>Hello,</p><p>Ana made you an HR administrator.</p>" * 5,
            url="/",
        )
        for person in people
    )


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--emails", type=int, default=5000)
    args = parser.parse_args(argv)
    temporary = None
    if not os.environ.get("DATABASE_URL"):
        temporary = Path(tempfile.mkdtemp()) / "bench-notifications.sqlite3"
    try:
        _setup(temporary)  # also switches to the in-memory email backend
        from django.core import mail
        from django.db import connection, reset_queries, transaction
        from django.test.utils import CaptureQueriesContext

        from notifications.services import send_pending

        try:
            with transaction.atomic():
                seed(args.emails)
                reset_queries()
                with CaptureQueriesContext(connection) as queries:
                    started = time.perf_counter()
                    sent = send_pending(max_seconds=3600)
                    elapsed = time.perf_counter() - started
                raise Rollback
        except Rollback:
            pass
        assert sent == args.emails == len(mail.outbox), (sent, len(mail.outbox))
        print(f"database: {connection.vendor}; {args.emails} pending emails")
        print(
            f"dispatch: {sent / elapsed:7.0f} emails/s ({elapsed:.2f} s), "
            f"{len(queries) / sent:.3f} queries per email ({len(queries)} in all)"
        )
        return 0
    finally:
        if temporary is not None:
            for path in temporary.parent.glob("*"):
                path.unlink()
            temporary.parent.rmdir()


if __name__ == "__main__":
    sys.exit(main())
