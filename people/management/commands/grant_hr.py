from django.core.management.base import BaseCommand, CommandError

from audit.services import Action, audit_record
from people.models import User, normalize_email
from people.services import hr_group


class Command(BaseCommand):
    help = "Give the HR admin role to a person of the directory (to bootstrap the first one)."

    def add_arguments(self, parser):
        parser.add_argument("email")

    def handle(self, *args, email, **options):
        try:
            person = User.objects.get(email=normalize_email(email), is_active=True)
        except User.DoesNotExist:
            raise CommandError(
                f"No active person with the email {email} in the directory."
            ) from None
        person.groups.add(hr_group())
        audit_record(
            actor=None, action=Action.HR_ROLE_GRANTED, target=person, details={"via": "grant_hr"}
        )
        self.stdout.write(self.style.SUCCESS(f"{person} ({person.email}) is now an HR admin."))
