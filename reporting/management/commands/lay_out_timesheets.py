"""Lay out every approved month that has no layout yet, so that the first staff-cost report of
a city reuses them (reporting.timesheet_pdfs): after an upgrade, or after data was loaded
without the services. What is laid out already is kept; running it twice does nothing more.

    python manage.py lay_out_timesheets [--programme SLUG]
"""

from django.core.management.base import BaseCommand
from django.db.models import Exists, OuterRef
from tqdm import tqdm

from reporting.models import MonthStatus, TimesheetMonth, TimesheetPdf
from reporting.timesheet_pdfs import make_for_sheet


class Command(BaseCommand):
    help = "Lay out the approved months that have no layout yet, for the reports to reuse."

    def add_arguments(self, parser):
        parser.add_argument("--programme", default="", help="only this programme (its slug)")

    def handle(self, *args, **options):
        months = TimesheetMonth.objects.filter(status=MonthStatus.APPROVED).exclude(
            Exists(TimesheetPdf.objects.filter(sheet=OuterRef("pk")))
        )
        if options["programme"]:
            months = months.filter(programme__slug=options["programme"])
        ids = list(months.order_by("programme_id", "city_id", "pk").values_list("pk", flat=True))
        laid_out = 0
        for sheet_id in tqdm(
            ids, desc="Laying out months", unit="month", disable=options["verbosity"] < 1
        ):
            laid_out += make_for_sheet(sheet_id) > 0
        self.stdout.write(f"{laid_out} of {len(ids)} approved months laid out.")
