"""Load the demo programmes (CITIES-GROW, then ICP AGIR) and their demo people. Running it again
changes nothing.

The steps are registered by each app's ``demo`` module (``accounts.demo.register``); this command
finds them, offers a ``--without-...`` option for each step that may be left out, and runs them
in order in one transaction."""

import logging

from django.conf import settings
from django.core.management.base import BaseCommand
from django.db import transaction
from django.test.utils import override_settings
from django.utils.module_loading import autodiscover_modules
from tqdm import tqdm

from accounts.demo import DemoRun, DemoStep, steps
from notifications.services import as_history


def _demo_steps() -> list[DemoStep]:
    autodiscover_modules("demo")
    return steps()


def _option(step: DemoStep) -> str:
    return "without_" + step.without.replace("-", "_")


class Command(BaseCommand):
    help = "Load the demo programmes (CITIES-GROW, ICP AGIR), their cities, pairings and logins."

    def add_arguments(self, parser):
        parser.add_argument("--quiet-logins", action="store_true", help="Do not list the logins.")
        offered = set()
        for step in _demo_steps():
            if step.without and step.without not in offered:  # several steps may share one
                offered.add(step.without)
                parser.add_argument(
                    f"--without-{step.without}", action="store_true", help=step.help
                )

    def handle(self, *args, **options):
        # The demo's story tells its people of each step as history: the notifications show
        # in the portal, and no e-mail goes out. Any other e-mail is kept in memory instead of
        # being printed or sent, and the eager tasks do not log a line each.
        trace = logging.getLogger("celery.app.trace")
        level = trace.level
        trace.setLevel(logging.WARNING)
        try:
            with (
                override_settings(EMAIL_BACKEND="django.core.mail.backends.locmem.EmailBackend"),
                as_history(),
            ):
                self._seed(options)
        finally:
            trace.setLevel(level)

    @transaction.atomic
    def _seed(self, options):
        demo_steps = _demo_steps()
        progress = tqdm(
            total=len(demo_steps),
            desc="Seeding demo",
            unit="step",
            disable=options["verbosity"] < 1,
        )
        run = DemoRun()
        for step in demo_steps:
            if not (step.without and options.get(_option(step))):
                step.run(run)
            progress.update()
        progress.close()
        if options["verbosity"] >= 1 and not options["quiet_logins"]:
            self._print_logins(run.logins)

    def _print_logins(self, logins: list[tuple[str, str]]) -> None:
        self.stdout.write(self.style.SUCCESS("Demo programme ready. Demo logins:"))
        for email, what in logins:
            self.stdout.write(f"  {email:<40} {what}")
        self.stdout.write(f"Password for every demo login: {settings.DEMO_PASSWORD}")
