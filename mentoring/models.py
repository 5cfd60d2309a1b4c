from decimal import Decimal

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import F, Q
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from django_countries.fields import CountryField

from .charter import ROLE_OF_COMMITMENT, CharterRole, Commitment


class CostModel(models.TextChoices):
    HOURLY = "hourly", _("Hourly rate (annual costs ÷ 1,720 productive hours)")
    DAILY = "daily", _("Daily rate (annual costs ÷ 215 working days)")


class Programme(models.Model):
    """A funded programme run by a network, e.g. CITIES-GROW under AMIF."""

    name = models.CharField(_("name"), max_length=120, unique=True)
    slug = models.SlugField(_("slug"), max_length=120, unique=True)
    description = models.TextField(_("description"), blank=True)
    network = models.CharField(_("coordinating network"), max_length=200, blank=True)
    funder = models.CharField(_("funder"), max_length=200, blank=True)
    grant_reference = models.CharField(_("grant reference"), max_length=100, blank=True)
    starts_on = models.DateField(_("starts on"))
    ends_on = models.DateField(_("ends on"))
    budget = models.DecimalField(
        _("budget (EUR)"), max_digits=14, decimal_places=2, validators=[MinValueValidator(0)]
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
                condition=Q(co_financing_rate__gte=0, co_financing_rate__lte=1),
                name="programme_co_financing_rate_is_a_share",
            ),
        ]

    def __str__(self) -> str:
        return self.name

    def get_absolute_url(self) -> str:
        return reverse("mentoring:programme", kwargs={"slug": self.slug})

    @property
    def reimbursement_rate(self) -> Decimal:
        """The EU's share of eligible costs: what the cities do not co-finance."""
        return Decimal(1) - self.co_financing_rate


class ExpertOrganisation(models.Model):
    """An expert partner that facilitates one or more thematic schemes."""

    name = models.CharField(_("name"), max_length=200, unique=True)
    country = CountryField(_("country"), blank=True)
    website = models.URLField(_("website"), blank=True)

    class Meta:
        verbose_name = _("expert organisation")
        verbose_name_plural = _("expert organisations")
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name


class CharterCommitment(models.Model):
    """One of the 11 Integrating Cities Charter commitments; rows are created by a migration."""

    number = models.PositiveSmallIntegerField(_("number"), choices=Commitment.choices, unique=True)

    class Meta:
        verbose_name = _("charter commitment")
        verbose_name_plural = _("charter commitments")
        ordering = ["number"]

    def __str__(self) -> str:
        return f"{self.number}. {self.get_number_display()}"

    @property
    def role(self) -> CharterRole:
        return ROLE_OF_COMMITMENT[self.number]


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
        CharterCommitment, blank=True, related_name="schemes", verbose_name=_("charter commitments")
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
        return reverse("mentoring:pairing", kwargs={"pk": self.pk})

    @property
    def programme(self) -> Programme:
        return self.scheme.programme
