"""`manage.py training_library_install`: add the starter training modules the library lacks."""

from __future__ import annotations

from django.core.management.base import BaseCommand

from training.modules.services import library_install


class Command(BaseCommand):
    help = "Add the starter training modules (Spanish and English) that the library lacks."

    def handle(self, *args, **options):
        result = library_install()
        self.stdout.write(
            f"{result['created']} modules added, {result['kept']} already in the library."
        )
