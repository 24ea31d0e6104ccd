from pathlib import Path

from django.core.management.base import BaseCommand, CommandError, no_translations

from people.importing.reading import ImportRejected, employees_read
from people.importing.services import employees_import


class Command(BaseCommand):
    help = (
        "Import an employee CSV file into the directory, all or nothing. People are matched "
        "by email: importing again updates them. Problems are printed one per line to "
        "stderr and the command exits with status 1 without changing anything."
    )

    def add_arguments(self, parser):
        parser.add_argument("path", help="the CSV file (UTF-8 or Windows-1252, comma or semicolon)")
        parser.add_argument(
            "--dry-run",
            action="store_true",
            help="check the file and count the changes without writing anything",
        )

    @no_translations  # operators read English, like every other command's output
    def handle(self, *args, path, dry_run, **options):
        try:
            data = Path(path).read_bytes()
        except OSError as exc:
            raise CommandError(f"Cannot read {path}: {exc.strerror}.") from None
        try:
            plan = (
                employees_read(data)
                if dry_run
                else employees_import(data=data, filename=Path(path).name)
            )
            if not plan.is_valid:
                raise ImportRejected(plan)
        except ImportRejected as exc:
            for error in exc.plan.errors:
                self.stderr.write(str(error))
            count = len(exc.plan.errors)
            raise CommandError(
                f"{count} problem{'s' if count != 1 else ''} in {path}; nothing was imported.",
                returncode=1,
            ) from None
        summary = (
            f"{len(plan.creates)} created, {len(plan.updates)} updated, "
            f"{len(plan.unchanged)} unchanged"
        )
        if dry_run:
            self.stdout.write(f"{summary} (dry run: nothing was written).")
        else:
            self.stdout.write(self.style.SUCCESS(f"{summary}."))
