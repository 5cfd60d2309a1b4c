"""Local action plans: what an implementing city commits to, with its council's endorsement,
after learning from its mentor city; its versions, reviews and progress."""

from django.conf import settings
from django.core.validators import MinValueValidator
from django.db import models
from django.db.models import F, Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from documents.models import BackgroundJob, StoredFile


class Stage(models.TextChoices):
    DRAFT = "draft", _("Draft")
    SUBMITTED = "submitted", _("Submitted for review")
    CHANGES_REQUESTED = "changes_requested", _("Changes requested")
    RESUBMITTED = "resubmitted", _("Resubmitted")
    APPROVED = "approved", _("Approved by the city administration")
    ENDORSED = "endorsed", _("Endorsed politically")
    IN_IMPLEMENTATION = "in_implementation", _("In implementation")
    COMPLETED = "completed", _("Completed")


# The order of the stages, for "how far has the plan got" on dashboards.
STAGE_ORDER = [stage.value for stage in Stage]


class Section(models.TextChoices):
    """The parts of a plan that are edited, reviewed and commented on one at a time."""

    CONTEXT = "context", _("Context and baseline")
    OBJECTIVES = "objectives", _("Objectives")
    ACTIONS = "actions", _("Actions")
    INDICATORS = "indicators", _("Indicators")
    RISKS = "risks", _("Risks")
    LOCAL_GROUP = "local_group", _("Local group")
    GENERAL = "general", _("The plan as a whole")


class ActionPlan(models.Model):
    """The implementing city's plan of one pairing."""

    pairing = models.OneToOneField(
        "mentoring.Pairing",
        on_delete=models.CASCADE,
        related_name="action_plan",
        verbose_name=_("pairing"),
    )
    title = models.CharField(_("title"), max_length=200)
    context = models.TextField(_("context and baseline"), blank=True)
    objectives = models.TextField(_("objectives"), blank=True)
    stage = models.CharField(_("stage"), max_length=20, choices=Stage.choices, default=Stage.DRAFT)
    # Optimistic locking: each section's save counter. An editor sends the number they started
    # from; a save from an older number is refused instead of overwriting someone else's work.
    revisions = models.JSONField(_("section revisions"), default=dict, blank=True)
    endorsed_by_body = models.CharField(_("deciding body"), max_length=200, blank=True)
    endorsed_on = models.DateField(_("date of the decision"), null=True, blank=True)
    endorsement_reference = models.CharField(
        _("reference of the decision"), max_length=200, blank=True
    )
    created_at = models.DateTimeField(_("created at"), default=timezone.now)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)

    class Meta:
        verbose_name = _("local action plan")
        verbose_name_plural = _("local action plans")
        ordering = ["pairing"]
        constraints = [
            models.CheckConstraint(
                condition=~Q(stage__in=["endorsed", "in_implementation", "completed"])
                | (
                    Q(endorsed_on__isnull=False)
                    & ~Q(endorsed_by_body="")
                    & ~Q(endorsement_reference="")
                ),
                name="actionplan_endorsement_is_recorded",
            ),
        ]

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return reverse("actionplans:plan", kwargs={"pk": self.pk})

    def revision(self, section: str) -> int:
        return int(self.revisions.get(section, 0))

    @property
    def is_editable_stage(self) -> bool:
        return self.stage in (Stage.DRAFT, Stage.CHANGES_REQUESTED)


class RowFields(models.Model):
    """What every list row of a plan has: its place and its save counter."""

    position = models.PositiveSmallIntegerField(_("position"), default=0)
    revision = models.PositiveIntegerField(_("revision"), default=0)

    class Meta:
        abstract = True
        ordering = ["position", "pk"]


class ActionStatus(models.TextChoices):
    PLANNED = "planned", _("Planned")
    IN_PROGRESS = "in_progress", _("In progress")
    DONE = "done", _("Done")
    DELAYED = "delayed", _("Delayed")
    CANCELLED = "cancelled", _("Cancelled")


class Action(RowFields):
    plan = models.ForeignKey(
        ActionPlan, on_delete=models.CASCADE, related_name="actions", verbose_name=_("plan")
    )
    title = models.CharField(_("title"), max_length=200)
    description = models.TextField(_("description"), blank=True)
    lead_department = models.CharField(_("lead department"), max_length=200, blank=True)
    partners = models.TextField(_("partners"), blank=True, help_text=_("One per line."))
    starts_on = models.DateField(_("starts on"), null=True, blank=True)
    ends_on = models.DateField(_("ends on"), null=True, blank=True)
    cost = models.DecimalField(
        _("cost (EUR)"),
        max_digits=14,
        decimal_places=2,
        null=True,
        blank=True,
        validators=[MinValueValidator(0)],
    )
    funding_source = models.CharField(_("funding source"), max_length=200, blank=True)
    status = models.CharField(
        _("status"), max_length=12, choices=ActionStatus.choices, default=ActionStatus.PLANNED
    )
    recommendations = models.ManyToManyField(
        "mentoring.Recommendation",
        blank=True,
        related_name="actions",
        verbose_name=_("visit recommendations it answers"),
    )
    commitments = models.ManyToManyField(
        "mentoring.Commitment",
        blank=True,
        related_name="actions",
        verbose_name=_("commitments"),
    )

    class Meta(RowFields.Meta):
        verbose_name = _("action")
        verbose_name_plural = _("actions")
        constraints = [
            models.CheckConstraint(
                condition=Q(ends_on__isnull=True)
                | Q(starts_on__isnull=True)
                | Q(ends_on__gte=F("starts_on")),
                name="action_period_in_order",
            ),
            models.CheckConstraint(
                condition=Q(cost__isnull=True) | Q(cost__gte=0), name="action_cost_not_negative"
            ),
        ]

    def __str__(self) -> str:
        return self.title


class IndicatorKind(models.TextChoices):
    OUTPUT = "output", _("Output")
    RESULT = "result", _("Result")


class Indicator(RowFields):
    plan = models.ForeignKey(
        ActionPlan, on_delete=models.CASCADE, related_name="indicators", verbose_name=_("plan")
    )
    name = models.CharField(_("name"), max_length=200)
    kind = models.CharField(
        _("kind"), max_length=10, choices=IndicatorKind.choices, default=IndicatorKind.OUTPUT
    )
    unit = models.CharField(_("unit"), max_length=60)
    baseline = models.DecimalField(_("baseline"), max_digits=14, decimal_places=2)
    target = models.DecimalField(_("target"), max_digits=14, decimal_places=2)

    class Meta(RowFields.Meta):
        verbose_name = _("indicator")
        verbose_name_plural = _("indicators")
        constraints = [
            models.CheckConstraint(
                condition=~Q(target=F("baseline")), name="indicator_target_differs_from_baseline"
            ),
        ]

    def __str__(self) -> str:
        return self.name


class Measurement(models.Model):
    indicator = models.ForeignKey(
        Indicator,
        on_delete=models.CASCADE,
        related_name="measurements",
        verbose_name=_("indicator"),
    )
    measured_on = models.DateField(_("measured on"))
    value = models.DecimalField(_("value"), max_digits=14, decimal_places=2)
    note = models.CharField(_("note"), max_length=300, blank=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("recorded by"),
    )

    class Meta:
        verbose_name = _("measurement")
        verbose_name_plural = _("measurements")
        ordering = ["indicator", "measured_on", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["indicator", "measured_on"], name="measurement_one_per_day"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.indicator}: {self.value} ({self.measured_on})"


class Level(models.TextChoices):
    LOW = "low", _("Low")
    MEDIUM = "medium", _("Medium")
    HIGH = "high", _("High")


class Risk(RowFields):
    plan = models.ForeignKey(
        ActionPlan, on_delete=models.CASCADE, related_name="risks", verbose_name=_("plan")
    )
    description = models.CharField(_("risk"), max_length=300)
    likelihood = models.CharField(_("likelihood"), max_length=6, choices=Level.choices)
    impact = models.CharField(_("impact"), max_length=6, choices=Level.choices)
    mitigation = models.TextField(_("mitigation"), blank=True)

    class Meta(RowFields.Meta):
        verbose_name = _("risk")
        verbose_name_plural = _("risks")

    def __str__(self) -> str:
        return self.description


class Sector(models.TextChoices):
    PUBLIC = "public", _("Public administration")
    BUSINESS = "business", _("Business")
    CIVIL_SOCIETY = "civil_society", _("Civil society")
    MIGRANT_ORGANISATION = "migrant_org", _("Migrant organisation")
    EDUCATION = "education", _("Education and research")
    OTHER = "other", _("Other")


class GroupMember(RowFields):
    """An organisation of the local group that co-produced the plan."""

    plan = models.ForeignKey(
        ActionPlan, on_delete=models.CASCADE, related_name="local_group", verbose_name=_("plan")
    )
    organisation = models.CharField(_("organisation"), max_length=200)
    sector = models.CharField(_("sector"), max_length=15, choices=Sector.choices)

    class Meta(RowFields.Meta):
        verbose_name = _("local group member")
        verbose_name_plural = _("local group members")

    def __str__(self) -> str:
        return self.organisation


class PlanVersion(models.Model):
    """The plan as it was submitted: frozen, numbered, compared with any other version."""

    plan = models.ForeignKey(
        ActionPlan, on_delete=models.CASCADE, related_name="versions", verbose_name=_("plan")
    )
    number = models.PositiveSmallIntegerField(_("version"), validators=[MinValueValidator(1)])
    submitted_at = models.DateTimeField(_("submitted at"), default=timezone.now)
    submitted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("submitted by"),
    )
    snapshot = models.JSONField(_("content"), default=dict)

    class Meta:
        verbose_name = _("plan version")
        verbose_name_plural = _("plan versions")
        ordering = ["plan", "number"]
        constraints = [
            models.UniqueConstraint(fields=["plan", "number"], name="planversion_unique_number"),
        ]

    def __str__(self) -> str:
        return f"{self.plan}, v{self.number}"


class PlanComment(models.Model):
    """A reviewer's or author's comment on one section of one version."""

    version = models.ForeignKey(
        PlanVersion, on_delete=models.CASCADE, related_name="comments", verbose_name=_("version")
    )
    section = models.CharField(_("section"), max_length=15, choices=Section.choices)
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", verbose_name=_("by")
    )
    body = models.TextField(_("comment"))
    created_at = models.DateTimeField(_("at"), default=timezone.now)

    class Meta:
        verbose_name = _("plan comment")
        verbose_name_plural = _("plan comments")
        ordering = ["version", "section", "created_at", "pk"]
        constraints = [
            models.CheckConstraint(condition=~Q(body=""), name="plancomment_has_text"),
        ]

    def __str__(self) -> str:
        return f"{self.version}, {self.get_section_display()}"


class Transition(models.Model):
    """One step of the plan's workflow, with who took it and why: its history."""

    plan = models.ForeignKey(
        ActionPlan, on_delete=models.CASCADE, related_name="transitions", verbose_name=_("plan")
    )
    from_stage = models.CharField(_("from"), max_length=20, choices=Stage.choices)
    to_stage = models.CharField(_("to"), max_length=20, choices=Stage.choices)
    by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", verbose_name=_("by")
    )
    at = models.DateTimeField(_("at"), default=timezone.now)
    comment = models.TextField(_("comment"), blank=True)
    version = models.ForeignKey(
        PlanVersion,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("version"),
    )

    class Meta:
        verbose_name = _("plan transition")
        verbose_name_plural = _("plan transitions")
        ordering = ["plan", "at", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=~Q(to_stage="changes_requested") | ~Q(comment=""),
                name="transition_changes_requested_say_what",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.plan}: {self.from_stage} → {self.to_stage}"


class PlanPdf(BackgroundJob):
    """A PDF of one version of a plan, built by the documents pipeline."""

    version = models.ForeignKey(
        PlanVersion, on_delete=models.CASCADE, related_name="pdfs", verbose_name=_("version")
    )
    language = models.CharField(_("language"), max_length=10, default="en")
    pdf = models.ForeignKey(
        StoredFile, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )

    class Meta(BackgroundJob.Meta):
        verbose_name = _("plan PDF")
        verbose_name_plural = _("plan PDFs")
        ordering = ["-requested_at"]
        constraints = [
            *BackgroundJob.Meta.constraints,
            models.UniqueConstraint(fields=["version", "language"], name="planpdf_once"),
        ]

    def __str__(self) -> str:
        return f"{self.version} ({self.language})"
