from datetime import datetime
from decimal import Decimal
from zoneinfo import ZoneInfo

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import F, Q
from django.db.models.functions import Mod
from django.db.models.lookups import Exact
from django.urls import reverse
from django.utils.text import Truncator
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _
from django_countries.fields import CountryField

from cities.timezones import validate_time_zone
from config.slugs import KeepsOldSlugs, OldSlug
from documents.money import DEFAULT_CURRENCY, currency_choices
from documents.workflow import Transition, Workflow

from .licences import NOT_PUBLISHED, licence_choices, licence_of


class CostModel(models.TextChoices):
    HOURLY = "hourly", _("Hourly rate (annual costs ÷ the productive hours of a year)")
    DAILY = "daily", _("Daily rate (annual costs ÷ the working days of a year)")


# The EU's staff-cost rules, the defaults of a programme's cost model (DOMAIN.md).
HOURS_PER_DAY_EQUIVALENT = Decimal(8)
PRODUCTIVE_HOURS_PER_YEAR = Decimal(1720)
WORKING_DAYS_PER_YEAR = Decimal(215)


def validate_days_list(value: str) -> None:
    """Whole days from 1 to 365, separated by commas ("7,1"), or nothing."""
    parts = [part.strip() for part in (value or "").split(",") if part.strip()]
    if not all(part.isdigit() and 1 <= int(part) <= 365 for part in parts):
        raise ValidationError(
            _("Write whole days from 1 to 365 separated by commas, e.g. 7,1."), code="days"
        )


def days_list(value: str) -> list[int]:
    """The days of a ``validate_days_list`` value, largest first."""
    parts = {int(part) for part in (value or "").split(",") if part.strip().isdigit()}
    return sorted(parts, reverse=True)


class Programme(KeepsOldSlugs):
    """A funded programme run by a network, e.g. CITIES-GROW under AMIF. Its old slugs keep
    leading to it (config.slugs)."""

    name = models.CharField(_("name"), max_length=120, unique=True)
    slug = models.SlugField(_("slug"), max_length=120, unique=True)
    description = models.TextField(_("description"), blank=True)
    network = models.CharField(_("coordinating network"), max_length=200, blank=True)
    funder = models.CharField(_("funder"), max_length=200, blank=True)
    grant_reference = models.CharField(_("grant reference"), max_length=100, blank=True)
    starts_on = models.DateField(_("starts on"))
    ends_on = models.DateField(_("ends on"))
    currency = models.CharField(
        _("currency"),
        max_length=3,
        choices=currency_choices,
        default=DEFAULT_CURRENCY,
        help_text=_("ISO 4217 code of the budget, the rates and the reports, e.g. EUR."),
    )
    budget = models.DecimalField(
        _("budget"),
        max_digits=14,
        decimal_places=2,
        validators=[MinValueValidator(0)],
        help_text=_("In the programme's currency."),
    )
    co_financing_rate = models.DecimalField(
        _("co-financing rate"),
        max_digits=5,
        decimal_places=4,
        validators=[MinValueValidator(0), MaxValueValidator(1)],
        help_text=_("Share of eligible costs the cities bear themselves, e.g. 0.10 for 10%."),
    )
    staff_days_allowance = models.PositiveIntegerField(
        _("staff days per city"),
        help_text=_("Working days each city is expected to report over the programme."),
    )
    cost_model = models.CharField(
        _("staff-cost model"), max_length=10, choices=CostModel.choices, default=CostModel.HOURLY
    )
    indirect_cost_rate = models.DecimalField(
        _("indirect cost flat rate"),
        max_digits=5,
        decimal_places=4,
        default=Decimal(0),
        validators=[MinValueValidator(0), MaxValueValidator(1)],
        help_text=_("Flat rate added to direct staff costs, e.g. 0.07 for 7%."),
    )
    max_hours_per_day = models.DecimalField(
        _("most hours a person may record in a day"),
        max_digits=3,
        decimal_places=1,
        default=Decimal(10),
        validators=[MinValueValidator(Decimal("0.5")), MaxValueValidator(24)],
    )
    framework = models.ForeignKey(
        "CommitmentFramework",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="programmes",
        verbose_name=_("commitment framework"),
        help_text=_(
            "The commitments the programme's schemes and practices serve and its cities sign; "
            "none if it has no such framework."
        ),
    )
    # The cost model's figures; fixed once a month of the programme is approved
    # (mentoring.services.programmes.programme_update).
    hours_per_day = models.DecimalField(
        _("hours per day-equivalent"),
        max_digits=4,
        decimal_places=2,
        default=HOURS_PER_DAY_EQUIVALENT,
        validators=[MinValueValidator(Decimal(1)), MaxValueValidator(24)],
        help_text=_("Recorded hours that make one staff day, e.g. 8."),
    )
    productive_hours_per_year = models.DecimalField(
        _("productive hours per year"),
        max_digits=6,
        decimal_places=2,
        default=PRODUCTIVE_HOURS_PER_YEAR,
        validators=[MinValueValidator(Decimal(1)), MaxValueValidator(8784)],
        help_text=_("Of a full-time person; the hourly rate divides annual costs by them."),
    )
    working_days_per_year = models.DecimalField(
        _("working days per year"),
        max_digits=5,
        decimal_places=2,
        default=WORKING_DAYS_PER_YEAR,
        validators=[MinValueValidator(Decimal(1)), MaxValueValidator(366)],
        help_text=_("Of a full-time person; the daily rate divides annual costs by them."),
    )
    # Reminders (notifications): the programme's own deadlines and how early people hear of them.
    remind_unsigned_day = models.PositiveSmallIntegerField(
        _("reminder to sign a month, on day"),
        default=5,
        validators=[MaxValueValidator(28)],
        help_text=_(
            "Day of the following month from which a person whose month is not signed is "
            "reminded (0: never)."
        ),
    )
    remind_approval_after_days = models.PositiveSmallIntegerField(
        _("reminder to approve a month, after days"),
        default=5,
        validators=[MaxValueValidator(90)],
        help_text=_(
            "Days a signed month may wait before its supervisors are reminded; after twice as "
            "long, the coordinators are told (0: never)."
        ),
    )
    report_due_days = models.PositiveSmallIntegerField(
        _("visit report due after days"),
        default=30,
        validators=[MaxValueValidator(365)],
        help_text=_("Days after a visit ends by which its report is due (0: no deadline)."),
    )
    reminder_days_before = models.CharField(
        _("reminders, days before"),
        max_length=40,
        default="7,1",
        validators=[validate_days_list],
        help_text=_(
            "How many days before an event, and before a report's deadline, people are "
            "reminded: whole days separated by commas, e.g. 7,1 (empty: no reminders)."
        ),
    )

    open_data_licence = models.CharField(
        _("open data licence"),
        max_length=20,
        choices=licence_choices,
        blank=True,
        default=NOT_PUBLISHED,
        help_text=_(
            "The licence under which anyone may download and reuse what the programme publishes "
            "anyway (its schemes, cities, pairings, past events, published practices and "
            "toolkits), without personal data. Until one is chosen there is no open data."
        ),
    )

    class Meta:
        verbose_name = _("programme")
        verbose_name_plural = _("programmes")
        ordering = ["-starts_on", "name"]
        constraints = [
            models.CheckConstraint(
                condition=Q(ends_on__gt=F("starts_on")), name="programme_ends_after_start"
            ),
            models.CheckConstraint(
                condition=Q(budget__gte=0), name="programme_budget_not_negative"
            ),
            models.CheckConstraint(
                condition=Q(
                    hours_per_day__gt=0,
                    productive_hours_per_year__gt=0,
                    working_days_per_year__gt=0,
                ),
                name="programme_cost_model_figures_positive",
            ),
            models.CheckConstraint(
                condition=Q(co_financing_rate__gte=0, co_financing_rate__lte=1),
                name="programme_co_financing_rate_is_a_share",
            ),
        ]

    def __str__(self) -> str:
        return self.name

    def get_absolute_url(self) -> str:
        return reverse("portal:programme", kwargs={"slug": self.slug})

    @property
    def licence(self):
        """The open licence its data is published under (mentoring.licences), or None."""
        return licence_of(self.open_data_licence)

    @property
    def reimbursement_rate(self) -> Decimal:
        """The EU's share of eligible costs: what the cities do not co-finance."""
        return Decimal(1) - self.co_financing_rate


class ProgrammeOldSlug(OldSlug):
    """A slug the programme had before: addresses with it answer 301 to the current one."""

    owner = models.ForeignKey(
        Programme, on_delete=models.CASCADE, related_name="old_slugs", verbose_name=_("programme")
    )

    class Meta:
        verbose_name = _("old programme slug")
        verbose_name_plural = _("old programme slugs")
        ordering = ["owner", "-retired_at"]


class ExpertOrganisation(models.Model):
    """An expert partner that facilitates one or more thematic schemes.

    Who may edit it: ``mentoring.permissions.can_edit_organisation``."""

    name = models.CharField(_("name"), max_length=200, unique=True)
    country = CountryField(_("country"), blank=True)
    website = models.URLField(_("website"), blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("created by"),
        help_text=_("Owns the organisation while it facilitates no scheme."),
    )

    class Meta:
        verbose_name = _("expert organisation")
        verbose_name_plural = _("expert organisations")
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name


class CommitmentFramework(models.Model):
    """A set of numbered commitments that a programme's schemes, good practices and action-plan
    actions serve, and that cities sign: the Integrating Cities Charter, the UN Sustainable
    Development Goals, the New Urban Agenda... A programme has one or none
    (``Programme.framework``); its coordinators edit it in the browser."""

    name = models.CharField(_("name"), max_length=200, unique=True)
    description = models.TextField(_("description"), blank=True)
    website = models.URLField(_("website"), blank=True)
    preset = models.CharField(
        _("preset"),
        max_length=40,
        blank=True,
        editable=False,
        help_text=_("The preset it was added from, if any."),
    )

    class Meta:
        verbose_name = _("commitment framework")
        verbose_name_plural = _("commitment frameworks")
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name


class CommitmentGroup(models.Model):
    """A heading that gathers some of a framework's commitments (the Charter's four roles of a
    city: policy-maker, service provider, employer, buyer)."""

    framework = models.ForeignKey(
        CommitmentFramework,
        on_delete=models.CASCADE,
        related_name="groups",
        verbose_name=_("framework"),
    )
    name = models.CharField(_("name"), max_length=200)
    position = models.PositiveSmallIntegerField(_("position"), default=0)

    class Meta:
        verbose_name = _("commitment group")
        verbose_name_plural = _("commitment groups")
        ordering = ["framework", "position", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["framework", "name"], name="commitment_group_unique_name"
            )
        ]

    def __str__(self) -> str:
        return self.name


class Commitment(models.Model):
    """One numbered commitment of a framework, e.g. the Charter's 9 "Apply equality and
    diversity principles in procurement" or the SDGs' 11 "Sustainable cities and communities"."""

    framework = models.ForeignKey(
        CommitmentFramework,
        on_delete=models.CASCADE,
        related_name="commitments",
        verbose_name=_("framework"),
    )
    number = models.PositiveSmallIntegerField(_("number"), validators=[MinValueValidator(1)])
    title = models.CharField(_("title"), max_length=300)
    group = models.ForeignKey(
        CommitmentGroup,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="commitments",
        verbose_name=_("group"),
    )

    class Meta:
        verbose_name = _("commitment")
        verbose_name_plural = _("commitments")
        ordering = ["framework", "number"]
        constraints = [
            models.UniqueConstraint(fields=["framework", "number"], name="commitment_unique_number")
        ]

    def __str__(self) -> str:
        return f"{self.number}. {self.title}"

    def clean(self) -> None:
        if self.group_id and self.framework_id and self.group.framework_id != self.framework_id:
            raise ValidationError({"group": _("Choose a group of the same framework.")})


class FrameworkSignature(models.Model):
    """A city that has signed a commitment framework, and when if known."""

    framework = models.ForeignKey(
        CommitmentFramework,
        on_delete=models.CASCADE,
        related_name="signatures",
        verbose_name=_("framework"),
    )
    city = models.ForeignKey(
        "cities.City",
        on_delete=models.CASCADE,
        related_name="framework_signatures",
        verbose_name=_("city"),
    )
    signed_on = models.DateField(_("signed on"), null=True, blank=True)

    class Meta:
        verbose_name = _("framework signature")
        verbose_name_plural = _("framework signatures")
        ordering = ["framework", "city"]
        constraints = [
            models.UniqueConstraint(
                fields=["framework", "city"], name="framework_signature_once_per_city"
            )
        ]

    def __str__(self) -> str:
        return f"{self.city} – {self.framework}"


class Scheme(models.Model):
    """A thematic scheme of a programme, facilitated by an expert organisation."""

    programme = models.ForeignKey(
        Programme, on_delete=models.CASCADE, related_name="schemes", verbose_name=_("programme")
    )
    code = models.CharField(_("code"), max_length=10)
    theme = models.CharField(_("theme"), max_length=300)
    description = models.TextField(_("description"), blank=True)
    facilitator = models.ForeignKey(
        ExpertOrganisation,
        on_delete=models.PROTECT,
        related_name="schemes",
        verbose_name=_("facilitator"),
    )
    commitments = models.ManyToManyField(
        Commitment,
        blank=True,
        related_name="schemes",
        verbose_name=_("commitments"),
        help_text=_("Commitments of the programme's framework that the scheme serves."),
    )
    mentor_capacity = models.PositiveSmallIntegerField(
        _("pairings per mentor city"),
        default=2,
        validators=[MinValueValidator(1)],
        help_text=_("How many implementing cities one mentor city may take on in this scheme."),
    )

    class Meta:
        verbose_name = _("thematic scheme")
        verbose_name_plural = _("thematic schemes")
        ordering = ["programme", "code"]
        constraints = [
            models.UniqueConstraint(fields=["programme", "code"], name="scheme_unique_code"),
            models.CheckConstraint(
                condition=Q(mentor_capacity__gte=1), name="scheme_mentor_capacity_positive"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.code}: {self.theme}"


class Participation(models.Model):
    """A city taking part in a programme."""

    programme = models.ForeignKey(
        Programme,
        on_delete=models.CASCADE,
        related_name="participations",
        verbose_name=_("programme"),
    )
    city = models.ForeignKey(
        "cities.City",
        on_delete=models.CASCADE,
        related_name="participations",
        verbose_name=_("city"),
    )
    joined_on = models.DateField(_("joined on"), null=True, blank=True)

    class Meta:
        verbose_name = _("participation")
        verbose_name_plural = _("participations")
        ordering = ["programme", "city__name"]
        constraints = [
            models.UniqueConstraint(
                fields=["programme", "city"], name="participation_unique_city_per_programme"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.city} in {self.programme}"


class PairingStatus(models.TextChoices):
    PROPOSED = "proposed", _("Proposed")
    ACTIVE = "active", _("Active")
    COMPLETED = "completed", _("Completed")
    WITHDRAWN = "withdrawn", _("Withdrawn")


def _pairing_cannot_become(pairing: "Pairing", transition: Transition) -> str:
    target = transition.target
    return gettext("A %(current)s pairing cannot become %(target)s.") % {
        "current": pairing.get_status_display().lower(),
        "target": PairingStatus(target).label.lower() if target in PairingStatus.values else target,
    }


# Where a pairing may go next, named by the status it leads to: proposed → active → completed,
# or withdrawn on the way (with a reason, which the service asks for). Who may move it is the
# pairing pages' business (coordinators and the scheme's expert partner).
PAIRING_WORKFLOW = Workflow(
    field="status",
    wrong_state=_pairing_cannot_become,
    error_field="status",
    transitions=[
        Transition(PairingStatus.ACTIVE, {PairingStatus.PROPOSED}, PairingStatus.ACTIVE),
        Transition(PairingStatus.COMPLETED, {PairingStatus.ACTIVE}, PairingStatus.COMPLETED),
        Transition(
            PairingStatus.WITHDRAWN,
            {PairingStatus.PROPOSED, PairingStatus.ACTIVE},
            PairingStatus.WITHDRAWN,
        ),
    ],
)


class Pairing(models.Model):
    """An experienced mentor city paired with an implementing city inside a scheme."""

    scheme = models.ForeignKey(
        Scheme, on_delete=models.CASCADE, related_name="pairings", verbose_name=_("scheme")
    )
    mentor = models.ForeignKey(
        "cities.City",
        on_delete=models.PROTECT,
        related_name="pairings_as_mentor",
        verbose_name=_("mentor city"),
    )
    implementing = models.ForeignKey(
        "cities.City",
        on_delete=models.PROTECT,
        related_name="pairings_as_implementing",
        verbose_name=_("implementing city"),
    )
    status = models.CharField(
        _("status"), max_length=12, choices=PairingStatus.choices, default=PairingStatus.PROPOSED
    )
    withdrawal_reason = models.TextField(_("reason for withdrawal"), blank=True)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("created by"),
    )

    class Meta:
        verbose_name = _("pairing")
        verbose_name_plural = _("pairings")
        ordering = ["scheme__code", "mentor__name", "implementing__name"]
        constraints = [
            models.CheckConstraint(
                condition=~Q(mentor=F("implementing")), name="pairing_not_with_itself"
            ),
            models.UniqueConstraint(
                fields=["scheme", "mentor", "implementing"], name="pairing_unique_in_scheme"
            ),
            models.CheckConstraint(
                condition=~Q(status=PairingStatus.WITHDRAWN) | ~Q(withdrawal_reason=""),
                name="pairing_withdrawal_has_reason",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.mentor} → {self.implementing} ({self.scheme.code})"

    def get_absolute_url(self) -> str:
        return reverse("portal:pairing", kwargs={"pk": self.pk})

    @property
    def programme(self) -> Programme:
        return self.scheme.programme


# Events, attendance, reports and calendar feeds ------------------------------------------------


class StandardEventKind(models.TextChoices):
    """The seven kinds every programme starts with (``event_kinds_standard``). They are codes of
    a programme's own ``EventKind`` rows, which its coordinators rename, change or add to."""

    LAUNCH_MEETING = "launch_meeting", _("Launch meeting")
    STUDY_VISIT = "study_visit", _("Study visit")
    MENTORING_VISIT = "mentoring_visit", _("Mentoring visit")
    PEER_REVIEW = "peer_review", _("Peer review")
    WEBINAR = "webinar", _("Webinar")
    CONFERENCE = "conference", _("Conference")
    FINAL_MEETING = "final_meeting", _("Final meeting")


class EventScope(models.TextChoices):
    PAIRING = "pairing", _("Between the two cities of a pairing")
    PROGRAMME = "programme", _("Gathers the whole programme")
    EITHER = "either", _("Either")


class HostSide(models.TextChoices):
    ANY = "", _("Either city")
    MENTOR = "mentor", _("The mentor city")
    IMPLEMENTING = "implementing", _("The implementing city")


class EventKind(models.Model):
    """A kind of event of one programme (a six-day study visit, a webinar…): its own list,
    edited by its coordinators. The event rules read the flags from here."""

    programme = models.ForeignKey(
        Programme, on_delete=models.CASCADE, related_name="event_kinds", verbose_name=_("programme")
    )
    code = models.SlugField(
        _("code"),
        max_length=40,
        help_text=_("A short name for links and exports; made from the name when left empty."),
    )
    name = models.CharField(_("name"), max_length=100)
    scope = models.CharField(
        _("who it is for"), max_length=10, choices=EventScope.choices, default=EventScope.EITHER
    )
    hosted = models.BooleanField(
        _("hosted in person by a city"),
        default=False,
        help_text=_("Such events need a host city, and their times are in the host city's zone."),
    )
    host_side = models.CharField(
        _("hosted by"),
        max_length=12,
        choices=HostSide.choices,
        blank=True,
        default=HostSide.ANY,
        help_text=_("For events of a pairing: which of its two cities hosts."),
    )
    usual_days = models.PositiveSmallIntegerField(
        _("usual length in days"),
        default=1,
        validators=[MinValueValidator(1), MaxValueValidator(60)],
        help_text=_("A new event's last day is filled in from this, e.g. 6 for a study visit."),
    )

    class Meta:
        verbose_name = _("event kind")
        verbose_name_plural = _("event kinds")
        ordering = ["programme", "name"]
        constraints = [
            models.UniqueConstraint(fields=["programme", "code"], name="event_kind_unique_code"),
            models.UniqueConstraint(fields=["programme", "name"], name="event_kind_unique_name"),
            models.CheckConstraint(
                condition=Q(usual_days__gte=1, usual_days__lte=60),
                name="event_kind_usual_days_in_range",
            ),
            models.CheckConstraint(
                condition=Q(host_side="") | Q(scope="pairing", hosted=True),
                name="event_kind_host_side_only_for_hosted_pairing_kinds",
            ),
        ]

    def __str__(self) -> str:
        return self.name

    @property
    def for_pairing(self) -> bool:
        return self.scope == EventScope.PAIRING

    @property
    def for_programme(self) -> bool:
        return self.scope == EventScope.PROGRAMME


class EventStatus(models.TextChoices):
    PLANNED = "planned", _("Planned")
    CONFIRMED = "confirmed", _("Confirmed")
    HELD = "held", _("Held")
    CANCELLED = "cancelled", _("Cancelled")


def _event_cannot_become(event: "Event", transition: Transition) -> str:
    target = transition.target
    return gettext("A %(from)s event cannot become %(to)s.") % {
        "from": event.get_status_display().lower(),
        "to": EventStatus(target).label.lower() if target in EventStatus.values else target,
    }


# The only moves an event's status may make: planned → confirmed → held, or cancelled on the way;
# named by the status they lead to. (Held once it has begun, cancelled with a reason: the
# service's rules.)
EVENT_WORKFLOW = Workflow(
    field="status",
    wrong_state=_event_cannot_become,
    error_field="status",
    transitions=[
        Transition(EventStatus.CONFIRMED, {EventStatus.PLANNED}, EventStatus.CONFIRMED),
        Transition(EventStatus.HELD, {EventStatus.CONFIRMED}, EventStatus.HELD),
        Transition(
            EventStatus.CANCELLED,
            {EventStatus.PLANNED, EventStatus.CONFIRMED},
            EventStatus.CANCELLED,
        ),
    ],
)


class Event(models.Model):
    """A meeting of a programme: programme-wide, or a visit between the two cities of a pairing."""

    programme = models.ForeignKey(
        Programme, on_delete=models.CASCADE, related_name="events", verbose_name=_("programme")
    )
    pairing = models.ForeignKey(
        Pairing,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="events",
        verbose_name=_("pairing"),
        help_text=_("Empty for an event of the whole programme."),
    )
    kind = models.ForeignKey(
        EventKind, on_delete=models.PROTECT, related_name="events", verbose_name=_("kind")
    )
    title = models.CharField(_("title"), max_length=200)
    host_city = models.ForeignKey(
        "cities.City",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="hosted_events",
        verbose_name=_("host city"),
        help_text=_("Required for visits and peer reviews; optional for webinars and meetings."),
    )
    starts_at = models.DateTimeField(_("starts at"))
    ends_at = models.DateTimeField(_("ends at"))
    time_zone = models.CharField(
        _("time zone"),
        max_length=64,
        validators=[validate_time_zone],
        help_text=_("The host city's zone for hosted events; chosen for the others."),
    )
    # The first and last local days, in the event's zone: derived from the moments on save, so
    # that lists, filters, calendars and staff time keep working by date.
    starts_on = models.DateField(_("starts on"), editable=False)
    ends_on = models.DateField(_("ends on"), editable=False)
    venue = models.CharField(_("venue"), max_length=300, blank=True)
    online_url = models.URLField(_("online link"), blank=True)
    agenda = models.TextField(_("agenda"), blank=True)
    status = models.CharField(
        _("status"), max_length=12, choices=EventStatus.choices, default=EventStatus.PLANNED
    )
    cancellation_reason = models.TextField(_("reason for cancelling"), blank=True)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("created by"),
    )

    class Meta:
        verbose_name = _("event")
        verbose_name_plural = _("events")
        ordering = ["starts_on", "title", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(ends_on__gte=F("starts_on")), name="event_ends_not_before_start"
            ),
            models.CheckConstraint(
                condition=Q(ends_at__gte=F("starts_at")), name="event_end_moment_not_before_start"
            ),
            models.CheckConstraint(
                condition=~Q(venue="") | ~Q(online_url=""), name="event_has_venue_or_link"
            ),
            models.CheckConstraint(
                condition=~Q(status=EventStatus.CANCELLED) | ~Q(cancellation_reason=""),
                name="event_cancellation_has_reason",
            ),
        ]
        indexes = [models.Index(fields=["programme", "starts_on"], name="event_programme_date")]

    def __str__(self) -> str:
        return self.title

    def save(self, *args, **kwargs) -> None:
        self.derive_dates()
        super().save(*args, **kwargs)

    def get_absolute_url(self) -> str:
        return reverse("mentoring:event", kwargs={"pk": self.pk})

    def derive_dates(self) -> None:
        """The local first and last days, from the moments and the zone."""
        if self.starts_at is not None and self.ends_at is not None:
            self.starts_on = self.local_starts_at.date()
            self.ends_on = self.local_ends_at.date()

    @property
    def zone(self) -> ZoneInfo:
        return ZoneInfo(self.time_zone or "UTC")

    @property
    def local_starts_at(self) -> datetime:
        return self.starts_at.astimezone(self.zone)

    @property
    def local_ends_at(self) -> datetime:
        return self.ends_at.astimezone(self.zone)

    @property
    def length_in_days(self) -> int:
        """Calendar days from the first to the last day, both included."""
        return (self.ends_on - self.starts_on).days + 1

    @property
    def next_statuses(self) -> tuple[str, ...]:
        return tuple(t.target for t in EVENT_WORKFLOW.leaving(self))

    @property
    def is_editable(self) -> bool:
        """Held and cancelled events are records; only planned and confirmed ones change."""
        return self.status in (EventStatus.PLANNED, EventStatus.CONFIRMED)

    def city_ids(self) -> set[int]:
        """The cities the event belongs to: its host and, for a pairing event, both cities."""
        ids = {self.host_city_id} if self.host_city_id else set()
        if self.pairing_id:
            ids |= {self.pairing.mentor_id, self.pairing.implementing_id}
        return ids


class Attendance(models.Model):
    """One person who took part in an event, for a city or an organisation, and for how long."""

    event = models.ForeignKey(
        Event, on_delete=models.CASCADE, related_name="attendances", verbose_name=_("event")
    )
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="attendances",
        verbose_name=_("person"),
        help_text=_("A person with a Tandem account; otherwise give a guest's name."),
    )
    guest_name = models.CharField(_("guest's name"), max_length=150, blank=True)
    city = models.ForeignKey(
        "cities.City",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="attendances",
        verbose_name=_("for city"),
    )
    organisation = models.ForeignKey(
        ExpertOrganisation,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="attendances",
        verbose_name=_("for expert organisation"),
    )
    organisation_name = models.CharField(_("for another organisation"), max_length=200, blank=True)
    days = models.DecimalField(
        _("days attended"),
        max_digits=4,
        decimal_places=1,
        help_text=_("In half-day steps, e.g. 2.5."),
    )
    recorded_at = models.DateTimeField(_("recorded at"), auto_now_add=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("recorded by"),
    )

    class Meta:
        verbose_name = _("attendance")
        verbose_name_plural = _("attendances")
        ordering = ["event", "city__name", "organisation__name", "organisation_name", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=(Q(user__isnull=False) & Q(guest_name=""))
                | (Q(user__isnull=True) & ~Q(guest_name="")),
                name="attendance_user_or_guest",
            ),
            models.CheckConstraint(
                condition=(
                    Q(city__isnull=False, organisation__isnull=True, organisation_name="")
                    | Q(city__isnull=True, organisation__isnull=False, organisation_name="")
                    | (Q(city__isnull=True, organisation__isnull=True) & ~Q(organisation_name=""))
                ),
                name="attendance_for_one_city_or_organisation",
            ),
            models.CheckConstraint(condition=Q(days__gt=0), name="attendance_days_positive"),
            models.CheckConstraint(
                condition=Exact(Mod(F("days") * 2, 1), 0), name="attendance_days_in_half_days"
            ),
            models.UniqueConstraint(fields=["event", "user"], name="attendance_unique_person"),
            models.UniqueConstraint(
                fields=["event", "guest_name"],
                condition=~Q(guest_name=""),
                name="attendance_unique_guest",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.attendee_name}, {self.event}"

    @property
    def attendee_name(self) -> str:
        return str(self.user) if self.user_id else self.guest_name

    @property
    def represents(self) -> str:
        return str(self.city or self.organisation or self.organisation_name)


class EventReport(models.Model):
    """What a held event found; its recommendations are separate rows an action plan can cite."""

    event = models.OneToOneField(
        Event, on_delete=models.CASCADE, related_name="report", verbose_name=_("event")
    )
    findings = models.TextField(_("findings"))
    written_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("written by"),
    )
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)

    class Meta:
        verbose_name = _("event report")
        verbose_name_plural = _("event reports")
        ordering = ["event"]
        constraints = [
            models.CheckConstraint(condition=~Q(findings=""), name="event_report_has_findings"),
        ]

    def __str__(self) -> str:
        return str(_("Report on %(event)s") % {"event": self.event})

    def get_absolute_url(self) -> str:
        return f"{self.event.get_absolute_url()}#report"


class Recommendation(models.Model):
    """One recommendation of an event report. Its id stays the same while the report is edited."""

    report = models.ForeignKey(
        EventReport,
        on_delete=models.CASCADE,
        related_name="recommendations",
        verbose_name=_("report"),
    )
    position = models.PositiveSmallIntegerField(_("position"))
    text = models.TextField(_("recommendation"))

    class Meta:
        verbose_name = _("recommendation")
        verbose_name_plural = _("recommendations")
        ordering = ["report", "position"]
        constraints = [
            models.UniqueConstraint(
                fields=["report", "position"], name="recommendation_unique_position"
            ),
            models.CheckConstraint(condition=~Q(text=""), name="recommendation_has_text"),
        ]

    def __str__(self) -> str:
        return f"R{self.position}: {Truncator(self.text).chars(80)}"

    def get_absolute_url(self) -> str:
        return f"{reverse('mentoring:event', kwargs={'pk': self.report.event_id})}#{self.anchor}"

    @property
    def anchor(self) -> str:
        return f"recommendation-{self.pk}"


class CalendarToken(models.Model):
    """The secret in a person's calendar feed links: calendar apps fetch feeds without a login.

    Only its SHA-256 is stored (config.tokens): the links are shown once, when they are made."""

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="calendar_token",
        verbose_name=_("person"),
    )
    token_hash = models.CharField(_("token's SHA-256"), max_length=64, unique=True)
    issued_at = models.DateTimeField(_("issued at"), auto_now=True)

    class Meta:
        verbose_name = _("calendar token")
        verbose_name_plural = _("calendar tokens")
        ordering = ["user"]

    def __str__(self) -> str:
        return str(_("Calendar links of %(person)s") % {"person": self.user})
