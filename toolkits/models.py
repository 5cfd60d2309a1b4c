"""Good practices, the toolkits that bundle them by theme, and the editions published as PDFs."""

from django.conf import settings
from django.contrib.postgres.search import SearchVectorField
from django.core.validators import MinValueValidator
from django.db import models
from django.db.models import F, Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from documents.models import BackgroundJob, StoredFile

from .vocabulary import language_name, validate_currency, validate_language


class TargetGroup(models.Model):
    """Who a practice serves, from its programme's own list (migrants and refugees for
    CITIES-GROW, none or others for a programme on air quality); edited by the programme's
    coordinators on its frame page."""

    programme = models.ForeignKey(
        "mentoring.Programme",
        on_delete=models.CASCADE,
        related_name="target_groups",
        verbose_name=_("programme"),
    )
    name = models.CharField(_("name"), max_length=120)
    position = models.PositiveSmallIntegerField(_("position"), default=0)

    class Meta:
        verbose_name = _("target group")
        verbose_name_plural = _("target groups")
        ordering = ["programme", "position", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["programme", "name"], name="target_group_unique_name_per_programme"
            )
        ]

    def __str__(self) -> str:
        return self.name


class PracticeStatus(models.TextChoices):
    DRAFT = "draft", _("Draft")
    IN_REVIEW = "in_review", _("In review")
    RETURNED = "returned", _("Returned with comments")
    PUBLISHED = "published", _("Published")


class GoodPractice(models.Model):
    """What one city did, told in enough detail that another city can copy it. Officers of the
    city write it; the scheme's expert partner or a coordinator reviews and publishes it."""

    city = models.ForeignKey(
        "cities.City",
        on_delete=models.PROTECT,
        related_name="good_practices",
        verbose_name=_("city"),
    )
    scheme = models.ForeignKey(
        "mentoring.Scheme",
        on_delete=models.PROTECT,
        related_name="good_practices",
        verbose_name=_("theme"),
        help_text=_("The thematic scheme the practice belongs to."),
    )
    title = models.CharField(_("title"), max_length=200)
    # Set once when the practice is created and never changed, so published links stay valid.
    slug = models.SlugField(_("address"), max_length=220, unique=True, editable=False)
    partner_organisations = models.TextField(
        _("partner organisations"), blank=True, help_text=_("One organisation per line.")
    )
    summary = models.TextField(_("summary"), max_length=1000)
    challenge = models.TextField(_("the challenge"))
    actions = models.TextField(_("what was done"))
    target_groups = models.ManyToManyField(
        TargetGroup, blank=True, related_name="practices", verbose_name=_("target groups")
    )
    results = models.TextField(_("results"), help_text=_("What changed, with figures."))
    resources = models.TextField(
        _("resources"), blank=True, help_text=_("Staff, partners and means it took.")
    )
    budget = models.DecimalField(
        _("total budget"),
        max_digits=14,
        decimal_places=2,
        null=True,
        blank=True,
        validators=[MinValueValidator(0)],
    )
    eu_contribution = models.DecimalField(
        _("EU contribution"),
        max_digits=14,
        decimal_places=2,
        null=True,
        blank=True,
        validators=[MinValueValidator(0)],
    )
    currency = models.CharField(
        _("currency"), max_length=3, default="EUR", validators=[validate_currency]
    )
    started_on = models.DateField(_("started on"))
    ended_on = models.DateField(
        _("ended on"), null=True, blank=True, help_text=_("Leave empty while it still runs.")
    )
    transferability = models.TextField(
        _("transferability"), help_text=_("What another city needs to copy it.")
    )
    contact_name = models.CharField(_("contact person"), max_length=200, blank=True)
    contact_email = models.EmailField(_("contact e-mail"), blank=True)
    links = models.TextField(_("links"), blank=True, help_text=_("Web addresses, one per line."))
    commitments = models.ManyToManyField(
        "mentoring.Commitment",
        blank=True,
        related_name="good_practices",
        verbose_name=_("commitments"),
    )
    language = models.CharField(
        _("language"),
        max_length=10,
        default="en",
        validators=[validate_language],
        help_text=_("The language the practice is written in."),
    )
    status = models.CharField(
        _("status"), max_length=10, choices=PracticeStatus.choices, default=PracticeStatus.DRAFT
    )
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="good_practices",
        verbose_name=_("author"),
    )
    created_at = models.DateTimeField(_("created at"), default=timezone.now)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)
    published_at = models.DateTimeField(_("published at"), null=True, blank=True)
    # The catalogue's full-text search on PostgreSQL: the weighted words of the practice and its
    # city, kept up to date by toolkits.search and indexed (GIN) by migration 0003. Unused on
    # SQLite, which searches word by word.
    search_vector = SearchVectorField(null=True, editable=False)

    class Meta:
        verbose_name = _("good practice")
        verbose_name_plural = _("good practices")
        ordering = ["title", "pk"]
        indexes = [
            models.Index(fields=["status", "scheme"], name="practice_status_scheme"),
            # The published practices' ids from the index alone: the catalogue's target-group and
            # commitment filters keep the options some published practice names, which joined
            # every link to a read of the whole table (20 MB at 5,000 practices: 9 → 4 ms).
            models.Index(fields=["status", "id"], name="practice_status_id"),
        ]
        constraints = [
            models.CheckConstraint(
                condition=Q(ended_on__isnull=True) | Q(ended_on__gte=F("started_on")),
                name="goodpractice_period_in_order",
            ),
            models.CheckConstraint(
                condition=Q(budget__isnull=True) | Q(budget__gte=0),
                name="goodpractice_budget_not_negative",
            ),
            models.CheckConstraint(
                condition=Q(eu_contribution__isnull=True)
                | (Q(budget__isnull=False) & Q(eu_contribution__gte=0))
                & Q(eu_contribution__lte=F("budget")),
                name="goodpractice_eu_contribution_within_budget",
            ),
            models.CheckConstraint(
                condition=~Q(status=PracticeStatus.PUBLISHED) | Q(published_at__isnull=False),
                name="goodpractice_published_has_a_date",
            ),
        ]

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return reverse("toolkits:practice", kwargs={"slug": self.slug})

    @property
    def language_display(self) -> str:
        """The language's name in the reader's language (any ISO 639-1 language)."""
        return language_name(self.language)

    @property
    def is_published(self) -> bool:
        return self.status == PracticeStatus.PUBLISHED

    @property
    def is_editable_by_author(self) -> bool:
        return self.status in (PracticeStatus.DRAFT, PracticeStatus.RETURNED)

    def partner_list(self) -> list[str]:
        return [line.strip() for line in self.partner_organisations.splitlines() if line.strip()]

    def link_list(self) -> list[str]:
        return [line.strip() for line in self.links.splitlines() if line.strip()]


def practice_image_path(image: "PracticeImage", filename: str) -> str:
    return f"practices/{image.practice_id}/{filename}"


class PracticeImage(models.Model):
    """A photo or diagram of a practice; the upload is checked to be a real image."""

    practice = models.ForeignKey(
        GoodPractice, on_delete=models.CASCADE, related_name="images", verbose_name=_("practice")
    )
    image = models.ImageField(_("image"), upload_to=practice_image_path, max_length=300)
    alt_text = models.CharField(
        _("text alternative"),
        max_length=250,
        help_text=_("What the image shows, for people who cannot see it."),
    )
    caption = models.CharField(_("caption"), max_length=250, blank=True)
    position = models.PositiveSmallIntegerField(_("position"), default=0)

    class Meta:
        verbose_name = _("practice image")
        verbose_name_plural = _("practice images")
        ordering = ["position", "pk"]

    def __str__(self) -> str:
        return self.alt_text


class ReviewAction(models.TextChoices):
    SUBMITTED = "submitted", _("Submitted for review")
    RETURNED = "returned", _("Returned with comments")
    PUBLISHED = "published", _("Published")
    WITHDRAWN = "withdrawn", _("Withdrawn from publication")


class PracticeReview(models.Model):
    """One step of a practice's review, with who took it and why: the practice's history."""

    practice = models.ForeignKey(
        GoodPractice, on_delete=models.CASCADE, related_name="reviews", verbose_name=_("practice")
    )
    action = models.CharField(_("action"), max_length=10, choices=ReviewAction.choices)
    by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", verbose_name=_("by")
    )
    at = models.DateTimeField(_("at"), default=timezone.now)
    comment = models.TextField(_("comment"), blank=True)

    class Meta:
        verbose_name = _("practice review step")
        verbose_name_plural = _("practice review steps")
        ordering = ["at", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=~Q(action__in=["returned", "withdrawn"]) | ~Q(comment=""),
                name="practicereview_return_has_a_comment",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.practice}: {self.get_action_display()}"


class Toolkit(models.Model):
    """Practices of a theme in a chosen order, with an introduction and the theme's key success
    factors. Publishing it freezes its content as a numbered edition."""

    scheme = models.ForeignKey(
        "mentoring.Scheme",
        on_delete=models.PROTECT,
        related_name="toolkits",
        verbose_name=_("theme"),
    )
    title = models.CharField(_("title"), max_length=200)
    slug = models.SlugField(_("address"), max_length=220, unique=True)
    introduction = models.TextField(_("introduction"), blank=True)
    language = models.CharField(
        _("language"),
        max_length=10,
        default="en",
        validators=[validate_language],
        help_text=_("The language the introduction and success factors are written in."),
    )
    created_at = models.DateTimeField(_("created at"), default=timezone.now)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)

    class Meta:
        verbose_name = _("toolkit")
        verbose_name_plural = _("toolkits")
        ordering = ["scheme", "title"]

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return reverse("toolkits:toolkit", kwargs={"slug": self.slug})

    @property
    def language_display(self) -> str:
        """The language's name in the reader's language (any ISO 639-1 language)."""
        return language_name(self.language)


class SuccessFactor(models.Model):
    """A key success factor of the toolkit's theme: a criterion to benchmark practices with."""

    toolkit = models.ForeignKey(
        Toolkit, on_delete=models.CASCADE, related_name="success_factors", verbose_name=_("toolkit")
    )
    position = models.PositiveSmallIntegerField(_("position"), default=0)
    name = models.CharField(_("name"), max_length=200)
    description = models.TextField(_("description"), blank=True)

    class Meta:
        verbose_name = _("key success factor")
        verbose_name_plural = _("key success factors")
        ordering = ["position", "pk"]

    def __str__(self) -> str:
        return self.name


class ToolkitEntry(models.Model):
    """A practice's place in a toolkit."""

    toolkit = models.ForeignKey(
        Toolkit, on_delete=models.CASCADE, related_name="entries", verbose_name=_("toolkit")
    )
    practice = models.ForeignKey(
        GoodPractice,
        on_delete=models.PROTECT,
        related_name="toolkit_entries",
        verbose_name=_("practice"),
    )
    position = models.PositiveSmallIntegerField(_("position"), default=0)

    class Meta:
        verbose_name = _("toolkit entry")
        verbose_name_plural = _("toolkit entries")
        ordering = ["position", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["toolkit", "practice"], name="toolkitentry_practice_once"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.toolkit}: {self.practice}"


class ToolkitEdition(models.Model):
    """A published state of a toolkit. Its content is frozen in ``snapshot`` so that an older
    edition downloads as it was published, whatever happened to the practices since."""

    toolkit = models.ForeignKey(
        Toolkit, on_delete=models.CASCADE, related_name="editions", verbose_name=_("toolkit")
    )
    number = models.PositiveSmallIntegerField(_("edition"), validators=[MinValueValidator(1)])
    published_on = models.DateField(_("published on"))
    published_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("published by"),
    )
    notes = models.TextField(_("what is new"), blank=True)
    snapshot = models.JSONField(_("content"), default=dict)
    content_hash = models.CharField(_("content checksum"), max_length=64)

    class Meta:
        verbose_name = _("toolkit edition")
        verbose_name_plural = _("toolkit editions")
        ordering = ["toolkit", "-number"]
        constraints = [
            models.UniqueConstraint(fields=["toolkit", "number"], name="edition_unique_number"),
            models.CheckConstraint(condition=Q(number__gte=1), name="edition_number_positive"),
        ]

    def __str__(self) -> str:
        return f"{self.toolkit}, {self.number}"


class Rendering(BackgroundJob):
    """One PDF of a toolkit edition or of a single practice, in one language. Its content hash
    covers everything that goes into the file, so the same content is rendered only once and a
    change to it makes a new rendering."""

    edition = models.ForeignKey(
        ToolkitEdition,
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="renderings",
        verbose_name=_("edition"),
    )
    practice = models.ForeignKey(
        GoodPractice,
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="renderings",
        verbose_name=_("practice"),
    )
    language = models.CharField(_("language"), max_length=10)
    content_hash = models.CharField(_("content checksum"), max_length=64, unique=True)
    pdf = models.ForeignKey(
        StoredFile, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    # Visitors and the publication itself ask for renderings too, not only signed-in people.
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("requested by"),
    )

    class Meta(BackgroundJob.Meta):
        verbose_name = _("PDF rendering")
        verbose_name_plural = _("PDF renderings")
        ordering = ["-requested_at"]
        constraints = [
            *BackgroundJob.Meta.constraints,
            models.CheckConstraint(
                condition=Q(edition__isnull=False, practice__isnull=True)
                | Q(edition__isnull=True, practice__isnull=False),
                name="rendering_of_an_edition_or_a_practice",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.edition or self.practice} ({self.language})"
