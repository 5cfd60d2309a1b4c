"""Load the CITIES-GROW demo programme and its demo people. Running it again changes nothing."""

import logging
from functools import lru_cache

from django.conf import settings
from django.contrib.auth.hashers import make_password
from django.core.management.base import BaseCommand
from django.db import transaction
from django.test.utils import override_settings
from django.utils.text import slugify
from tqdm import tqdm

from accounts.models import Role, User
from accounts.services import membership_grant, user_create
from actionplans.demo import seed_demo_plans
from cities.models import City
from mentoring import demo
from mentoring.demo_events import seed_demo_events
from mentoring.models import (
    CharterCommitment,
    ExpertOrganisation,
    Pairing,
    PairingStatus,
    Programme,
    Scheme,
)
from mentoring.services import pairing_create, participation_add
from reporting.demo import seed_demo_time
from toolkits.demo import seed_demo_toolkits


@lru_cache(maxsize=1)
def _demo_password_hash(password: str) -> str:
    """Hashed once: with 35 demo people, hashing each took ten seconds of the seeding."""
    return make_password(password)


def demo_user(email: str, full_name: str) -> User:
    """The demo person, created with the demo password the first time only."""
    user = User.objects.filter(email=email).first()
    if user is None:
        user = user_create(email=email, password=None, full_name=full_name)
        user.password = _demo_password_hash(settings.DEMO_PASSWORD)
        user.save(update_fields=["password"])
    return user


class Command(BaseCommand):
    help = "Load the CITIES-GROW demo programme, its cities, pairings and demo logins."

    def add_arguments(self, parser):
        parser.add_argument("--quiet-logins", action="store_true", help="Do not list the logins.")
        parser.add_argument(
            "--without-staff-time",
            action="store_true",
            help="Leave out the demo time entries, timesheets and rates (quicker; most tests).",
        )
        parser.add_argument(
            "--without-toolkits",
            action="store_true",
            help="Leave out the demo good practices and toolkits.",
        )
        parser.add_argument(
            "--without-plans",
            action="store_true",
            help="Leave out the demo action plans.",
        )

    def handle(self, *args, **options):
        # The action plans' workflow e-mails the demo people when the transaction commits:
        # they are kept in memory instead of being printed or sent, and the eager tasks that
        # send them do not log a line each.
        trace = logging.getLogger("celery.app.trace")
        level = trace.level
        trace.setLevel(logging.WARNING)
        try:
            with override_settings(EMAIL_BACKEND="django.core.mail.backends.locmem.EmailBackend"):
                self._seed(options)
        finally:
            trace.setLevel(level)

    @transaction.atomic
    def _seed(self, options):
        steps = tqdm(total=9, desc="Seeding demo", unit="step", disable=options["verbosity"] < 1)
        programme = self._programme()
        steps.update()
        schemes = self._schemes(programme)
        steps.update()
        cities = self._cities(programme)
        steps.update()
        self._pairings(schemes, cities)
        steps.update()
        logins = self._people(programme, schemes, cities)
        steps.update()
        seed_demo_events(programme)
        steps.update()
        if not options["without_toolkits"]:
            password_hash = _demo_password_hash(settings.DEMO_PASSWORD)
            seed_demo_toolkits(programme, schemes, password_hash=password_hash)
        steps.update()
        if not options["without_staff_time"]:
            seed_demo_time(programme)
        steps.update()
        if not options["without_plans"]:
            seed_demo_plans(programme)
        steps.update()
        steps.close()
        if options["verbosity"] >= 1 and not options["quiet_logins"]:
            self._print_logins(logins)

    def _programme(self) -> Programme:
        fields = dict(demo.PROGRAMME)
        slug = fields.pop("slug")
        programme = Programme.objects.filter(slug=slug).first()
        if programme is None:
            programme = Programme(slug=slug, **fields)
            programme.full_clean()
            programme.save()
        return programme

    def _schemes(self, programme: Programme) -> dict[str, Scheme]:
        experts = {}
        for key, (name, country) in demo.EXPERTS.items():
            experts[key], _created = ExpertOrganisation.objects.get_or_create(
                name=name, defaults={"country": country}
            )
        schemes = {}
        for code, theme, facilitator, commitments in demo.SCHEMES:
            scheme, created = Scheme.objects.get_or_create(
                programme=programme,
                code=code,
                defaults={"theme": theme, "facilitator": experts[facilitator]},
            )
            if created:
                scheme.commitments.set(CharterCommitment.objects.filter(number__in=commitments))
            schemes[code] = scheme
        return schemes

    def _cities(self, programme: Programme) -> dict[str, City]:
        cities = {}
        for name, country, latitude, longitude, languages in demo.CITIES:
            city = City.objects.filter(name=name, country=country).first()
            if city is None:
                city = City(
                    name=name,
                    slug=slugify(name),
                    country=country,
                    latitude=latitude,
                    longitude=longitude,
                    languages=languages,
                )
                city.full_clean()
                city.save()
            participation_add(programme=programme, city=city)
            cities[name] = city
        return cities

    def _pairings(self, schemes: dict[str, Scheme], cities: dict[str, City]) -> None:
        for code, mentor, implementing in demo.PAIRINGS:
            scheme, mentor_city, implementing_city = (
                schemes[code],
                cities[mentor],
                cities[implementing],
            )
            exists = Pairing.objects.filter(
                scheme=scheme, mentor=mentor_city, implementing=implementing_city
            ).exists()
            if not exists:
                pairing_create(
                    scheme=scheme,
                    mentor=mentor_city,
                    implementing=implementing_city,
                    status=PairingStatus.ACTIVE,
                )

    def _people(self, programme, schemes, cities) -> list[tuple[str, str]]:
        logins = []
        coordinator = demo_user(demo.COORDINATOR_EMAIL, "Programme coordinator")
        membership_grant(user=coordinator, role=Role.COORDINATOR, programme=programme)
        logins.append((coordinator.email, "coordinator of CITIES-GROW"))
        expert = demo_user(demo.EXPERT_EMAIL, "Scheme A expert")
        membership_grant(user=expert, role=Role.EXPERT, scheme=schemes["A"])
        logins.append((expert.email, "expert partner, facilitator of scheme A"))
        partner = demo_user(demo.PARTNER_EMAIL, "Programme partner")
        membership_grant(user=partner, role=Role.PARTNER, programme=programme)
        logins.append((partner.email, "partner (reader of toolkits)"))
        for name, city in cities.items():
            for role in (Role.OFFICER, Role.SUPERVISOR):
                email = f"{role.value}.{city.slug}@example.org"
                person = demo_user(email, f"{name} {role.label.lower()}")
                membership_grant(user=person, role=role, city=city)
                logins.append((email, f"{role.label.lower()} of {name}"))
        return logins

    def _print_logins(self, logins: list[tuple[str, str]]) -> None:
        self.stdout.write(self.style.SUCCESS("Demo programme ready. Demo logins:"))
        for email, what in logins:
            self.stdout.write(f"  {email:<40} {what}")
        self.stdout.write(f"Password for every demo login: {settings.DEMO_PASSWORD}")
