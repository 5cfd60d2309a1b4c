"""Claims: what a city asks the programme to pay for a reporting period, and what a controller
certifies of it.

A claim gathers the city's approved staff months of the period (their figures frozen on the claim
when it is submitted), the expenditure its officers enter with their receipts, and the flat rates
the programme's cost options add on staff costs. A controller assigned to the city and period
samples its lines, records what is certified or deducted and why, answers the programme's
checklist and issues a certificate. Coordinators record audits and their corrections.

Every amount is kept at full precision and computed by ``claims.arithmetic``; lines keep the
inputs (hours, annual costs, quantity, unit amount, exchange rate), not rounded results.
"""

from decimal import Decimal

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import F, Q
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from documents.models import BackgroundJob, StoredFile
from documents.money import currency_choices


class Category(models.TextChoices):
    """Cost categories, as EU and most other grant programmes name them."""

    STAFF = "staff", _("Staff costs")
    OFFICE = "office", _("Office and administration")
    TRAVEL = "travel", _("Travel and accommodation")
    EXPERTISE = "expertise", _("External expertise and services")
    EQUIPMENT = "equipment", _("Equipment")
    OTHER = "other", _("Other costs")


# Categories an officer enters expenditure in (staff costs come from approved months; office and
# administration from a flat rate).
EXPENDITURE_CATEGORIES = (
    Category.TRAVEL,
    Category.EXPERTISE,
    Category.EQUIPMENT,
    Category.OTHER,
)


class ClaimRules(models.Model):
    """A programme's rules for claims that are not periods, cost options or checklists."""

    programme = models.OneToOneField(
        "mentoring.Programme",
        on_delete=models.CASCADE,
        related_name="claim_rules",
        verbose_name=_("programme"),
    )
    burn_warning_percent = models.PositiveSmallIntegerField(
        _("warn when a city has claimed this share of a budget (%)"),
        default=80,
        validators=[MinValueValidator(1), MaxValueValidator(100)],
    )
    sample_percent = models.PositiveSmallIntegerField(
        _("share of lines a controller samples by default (%)"),
        default=100,
        validators=[MinValueValidator(1), MaxValueValidator(100)],
    )

    class Meta:
        verbose_name = _("claim rules")
        verbose_name_plural = _("claim rules")
        constraints = [
            models.CheckConstraint(
                condition=Q(burn_warning_percent__gte=1, burn_warning_percent__lte=100),
                name="claimrules_burn_warning_is_a_percentage",
            ),
            models.CheckConstraint(
                condition=Q(sample_percent__gte=1, sample_percent__lte=100),
                name="claimrules_sample_is_a_percentage",
            ),
        ]

    def __str__(self) -> str:
        return str(self.programme)


class ReportingPeriod(models.Model):
    """A stretch of a programme (e.g. six months) that cities claim for, with a deadline."""

    programme = models.ForeignKey(
        "mentoring.Programme",
        on_delete=models.CASCADE,
        related_name="reporting_periods",
        verbose_name=_("programme"),
    )
    number = models.PositiveSmallIntegerField(_("number"))
    starts_on = models.DateField(_("starts on"))
    ends_on = models.DateField(_("ends on"))
    deadline = models.DateField(_("claims due by"))

    class Meta:
        verbose_name = _("reporting period")
        verbose_name_plural = _("reporting periods")
        ordering = ["programme", "number"]
        constraints = [
            models.UniqueConstraint(
                fields=["programme", "number"], name="reportingperiod_unique_number"
            ),
            models.CheckConstraint(
                condition=Q(ends_on__gte=F("starts_on")), name="reportingperiod_in_order"
            ),
            models.CheckConstraint(
                condition=Q(deadline__gte=F("ends_on")),
                name="reportingperiod_deadline_after_its_end",
            ),
        ]

    def __str__(self) -> str:
        return _("Period %(number)s (%(start)s – %(end)s)") % {
            "number": self.number,
            "start": self.starts_on.isoformat(),
            "end": self.ends_on.isoformat(),
        }


class CostOptionKind(models.TextChoices):
    UNIT = "unit", _("Unit cost")
    LUMP_SUM = "lump_sum", _("Lump sum")
    FLAT_RATE = "flat_rate", _("Flat rate on staff costs")


class CostOption(models.Model):
    """A simplified cost option of a programme. Expenditure without one is claimed at real cost.

    A unit cost is an amount per unit (a day of a study visit); a lump sum a fixed amount for a
    deliverable; a flat rate a share of the claim's staff costs, added to every claim of the
    programme by itself (and a category covered by a flat rate takes no real costs)."""

    programme = models.ForeignKey(
        "mentoring.Programme",
        on_delete=models.CASCADE,
        related_name="cost_options",
        verbose_name=_("programme"),
    )
    name = models.CharField(_("name"), max_length=200)
    kind = models.CharField(_("kind"), max_length=10, choices=CostOptionKind.choices)
    category = models.CharField(_("category"), max_length=12, choices=Category.choices)
    amount = models.DecimalField(
        _("amount"),
        max_digits=14,
        decimal_places=2,
        null=True,
        blank=True,
        help_text=_("Per unit, or the lump sum, in the programme's currency."),
    )
    unit = models.CharField(
        _("unit"),
        max_length=100,
        blank=True,
        help_text=_("What one unit is, e.g. a day of a visit."),
    )
    rate = models.DecimalField(
        _("flat rate"),
        max_digits=5,
        decimal_places=4,
        null=True,
        blank=True,
        validators=[MinValueValidator(Decimal("0.0001")), MaxValueValidator(1)],
        help_text=_("Share of staff costs, e.g. 0.15 for 15%."),
    )
    active = models.BooleanField(_("in use"), default=True)

    class Meta:
        verbose_name = _("cost option")
        verbose_name_plural = _("cost options")
        ordering = ["programme", "kind", "name"]
        constraints = [
            models.UniqueConstraint(fields=["programme", "name"], name="costoption_unique_name"),
            models.CheckConstraint(
                condition=~Q(category="staff"), name="costoption_not_on_staff_costs"
            ),
            models.CheckConstraint(
                condition=(
                    Q(kind="unit", amount__gt=0, rate__isnull=True) & ~Q(unit="")
                    | Q(kind="lump_sum", amount__gt=0, rate__isnull=True)
                    | Q(kind="flat_rate", amount__isnull=True, rate__gt=0, rate__lte=1)
                ),
                name="costoption_kind_has_its_figures",
            ),
        ]

    def __str__(self) -> str:
        return self.name


class CityBudget(models.Model):
    """What a city may claim in a category over the whole programme."""

    programme = models.ForeignKey(
        "mentoring.Programme",
        on_delete=models.CASCADE,
        related_name="city_budgets",
        verbose_name=_("programme"),
    )
    city = models.ForeignKey(
        "cities.City", on_delete=models.CASCADE, related_name="budgets", verbose_name=_("city")
    )
    category = models.CharField(_("category"), max_length=12, choices=Category.choices)
    amount = models.DecimalField(
        _("budget"), max_digits=14, decimal_places=2, validators=[MinValueValidator(0)]
    )

    class Meta:
        verbose_name = _("city budget")
        verbose_name_plural = _("city budgets")
        ordering = ["programme", "city__name", "category"]
        constraints = [
            models.UniqueConstraint(
                fields=["programme", "city", "category"], name="citybudget_unique"
            ),
            models.CheckConstraint(condition=Q(amount__gte=0), name="citybudget_not_negative"),
        ]

    def __str__(self) -> str:
        return f"{self.city} · {self.get_category_display()}"


class ControlAssignment(models.Model):
    """A controller's access to one city's claim for one period, from one day to another. After
    ``ends_on`` (in the controller's zone) they see nothing of it."""

    controller = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="control_assignments",
        verbose_name=_("controller"),
    )
    programme = models.ForeignKey(
        "mentoring.Programme",
        on_delete=models.CASCADE,
        related_name="control_assignments",
        verbose_name=_("programme"),
    )
    city = models.ForeignKey(
        "cities.City",
        on_delete=models.CASCADE,
        related_name="control_assignments",
        verbose_name=_("city"),
    )
    period = models.ForeignKey(
        ReportingPeriod,
        on_delete=models.CASCADE,
        related_name="assignments",
        verbose_name=_("period"),
    )
    starts_on = models.DateField(_("from"))
    ends_on = models.DateField(_("until"))
    assigned_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("assigned by"),
    )
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)

    class Meta:
        verbose_name = _("control assignment")
        verbose_name_plural = _("control assignments")
        ordering = ["-starts_on", "city__name"]
        constraints = [
            models.UniqueConstraint(
                fields=["controller", "city", "period"], name="controlassignment_unique"
            ),
            models.CheckConstraint(
                condition=Q(ends_on__gte=F("starts_on")), name="controlassignment_in_order"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.controller} · {self.city} · {self.period}"


class ClaimStatus(models.TextChoices):
    DRAFT = "draft", _("Draft")
    SUBMITTED = "submitted", _("Submitted")
    VERIFICATION = "verification", _("In verification")
    CERTIFIED = "certified", _("Certified")
    REOPENED = "reopened", _("Reopened")


EDITABLE = (ClaimStatus.DRAFT, ClaimStatus.REOPENED)


class Claim(models.Model):
    """One city's claim for one reporting period of a programme."""

    programme = models.ForeignKey(
        "mentoring.Programme",
        on_delete=models.PROTECT,
        related_name="claims",
        verbose_name=_("programme"),
    )
    city = models.ForeignKey(
        "cities.City", on_delete=models.PROTECT, related_name="claims", verbose_name=_("city")
    )
    period = models.ForeignKey(
        ReportingPeriod, on_delete=models.PROTECT, related_name="claims", verbose_name=_("period")
    )
    status = models.CharField(
        _("status"), max_length=12, choices=ClaimStatus.choices, default=ClaimStatus.DRAFT
    )
    version = models.PositiveIntegerField(
        _("version"), default=1, help_text=_("Counts changes, so that a stale save is refused.")
    )
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    submitted_at = models.DateTimeField(_("submitted at"), null=True, blank=True)
    submitted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("submitted by"),
    )
    # Frozen on submission: the claim's own snapshot of the programme's frame.
    currency = models.CharField(_("currency"), max_length=3, blank=True)
    co_financing_rate = models.DecimalField(
        _("co-financing rate"),
        max_digits=5,
        decimal_places=4,
        null=True,
        blank=True,
        help_text=_("The city's own share of eligible costs when the claim was submitted."),
    )
    reopen_reason = models.TextField(_("why it was reopened"), blank=True)

    class Meta:
        verbose_name = _("claim")
        verbose_name_plural = _("claims")
        ordering = ["-period__starts_on", "city__name"]
        constraints = [
            models.UniqueConstraint(
                fields=["city", "period"], name="claim_one_per_city_and_period"
            ),
            models.CheckConstraint(
                condition=Q(status="draft")
                | Q(submitted_at__isnull=False, submitted_by__isnull=False),
                name="claim_submitted_is_signed",
            ),
            models.CheckConstraint(
                condition=~Q(status="reopened") | ~Q(reopen_reason=""),
                name="claim_reopened_has_a_reason",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.city} · {self.period}"

    def get_absolute_url(self) -> str:
        return reverse("claims:claim", kwargs={"pk": self.pk})

    @property
    def is_editable(self) -> bool:
        return self.status in EDITABLE


class LineKind(models.TextChoices):
    STAFF = "staff", _("Staff costs of an approved month")
    REAL = "real", _("Real cost")
    UNIT = "unit", _("Unit cost")
    LUMP_SUM = "lump_sum", _("Lump sum")
    FLAT_RATE = "flat_rate", _("Flat rate")


class ErrorType(models.TextChoices):
    INELIGIBLE = "ineligible", _("Ineligible expenditure")
    NO_PROOF_OF_PAYMENT = "no_payment_proof", _("No proof of payment")
    NO_INVOICE = "no_invoice", _("Invoice missing or invalid")
    HOURS_OVER_CAP = "hours_over_cap", _("Hours over the cap")
    WRONG_RATE = "wrong_rate", _("Wrong rate")
    OUTSIDE_PERIOD = "outside_period", _("Outside the period")
    PROCUREMENT = "procurement", _("Public procurement not followed")
    DOUBLE_FUNDING = "double_funding", _("Claimed twice or funded elsewhere")
    ARITHMETIC = "arithmetic", _("Calculation error")
    OTHER = "other", _("Other")


class ClaimLine(models.Model):
    """One line of a claim. A staff line is one approved month, its figures copied when the
    claim is submitted; an expenditure line is what an officer enters, with its receipt; a
    flat-rate line is added by the claim itself from a cost option. The amount claimed is
    computed from the inputs kept here (``claims.arithmetic``), never stored rounded."""

    claim = models.ForeignKey(
        Claim, on_delete=models.CASCADE, related_name="lines", verbose_name=_("claim")
    )
    kind = models.CharField(_("kind"), max_length=10, choices=LineKind.choices)
    category = models.CharField(_("category"), max_length=12, choices=Category.choices)
    cost_option = models.ForeignKey(
        CostOption,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="lines",
        verbose_name=_("cost option"),
    )
    # Staff: the approved month and its frozen figures.
    timesheet_month = models.ForeignKey(
        "reporting.TimesheetMonth",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="claim_lines",
        verbose_name=_("monthly timesheet"),
    )
    person = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("person"),
    )
    month = models.DateField(_("month"), null=True, blank=True)
    hours = models.DecimalField(_("hours"), max_digits=7, decimal_places=1, null=True, blank=True)
    cost_model = models.CharField(_("cost model"), max_length=10, blank=True)
    annual_costs = models.DecimalField(
        _("annual personnel costs"), max_digits=12, decimal_places=2, null=True, blank=True
    )
    working_time_share = models.DecimalField(
        _("working-time share"), max_digits=5, decimal_places=4, null=True, blank=True
    )
    # Unit costs and lump sums: how many, at what amount (frozen from the cost option).
    quantity = models.DecimalField(
        _("quantity"),
        max_digits=10,
        decimal_places=2,
        null=True,
        blank=True,
        validators=[MinValueValidator(Decimal("0.01"))],
    )
    unit_amount = models.DecimalField(
        _("amount per unit"), max_digits=14, decimal_places=2, null=True, blank=True
    )
    # Flat rates: the share of staff costs (frozen from the cost option).
    flat_rate = models.DecimalField(
        _("flat rate"), max_digits=5, decimal_places=4, null=True, blank=True
    )
    # Expenditure at real cost.
    supplier = models.CharField(_("supplier"), max_length=200, blank=True)
    invoice_number = models.CharField(_("invoice number"), max_length=100, blank=True)
    invoice_date = models.DateField(_("invoice date"), null=True, blank=True)
    payment_date = models.DateField(_("payment date"), null=True, blank=True)
    net_amount = models.DecimalField(
        _("amount"),
        max_digits=14,
        decimal_places=2,
        null=True,
        blank=True,
        validators=[MinValueValidator(Decimal("0.01"))],
        help_text=_("Without recoverable VAT, in the invoice's currency."),
    )
    vat = models.DecimalField(
        _("VAT not recoverable"),
        max_digits=14,
        decimal_places=2,
        default=Decimal(0),
        validators=[MinValueValidator(0)],
        help_text=_("Only VAT the city cannot get back is eligible."),
    )
    currency = models.CharField(_("currency"), max_length=3, blank=True, choices=currency_choices)
    exchange_rate = models.DecimalField(
        _("exchange rate"),
        max_digits=24,
        decimal_places=12,
        null=True,
        blank=True,
        help_text=_(
            "Units of the programme's currency for one unit of the invoice's (or the annual "
            "costs') currency, frozen when the claim is submitted."
        ),
    )
    event = models.ForeignKey(
        "mentoring.Event",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="claim_lines",
        verbose_name=_("visit"),
    )
    attendance = models.ForeignKey(
        "mentoring.Attendance",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="claim_lines",
        verbose_name=_("attendance that proves the trip"),
    )
    receipt = models.ForeignKey(
        StoredFile,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("receipt"),
    )
    receipt_name = models.CharField(_("receipt's file name"), max_length=255, blank=True)
    description = models.CharField(_("description"), max_length=500, blank=True)
    carried_from = models.ForeignKey(
        "self",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("parked in the claim"),
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("entered by"),
    )
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)
    # Verification.
    sampled = models.BooleanField(_("in the sample"), default=False)
    verified_at = models.DateTimeField(_("verified at"), null=True, blank=True)
    verified_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("verified by"),
    )
    deducted = models.DecimalField(
        _("amount deducted"),
        max_digits=14,
        decimal_places=2,
        null=True,
        blank=True,
        validators=[MinValueValidator(0)],
        help_text=_("In the programme's currency."),
    )
    error_type = models.CharField(
        _("type of error"), max_length=20, choices=ErrorType.choices, blank=True
    )
    control_comment = models.TextField(_("controller's comment"), blank=True)
    parked = models.BooleanField(_("parked for a later claim"), default=False)

    class Meta:
        verbose_name = _("claim line")
        verbose_name_plural = _("claim lines")
        ordering = ["claim", "category", "kind", "month", "invoice_date", "pk"]
        indexes = [models.Index(fields=["claim", "kind"], name="claimline_claim_kind")]
        constraints = [
            models.UniqueConstraint(
                fields=["timesheet_month"],
                condition=Q(timesheet_month__isnull=False),
                name="claimline_month_claimed_once",
            ),
            models.CheckConstraint(
                condition=~Q(kind="staff")
                | Q(timesheet_month__isnull=False, category="staff", hours__isnull=False),
                name="claimline_staff_is_a_month",
            ),
            models.CheckConstraint(
                condition=~Q(kind="real")
                | (Q(net_amount__gt=0, cost_option__isnull=True) & ~Q(currency="")),
                name="claimline_real_has_an_amount",
            ),
            models.CheckConstraint(
                condition=~Q(kind__in=["unit", "lump_sum"])
                | Q(cost_option__isnull=False, quantity__gt=0, unit_amount__gt=0),
                name="claimline_simplified_has_its_option",
            ),
            models.CheckConstraint(
                condition=~Q(kind="flat_rate") | Q(cost_option__isnull=False, flat_rate__gt=0),
                name="claimline_flat_rate_has_its_rate",
            ),
            models.CheckConstraint(
                condition=Q(deducted__isnull=True) | Q(deducted__gte=0),
                name="claimline_deduction_not_negative",
            ),
            models.CheckConstraint(
                condition=Q(deducted__isnull=True) | Q(deducted=0) | ~Q(error_type=""),
                name="claimline_deduction_has_an_error_type",
            ),
        ]

    def __str__(self) -> str:
        if self.kind == LineKind.STAFF:
            return f"{self.person} · {self.month:%Y-%m}" if self.month else str(self.person)
        return self.description or self.supplier or self.get_kind_display()


class ChecklistKind(models.TextChoices):
    YES_NO = "yes_no", _("Yes or no")
    TEXT = "text", _("Text")
    SCORE = "score", _("Score")


class AutoCheck(models.TextChoices):
    """Staff-cost checks Tandem answers itself from its own records."""

    PRODUCTIVE_HOURS = (
        "productive_hours",
        _("Hours per person and year within their productive hours"),
    )
    MONTHS_SIGNED = "months_signed", _("Each month signed by the person and a supervisor")
    RATE_FROM_COSTS = "rate_from_costs", _("Each rate computed from the year's annual costs")
    NO_DAY_TWICE = "no_day_twice", _("No day claimed twice")


class ChecklistQuestion(models.Model):
    """A question of a programme's verification checklist."""

    programme = models.ForeignKey(
        "mentoring.Programme",
        on_delete=models.CASCADE,
        related_name="checklist_questions",
        verbose_name=_("programme"),
    )
    position = models.PositiveSmallIntegerField(_("position"), default=0)
    text = models.CharField(_("question"), max_length=500)
    kind = models.CharField(_("answer"), max_length=10, choices=ChecklistKind.choices)
    max_score = models.PositiveSmallIntegerField(
        _("highest score"), null=True, blank=True, validators=[MinValueValidator(1)]
    )
    auto_check = models.CharField(
        _("answered by Tandem"), max_length=20, choices=AutoCheck.choices, blank=True
    )

    class Meta:
        verbose_name = _("checklist question")
        verbose_name_plural = _("checklist questions")
        ordering = ["programme", "position", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=~Q(kind="score") | Q(max_score__gte=1),
                name="checklistquestion_score_has_a_maximum",
            ),
            models.CheckConstraint(
                condition=Q(auto_check="") | Q(kind="yes_no"),
                name="checklistquestion_automatic_is_yes_no",
            ),
        ]

    def __str__(self) -> str:
        return self.text


class Verification(models.Model):
    """A controller's verification of a claim: the sample drawn, and the certificate."""

    class SampleMethod(models.TextChoices):
        ALL = "all", _("Every line")
        RANDOM = "random", _("A random share")
        RISK = "risk", _("A risk-based share (largest amounts first)")

    claim = models.OneToOneField(
        Claim, on_delete=models.CASCADE, related_name="verification", verbose_name=_("claim")
    )
    controller = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("controller"),
    )
    started_at = models.DateTimeField(_("started at"), auto_now_add=True)
    sample_method = models.CharField(
        _("sample"), max_length=10, choices=SampleMethod.choices, blank=True
    )
    sample_percent = models.PositiveSmallIntegerField(
        _("share sampled (%)"),
        null=True,
        blank=True,
        validators=[MinValueValidator(1), MaxValueValidator(100)],
    )
    sample_seed = models.CharField(_("random seed"), max_length=64, blank=True)
    sample_reason = models.TextField(_("why this sample"), blank=True)
    sampled_at = models.DateTimeField(_("sampled at"), null=True, blank=True)
    conclusion = models.TextField(_("conclusion"), blank=True)
    certified_at = models.DateTimeField(_("certified at"), null=True, blank=True)
    certified_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("certified by"),
    )
    certificate = models.ForeignKey(
        StoredFile,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("certificate"),
    )

    class Meta:
        verbose_name = _("verification")
        verbose_name_plural = _("verifications")
        constraints = [
            models.CheckConstraint(
                condition=Q(sampled_at__isnull=True) | ~Q(sample_method=""),
                name="verification_sample_has_a_method",
            ),
            models.CheckConstraint(
                condition=~Q(sample_method="random") | ~Q(sample_seed=""),
                name="verification_random_sample_records_its_seed",
            ),
        ]

    def __str__(self) -> str:
        return str(self.claim)


class ChecklistAnswer(models.Model):
    """The answer to one checklist question for one claim. Tandem's own checks keep what they
    found in ``findings``."""

    verification = models.ForeignKey(
        Verification,
        on_delete=models.CASCADE,
        related_name="answers",
        verbose_name=_("verification"),
    )
    question = models.ForeignKey(
        ChecklistQuestion,
        on_delete=models.PROTECT,
        related_name="answers",
        verbose_name=_("question"),
    )
    yes = models.BooleanField(_("yes"), null=True, blank=True)
    text = models.TextField(_("answer"), blank=True)
    score = models.PositiveSmallIntegerField(_("score"), null=True, blank=True)
    findings = models.JSONField(_("what Tandem found"), default=list, blank=True)
    answered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("answered by"),
    )
    answered_at = models.DateTimeField(_("answered at"), auto_now=True)

    class Meta:
        verbose_name = _("checklist answer")
        verbose_name_plural = _("checklist answers")
        ordering = ["question__position", "question__pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["verification", "question"], name="checklistanswer_unique"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.question} · {self.yes if self.yes is not None else self.text or self.score}"


class ClaimAction(models.TextChoices):
    CREATED = "created", _("Started")
    SUBMITTED = "submitted", _("Signed and submitted")
    VERIFICATION = "verification", _("Verification started")
    SAMPLED = "sampled", _("Sample drawn")
    CERTIFIED = "certified", _("Certified")
    REOPENED = "reopened", _("Reopened")
    AUDITED = "audited", _("Audit recorded")


class ClaimLog(models.Model):
    """Every signature and decision on a claim: who, when, from where, with the figures."""

    claim = models.ForeignKey(
        Claim, on_delete=models.CASCADE, related_name="log", verbose_name=_("claim")
    )
    action = models.CharField(_("action"), max_length=12, choices=ClaimAction.choices)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", verbose_name=_("by")
    )
    at = models.DateTimeField(_("at"), auto_now_add=True)
    comment = models.TextField(_("comment or reason"), blank=True)
    ip_address = models.GenericIPAddressField(_("IP address"), null=True, blank=True)
    details = models.JSONField(_("figures at the time"), default=dict, blank=True)

    class Meta:
        verbose_name = _("claim log entry")
        verbose_name_plural = _("claim log")
        ordering = ["at", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=~Q(action="reopened") | ~Q(comment=""),
                name="claimlog_reopen_has_a_reason",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_action_display()} · {self.actor} · {self.at:%Y-%m-%d %H:%M}"


class Audit(models.Model):
    """An audit of a claim after its certification (an audit authority, the Commission, a
    national body): what it found."""

    claim = models.ForeignKey(
        Claim, on_delete=models.PROTECT, related_name="audits", verbose_name=_("claim")
    )
    body = models.CharField(_("audit body"), max_length=200)
    held_on = models.DateField(_("date"))
    findings = models.TextField(_("findings"))
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("recorded by"),
    )
    recorded_at = models.DateTimeField(_("recorded at"), auto_now_add=True)

    class Meta:
        verbose_name = _("audit")
        verbose_name_plural = _("audits")
        ordering = ["-held_on", "-pk"]

    def __str__(self) -> str:
        return f"{self.body} · {self.held_on}"


class Correction(models.Model):
    """A financial correction an audit made: the amount taken off a category of the claim (a
    negative amount gives back)."""

    audit = models.ForeignKey(
        Audit, on_delete=models.CASCADE, related_name="corrections", verbose_name=_("audit")
    )
    line = models.ForeignKey(
        ClaimLine,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="corrections",
        verbose_name=_("line"),
    )
    category = models.CharField(_("category"), max_length=12, choices=Category.choices)
    amount = models.DecimalField(
        _("amount corrected"),
        max_digits=14,
        decimal_places=2,
        help_text=_("Taken off the certified amount, in the programme's currency."),
    )
    description = models.CharField(_("description"), max_length=500)

    class Meta:
        verbose_name = _("correction")
        verbose_name_plural = _("corrections")
        ordering = ["audit", "pk"]
        constraints = [
            models.CheckConstraint(condition=~Q(amount=0), name="correction_not_zero"),
        ]

    def __str__(self) -> str:
        return f"{self.get_category_display()} · {self.amount}"


class EvidencePack(BackgroundJob):
    """The ZIP an auditor asks for: everything behind one claim, with a manifest of checksums.
    The same claim in the same state gives the same pack."""

    claim = models.ForeignKey(
        Claim, on_delete=models.CASCADE, related_name="evidence_packs", verbose_name=_("claim")
    )
    file = models.ForeignKey(
        StoredFile, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    sha256 = models.CharField(_("checksum of the pack"), max_length=64, blank=True)

    class Meta(BackgroundJob.Meta):
        verbose_name = _("evidence pack")
        verbose_name_plural = _("evidence packs")
        ordering = ["-requested_at"]

    def __str__(self) -> str:
        return str(self.claim)

    def get_absolute_url(self) -> str:
        return reverse("claims:pack", kwargs={"pk": self.pk})
