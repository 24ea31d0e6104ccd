from django.core.management.base import BaseCommand

from audit.services import Action, audit_record
from people.exporting import write_employees_csv


class Command(BaseCommand):
    help = (
        "Export everyone in the directory (active or not) as an employee CSV file that "
        "import_employees reads back. Written to PATH as UTF-8 with a byte-order mark, so "
        "Excel shows accents correctly; to stdout without one when no PATH is given. Cells "
        "that a spreadsheet would run as formulas start with an apostrophe."
    )

    def add_arguments(self, parser):
        parser.add_argument("path", nargs="?", help="where to write the file (default: stdout)")

    def handle(self, *args, path, **options):
        audit_record(
            actor=None,
            action=Action.DIRECTORY_EXPORTED,
            details={"via": "export_employees", "path": path or "stdout"},
        )
        if path is None:
            write_employees_csv(self.stdout)
            return
        with open(path, "w", encoding="utf-8-sig", newline="") as out:
            count = write_employees_csv(out)
        self.stdout.write(f"{count} people written to {path}.")
