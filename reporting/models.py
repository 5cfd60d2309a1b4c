"""Staff time: what officers record, the monthly timesheets supervisors sign, the rates that turn
hours into costs, and the staff-cost reports built from approved months."""

from datetime import date
from decimal import Decimal

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import F, Q
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from documents.models import BackgroundJob, StoredFile
from documents.money import currency_choices


class Activity(models.TextChoices):
    NEEDS_ANALYSIS = "needs_analysis", _("Needs analysis")
    VISIT_PREPARATION = "visit_preparation", _("Visit preparation")
    VISIT = "visit", _("Study or mentoring visit")
    FOLLOW_UP = "follow_up", _("Follow-up")
    ACTION_PLANNING = "action_planning", _("Action planning")
    CONSULTATION = "consultation", _("Consultation or webinar")
    PROJECT_MANAGEMENT = "project_management", _("Project management")
    TRAVEL = "travel", _("Travel")


class TimeEntry(models.Model):
    """Hours one person worked for a programme on one day, on one activity.

    Person, programme and city repeat the timesheet's so that the database can hold the
    uniqueness rules; the services keep them equal.
    """

    timesheet = models.ForeignKey(
        "TimesheetMonth",
        on_delete=models.PROTECT,
        related_name="entries",
        verbose_name=_("monthly timesheet"),
    )
    person = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="time_entries",
        verbose_name=_("person"),
    )
    programme = models.ForeignKey(
        "mentoring.Programme",
        on_delete=models.PROTECT,
        related_name="time_entries",
        verbose_name=_("programme"),
    )
    city = models.ForeignKey(
        "cities.City",
        on_delete=models.PROTECT,
        related_name="time_entries",
        verbose_name=_("city"),
        help_text=_("The beneficiary the person works for."),
    )
    day = models.DateField(_("day"))
    activity = models.CharField(_("activity"), max_length=30, choices=Activity.choices)
    event = models.ForeignKey(
        "mentoring.Event",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="time_entries",
        verbose_name=_("event"),
    )
    hours = models.DecimalField(
        _("hours"),
        max_digits=4,
        decimal_places=1,
        validators=[MinValueValidator(Decimal("0.5")), MaxValueValidator(24)],
        help_text=_("In half-hour steps, e.g. 3.5."),
    )
    description = models.CharField(_("description"), max_length=300, blank=True)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)

    class Meta:
        verbose_name = _("time entry")
        verbose_name_plural = _("time entries")
        ordering = ["day", "activity", "pk"]
        indexes = [
            models.Index(fields=["programme", "city", "day"], name="timeentry_programme_city_day"),
            models.Index(fields=["person", "day"], name="timeentry_person_day"),
        ]
        constraints = [
            models.CheckConstraint(
                condition=Q(hours__gt=0, hours__lte=24), name="timeentry_hours_in_a_day"
            ),
            models.UniqueConstraint(
                fields=["person", "programme", "day", "activity"],
                condition=Q(event__isnull=True),
                name="timeentry_unique_without_event",
            ),
            models.UniqueConstraint(
                fields=["person", "programme", "day", "activity", "event"],
                condition=Q(event__isnull=False),
                name="timeentry_unique_with_event",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.person} · {self.day} · {self.get_activity_display()} · {self.hours} h"

    @property
    def month(self) -> date:
        return self.day.replace(day=1)


class MonthStatus(models.TextChoices):
    OPEN = "open", _("Open")
    SUBMITTED = "submitted", _("Submitted")
    RETURNED = "returned", _("Returned for changes")
    APPROVED = "approved", _("Approved and locked")


class TimesheetMonth(models.Model):
    """One person's timesheet for one month of a programme: submitted (signed) by the person,
    approved (countersigned) by a supervisor of the city, then locked.

    The rate in force is copied here when the month is approved, so that a later change of the
    person's annual costs never changes approved figures.
    """

    person = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="timesheet_months",
        verbose_name=_("person"),
    )
    programme = models.ForeignKey(
        "mentoring.Programme",
        on_delete=models.PROTECT,
        related_name="timesheet_months",
        verbose_name=_("programme"),
    )
    city = models.ForeignKey(
        "cities.City",
        on_delete=models.PROTECT,
        related_name="timesheet_months",
        verbose_name=_("city"),
    )
    month = models.DateField(_("month"), help_text=_("The first day of the month."))
    status = models.CharField(
        _("status"), max_length=10, choices=MonthStatus.choices, default=MonthStatus.OPEN
    )
    submitted_at = models.DateTimeField(_("signed by the person at"), null=True, blank=True)
    approved_at = models.DateTimeField(_("signed by the supervisor at"), null=True, blank=True)
    approved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("approved by"),
    )
    return_comment = models.TextField(_("comment from the supervisor"), blank=True)
    # Frozen on approval.
    hours = models.DecimalField(
        _("approved hours"), max_digits=7, decimal_places=1, null=True, blank=True
    )
    cost_model = models.CharField(_("cost model"), max_length=10, blank=True)
    annual_costs = models.DecimalField(
        _("annual personnel costs"), max_digits=12, decimal_places=2, null=True, blank=True
    )
    working_time_share = models.DecimalField(
        _("working-time share"), max_digits=5, decimal_places=4, null=True, blank=True
    )
    rate = models.DecimalField(
        _("rate used"),
        max_digits=30,
        decimal_places=20,
        null=True,
        blank=True,
        help_text=_("Hourly or daily rate at full precision, as used for this month."),
    )
    costs_currency = models.CharField(
        _("currency of the annual costs"),
        max_length=3,
        blank=True,
        help_text=_("Empty: the programme's currency."),
    )
    exchange_rate = models.DecimalField(
        _("exchange rate used"),
        max_digits=24,
        decimal_places=12,
        null=True,
        blank=True,
        help_text=_("Units of the programme's currency for one unit of the costs' currency."),
    )
    # A month kept on paper before the city used Tandem, brought in from a file: signed by the
    # person on paper, it waits for a supervisor's approval in Tandem like any signed month.
    imported_at = models.DateTimeField(_("imported at"), null=True, blank=True)
    imported_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("imported by"),
    )
    imported_from = models.CharField(_("imported from the file"), max_length=255, blank=True)
    imported_sha256 = models.CharField(
        _("checksum of the imported file"),
        max_length=64,
        blank=True,
        help_text=_("SHA-256 of the file, when known."),
    )

    class Meta:
        verbose_name = _("monthly timesheet")
        verbose_name_plural = _("monthly timesheets")
        ordering = ["-month", "person__full_name"]
        indexes = [
            # A programme's months by status and city, with their hours: the dashboards add up
            # approved hours from the index alone and find the months not approved yet.
            models.Index(
                fields=["programme", "status", "city", "hours"],
                name="timesheetmonth_status_hours",
            ),
        ]
        constraints = [
            models.UniqueConstraint(
                fields=["person", "programme", "city", "month"], name="timesheetmonth_unique"
            ),
            models.CheckConstraint(
                condition=Q(month__day=1), name="timesheetmonth_month_is_first_day"
            ),
            models.CheckConstraint(
                condition=~Q(status="approved")
                | Q(
                    approved_at__isnull=False,
                    approved_by__isnull=False,
                    rate__isnull=False,
                    hours__isnull=False,
                ),
                name="timesheetmonth_approved_is_signed_and_priced",
            ),
            models.CheckConstraint(
                condition=~Q(approved_by=F("person")),
                name="timesheetmonth_not_approved_by_the_person",
            ),
            models.CheckConstraint(
                condition=Q(costs_currency="") | Q(exchange_rate__gt=0),
                name="timesheetmonth_other_currency_has_its_exchange_rate",
            ),
            models.CheckConstraint(
                condition=Q(
                    imported_at__isnull=True,
                    imported_by__isnull=True,
                    imported_from="",
                    imported_sha256="",
                )
                | (Q(imported_at__isnull=False, imported_by__isnull=False) & ~Q(imported_from="")),
                name="timesheetmonth_import_names_who_when_and_file",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.person} · {self.month:%Y-%m} · {self.programme}"

    def get_absolute_url(self) -> str:
        return reverse("reporting:month", kwargs={"pk": self.pk})

    @property
    def exact_rate(self) -> Decimal | None:
        """The rate at full precision in the programme's currency, from the figures frozen on
        approval (and the programme's cost model, fixed once a month is approved). The ``rate``
        column keeps 20 decimal places on PostgreSQL but only a float's precision on SQLite, so
        every calculation starts from the exact annual costs, share and exchange rate instead."""
        if self.annual_costs is None or self.working_time_share is None:
            return None
        from .costs import CostFigures, rate_for

        rate = rate_for(
            self.cost_model,
            self.annual_costs,
            self.working_time_share,
            CostFigures.of(self.programme),
        )
        return rate * self.exchange_rate if self.costs_currency else rate

    @property
    def shown_costs_currency(self) -> str:
        """The currency the annual costs were given in."""
        return self.costs_currency or self.programme.currency

    @property
    def is_imported(self) -> bool:
        """Brought in from a paper timesheet kept before the city used Tandem."""
        return self.imported_at is not None

    @property
    def is_locked(self) -> bool:
        """Entries of a submitted or approved month cannot change."""
        return self.status in (MonthStatus.SUBMITTED, MonthStatus.APPROVED)


class TimesheetAction(models.TextChoices):
    SUBMITTED = "submitted", _("Signed and submitted")
    APPROVED = "approved", _("Approved")
    RETURNED = "returned", _("Returned for changes")
    REOPENED = "reopened", _("Reopened")
    IMPORTED = "imported", _("Imported, signed on paper")


class TimesheetLog(models.Model):
    """Every signature and decision on a monthly timesheet: who, when, why. Never edited."""

    month = models.ForeignKey(
        TimesheetMonth, on_delete=models.CASCADE, related_name="log", verbose_name=_("month")
    )
    action = models.CharField(_("action"), max_length=10, choices=TimesheetAction.choices)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("by"),
    )
    at = models.DateTimeField(_("at"), auto_now_add=True)
    comment = models.TextField(_("comment or reason"), blank=True)
    ip_address = models.GenericIPAddressField(_("IP address"), null=True, blank=True)
    details = models.JSONField(
        _("figures at the time"),
        default=dict,
        blank=True,
        help_text=_("Hours and rate approved, or the figures a reopening set aside."),
    )

    class Meta:
        verbose_name = _("timesheet log entry")
        verbose_name_plural = _("timesheet log")
        ordering = ["at", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=~Q(action__in=["returned", "reopened"]) | ~Q(comment=""),
                name="timesheetlog_return_and_reopen_have_a_reason",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_action_display()} · {self.actor} · {self.at:%Y-%m-%d %H:%M}"


class StaffRate(models.Model):
    """A person's annual personnel costs and working-time share for one year, with one city."""

    person = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="staff_rates",
        verbose_name=_("person"),
    )
    city = models.ForeignKey(
        "cities.City",
        on_delete=models.PROTECT,
        related_name="staff_rates",
        verbose_name=_("city"),
    )
    year = models.PositiveSmallIntegerField(
        _("year"), validators=[MinValueValidator(2000), MaxValueValidator(2100)]
    )
    annual_costs = models.DecimalField(
        _("annual personnel costs"),
        max_digits=12,
        decimal_places=2,
        validators=[MinValueValidator(Decimal("0.01"))],
        help_text=_("Gross salary plus compulsory social contributions for the year."),
    )
    working_time_share = models.DecimalField(
        _("working-time share"),
        max_digits=5,
        decimal_places=4,
        default=Decimal(1),
        validators=[MinValueValidator(Decimal("0.01")), MaxValueValidator(1)],
        help_text=_("1 for full time, 0.5 for half time."),
    )
    currency = models.CharField(
        _("currency of the annual costs"),
        max_length=3,
        blank=True,
        choices=currency_choices,
        help_text=_(
            "Leave empty when the costs are in the programme's currency. In another currency, "
            "each month is converted at the programme's exchange rate of that month."
        ),
    )
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("last changed by"),
    )
    updated_at = models.DateTimeField(_("last changed at"), auto_now=True)

    class Meta:
        verbose_name = _("staff rate")
        verbose_name_plural = _("staff rates")
        ordering = ["-year", "person__full_name"]
        constraints = [
            models.UniqueConstraint(fields=["person", "city", "year"], name="staffrate_unique"),
            models.CheckConstraint(
                condition=Q(annual_costs__gt=0), name="staffrate_annual_costs_positive"
            ),
            models.CheckConstraint(
                condition=Q(working_time_share__gt=0, working_time_share__lte=1),
                name="staffrate_working_time_share_is_a_share",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.person} · {self.year}"

    def productive_hours(self, figures) -> Decimal:
        """The most hours the person may declare in the year under a programme's cost model
        (reporting.costs.Rates)."""
        from .costs import Rates

        return Rates(self.annual_costs, self.working_time_share, figures).productive_hours


class OtherGrantHours(models.Model):
    """The hours a person works in a year in another EU-funded project (another grant), as they
    declare them. Their hours signed in Tandem and these together may not exceed their
    productive hours of the year: signing a month that would is refused
    (services.month_submit)."""

    person = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="other_grant_hours",
        verbose_name=_("person"),
    )
    year = models.PositiveSmallIntegerField(
        _("year"), validators=[MinValueValidator(2000), MaxValueValidator(2100)]
    )
    project = models.CharField(
        _("project"),
        max_length=200,
        help_text=_(
            "The other grant's name and reference, e.g. Interreg Baltic Sea Region – BSR-123."
        ),
    )
    hours = models.DecimalField(
        _("hours in the year"),
        max_digits=7,
        decimal_places=1,
        # A year has at most 8,784 hours: more is a slip of the keyboard.
        validators=[MinValueValidator(Decimal("0.1")), MaxValueValidator(8784)],
        help_text=_("The hours you work in that project in the year, e.g. 120 or 87.5."),
    )
    note = models.TextField(_("note"), blank=True)
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("last changed by"),
    )
    updated_at = models.DateTimeField(_("last changed at"), auto_now=True)

    class Meta:
        verbose_name = _("hours in another grant")
        verbose_name_plural = _("hours in other grants")
        ordering = ["-year", "project", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["person", "year", "project"], name="othergranthours_unique"
            ),
            models.CheckConstraint(condition=Q(hours__gt=0), name="othergranthours_hours_positive"),
        ]

    def __str__(self) -> str:
        return f"{self.person} · {self.year} · {self.project}"


class ExchangeRate(models.Model):
    """What one unit of a currency is worth in a programme's currency in a month, as its
    coordinators keep it. An approved month copies the rate it used, so later changes here
    never change approved figures."""

    programme = models.ForeignKey(
        "mentoring.Programme",
        on_delete=models.CASCADE,
        related_name="exchange_rates",
        verbose_name=_("programme"),
    )
    currency = models.CharField(_("currency"), max_length=3, choices=currency_choices)
    month = models.DateField(_("month"), help_text=_("The first day of the month."))
    rate = models.DecimalField(
        _("rate"),
        max_digits=24,
        decimal_places=12,
        validators=[MinValueValidator(Decimal("0.000000000001"))],
        help_text=_("Units of the programme's currency for one unit of this currency."),
    )
    source = models.CharField(
        _("source"),
        max_length=200,
        help_text=_("Where the rate comes from, e.g. the European Commission's InforEuro."),
    )
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("last changed by"),
    )
    updated_at = models.DateTimeField(_("last changed at"), auto_now=True)

    class Meta:
        verbose_name = _("exchange rate")
        verbose_name_plural = _("exchange rates")
        ordering = ["-month", "currency"]
        constraints = [
            models.UniqueConstraint(
                fields=["programme", "currency", "month"], name="exchangerate_unique"
            ),
            models.CheckConstraint(condition=Q(rate__gt=0), name="exchangerate_rate_positive"),
            models.CheckConstraint(
                condition=Q(month__day=1), name="exchangerate_month_is_first_day"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.programme} · {self.currency} · {self.month:%Y-%m}"


class StaffCostReport(BackgroundJob):
    """A staff-cost report for one city or all cities of a programme over a period, built by a
    Celery job as PDF, CSV and XLSX from approved months only."""

    programme = models.ForeignKey(
        "mentoring.Programme",
        on_delete=models.CASCADE,
        related_name="staff_cost_reports",
        verbose_name=_("programme"),
    )
    city = models.ForeignKey(
        "cities.City",
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="staff_cost_reports",
        verbose_name=_("city"),
        help_text=_("Leave empty for every city of the programme."),
    )
    first_month = models.DateField(_("from month"))
    last_month = models.DateField(_("to month"))
    language = models.CharField(_("language"), max_length=10, default="en")
    pdf = models.ForeignKey(
        StoredFile, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    csv = models.ForeignKey(
        StoredFile, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    xlsx = models.ForeignKey(
        StoredFile, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )

    class Meta(BackgroundJob.Meta):
        verbose_name = _("staff-cost report")
        verbose_name_plural = _("staff-cost reports")
        ordering = ["-requested_at"]
        constraints = [
            *BackgroundJob.Meta.constraints,
            models.CheckConstraint(
                condition=Q(last_month__gte=F("first_month")),
                name="staffcostreport_period_in_order",
            ),
            models.CheckConstraint(
                condition=Q(first_month__day=1, last_month__day=1),
                name="staffcostreport_months_are_first_days",
            ),
        ]

    def __str__(self) -> str:
        scope = self.city.name if self.city_id else _("all cities")
        return f"{self.programme} · {scope} · {self.first_month:%Y-%m}–{self.last_month:%Y-%m}"

    def get_absolute_url(self) -> str:
        return reverse("reporting:report", kwargs={"pk": self.pk})

    def files(self) -> dict[str, StoredFile | None]:
        return {"pdf": self.pdf, "csv": self.csv, "xlsx": self.xlsx}


class TimesheetPdf(models.Model):
    """An approved month's timesheet laid out once as a tagged PDF of its own (its pages in a
    city's staff-cost report), in one language and time zone.

    An approved month never changes; what the page shows is fixed by the HTML it was laid out
    from, whose checksum (``digest``) is the key: the same month asked for again in the same
    language, zone and template finds it, and anything that changes the page (a reopened and
    re-approved month, a renamed person, a new template) makes another one. The month's files
    go when it is reopened."""

    sheet = models.ForeignKey(
        TimesheetMonth,
        on_delete=models.CASCADE,
        related_name="pdfs",
        verbose_name=_("monthly timesheet"),
    )
    approved_at = models.DateTimeField(_("approval it shows"))
    language = models.CharField(_("language"), max_length=10)
    digest = models.CharField(_("checksum of the HTML laid out"), max_length=64)
    pages = models.PositiveSmallIntegerField(_("pages"))
    file = models.ForeignKey(StoredFile, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)

    class Meta:
        verbose_name = _("laid-out timesheet")
        verbose_name_plural = _("laid-out timesheets")
        constraints = [
            models.UniqueConstraint(fields=["digest"], name="timesheetpdf_one_per_digest"),
        ]

    def __str__(self) -> str:
        return f"{self.sheet_id} · {self.language} · {self.digest[:12]}"
