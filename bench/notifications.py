"""Benchmark of the periodic job's sending: emails per second and database queries per email.

    python -m bench.notifications            # a temporary SQLite database, deleted afterwards
    DATABASE_URL=postgres://... python -m bench.notifications [--emails 5000]

Records EMAILS pending notifications for as many people with bulk_create, then times
`send_pending` (what `dispatch_notifications` runs after the producers) with the in-memory
email backend, so the figure is the platform's own cost, not a mail server's; `--smtp` sends
over SMTP to a local sink that accepts everything (a real connection, no real server's cost).
On DATABASE_URL the data is written inside a transaction that is rolled back.
"""

from __future__ import annotations

import argparse
import multiprocessing
import os
import socket
import socketserver
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


class SmtpSink(socketserver.StreamRequestHandler):
    """Just enough SMTP to accept every message and drop it."""

    def reply(self, line: str) -> None:
        self.wfile.write(f"{line}\r\n".encode())

    def handle(self) -> None:
        self.connection.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
        self.reply("220 sink ready")
        while line := self.rfile.readline():
            verb = line[:4].upper()
            if verb == b"DATA":
                self.reply("354 go on")
                while self.rfile.readline() not in (b".\r\n", b""):
                    pass
                self.reply("250 queued")
            elif verb == b"EHLO":
                self.reply("250 sink")
            elif verb == b"QUIT":
                self.reply("221 bye")
                return
            else:
                self.reply("250 ok")


def _serve(port: multiprocessing.Queue) -> None:
    server = socketserver.ThreadingTCPServer(("127.0.0.1", 0), SmtpSink)
    server.daemon_threads = True
    port.put(server.server_address[1])
    server.serve_forever()


def smtp_sink() -> int:
    """The sink in its own process, so that it does not share the sender's interpreter lock."""
    port: multiprocessing.Queue = multiprocessing.Queue()
    multiprocessing.Process(target=_serve, args=(port,), daemon=True).start()
    return port.get(timeout=30)


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--emails", type=int, default=5000)
    parser.add_argument("--smtp", action="store_true", help="send to a local SMTP sink")
    args = parser.parse_args(argv)
    temporary = None
    if not os.environ.get("DATABASE_URL"):
        temporary = Path(tempfile.mkdtemp()) / "bench-notifications.sqlite3"
    try:
        _setup(temporary)  # also switches to the in-memory email backend
        from django.conf import settings
        from django.core import mail
        from django.db import connection, reset_queries, transaction
        from django.test.utils import CaptureQueriesContext

        from notifications.services import send_pending

        if args.smtp:
            settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
            settings.EMAIL_HOST, settings.EMAIL_PORT = "127.0.0.1", smtp_sink()
            settings.EMAIL_USE_TLS = settings.EMAIL_USE_SSL = False
            settings.EMAIL_HOST_USER = settings.EMAIL_HOST_PASSWORD = ""

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
        assert sent == args.emails == (sent if args.smtp else len(mail.outbox)), sent
        backend = "a local SMTP sink" if args.smtp else "the in-memory backend"
        print(f"database: {connection.vendor}; {args.emails} pending emails to {backend}")
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
