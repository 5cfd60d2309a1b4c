"""An administrator erases a person's personal data on request, whatever programmes they are in."""

from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError

from accounts.models import User
from accounts.privacy import erase_person, erasure_plan


class Command(BaseCommand):
    help = (
        "Erase the personal data of the person with this e-mail address, keeping their approved "
        "timesheets anonymised for the audit."
    )

    def add_arguments(self, parser):
        parser.add_argument("email", help="The person's e-mail address.")
        parser.add_argument(
            "--no-input",
            action="store_false",
            dest="interactive",
            help="Do not ask for confirmation.",
        )

    def handle(self, *args, email: str, interactive: bool, **options):
        person = User.objects.filter(email__iexact=email.strip()).first()
        if person is None:
            raise CommandError(f"Nobody has the e-mail address {email}.")
        if person.erased_at is not None:
            raise CommandError(f"Person #{person.pk} was already erased.")
        plan = erasure_plan(person)
        self.stdout.write(f"Person #{person.pk}:")
        self.stdout.write("  deleted: " + _counts(plan.deleted))
        self.stdout.write("  kept, anonymised: " + _counts(plan.kept))
        if interactive:
            answer = input("Erase this person's data? This cannot be undone. [y/N] ")
            if answer.strip().lower() not in ("y", "yes"):
                raise CommandError("Nothing was erased.")
        try:
            record = erase_person(person, by=None)
        except ValidationError as error:
            raise CommandError(" ".join(error.messages)) from error
        self.stdout.write(
            self.style.SUCCESS(
                f"Erased person #{person.pk} at {record.at:%Y-%m-%d %H:%M}. Approved timesheets, "
                "their entries and rates are kept, anonymised, for the programme's audit."
            )
        )


def _counts(counts: dict[str, int]) -> str:
    return ", ".join(f"{key.replace('_', ' ')} {count}" for key, count in counts.items()) or "-"
