from datetime import datetime, timedelta

from django.conf import settings
from django.contrib.auth.base_user import AbstractBaseUser, BaseUserManager
from django.contrib.auth.models import PermissionsMixin
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from config.zones import validate_time_zone


class UserManager(BaseUserManager):
    use_in_migrations = True

    def _create_user(self, email: str, password: str | None, **extra):
        if not email:
            raise ValueError("An e-mail address is required.")
        user = self.model(email=self.normalize_email(email).lower(), **extra)
        user.set_password(password)
        user.save(using=self._db)
        return user

    def create_user(self, email: str, password: str | None = None, **extra):
        extra.setdefault("is_staff", False)
        extra.setdefault("is_superuser", False)
        return self._create_user(email, password, **extra)

    def create_superuser(self, email: str, password: str | None = None, **extra):
        extra.update(is_staff=True, is_superuser=True)
        return self._create_user(email, password, **extra)


class User(AbstractBaseUser, PermissionsMixin):
    """A person who signs in with an e-mail address. What they may do comes from memberships."""

    email = models.EmailField(_("e-mail address"), unique=True)
    full_name = models.CharField(_("full name"), max_length=150, blank=True)
    is_staff = models.BooleanField(
        _("staff status"),
        default=False,
        help_text=_("Whether the person can use the technical administration site."),
    )
    is_active = models.BooleanField(_("active"), default=True)
    date_joined = models.DateTimeField(_("date joined"), default=timezone.now)
    time_zone = models.CharField(
        _("time zone"),
        max_length=64,
        blank=True,
        validators=[validate_time_zone],
        help_text=_(
            "Where you are, e.g. Asia/Seoul: pages show times in this zone, and “today” is "
            "today there. Left empty, the zone of the city you act for is used."
        ),
    )
    language = models.CharField(
        _("language"),
        max_length=10,
        blank=True,
        help_text=_(
            "The language of the portal and of the e-mails you receive. Left empty, the "
            "portal's default language is used."
        ),
    )
    erased_at = models.DateTimeField(
        _("personal data erased at"),
        null=True,
        blank=True,
        help_text=_("Set when the person's data was erased on request; the account is a shell."),
    )
    current_programme = models.ForeignKey(
        "mentoring.Programme",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("programme worked in"),
        help_text=_(
            "The programme a person in several programmes chose to work in; lists, forms and "
            "navigation are about it. Ignored once they no longer take part in it."
        ),
    )

    objects = UserManager()

    EMAIL_FIELD = "email"
    USERNAME_FIELD = "email"
    REQUIRED_FIELDS: list[str] = []

    class Meta:
        verbose_name = _("user")
        verbose_name_plural = _("users")
        ordering = ["full_name", "email"]

    def __str__(self) -> str:
        return self.get_full_name()

    def clean(self) -> None:
        super().clean()
        self.email = self.__class__.objects.normalize_email(self.email).lower()

    def get_full_name(self) -> str:
        if self.erased_at is not None:
            return str(_("Erased person #%(pk)s") % {"pk": self.pk})
        return self.full_name or self.email

    def get_short_name(self) -> str:
        if self.erased_at is not None:
            return self.get_full_name()
        return self.full_name.split(" ")[0] if self.full_name else self.email


class Role(models.TextChoices):
    COORDINATOR = "coordinator", _("Coordinator")
    EXPERT = "expert", _("Expert partner")
    OFFICER = "officer", _("City officer")
    SUPERVISOR = "supervisor", _("City supervisor")
    PARTNER = "partner", _("Partner")
    CONTROLLER = "controller", _("Controller")


# Which scope each role needs: a coordinator or partner acts for a programme, an expert for a
# scheme, officers and supervisors for a city. The check constraints below hold this.
ROLE_SCOPE: dict[str, str] = {
    Role.COORDINATOR: "programme",
    Role.PARTNER: "programme",
    # A controller (first-level controller or auditor) of a programme sees nothing by this
    # alone: claims.ControlAssignment gives them a city's claim for a period, for a time.
    Role.CONTROLLER: "programme",
    Role.EXPERT: "scheme",
    Role.OFFICER: "city",
    Role.SUPERVISOR: "city",
}


def _scope_condition(role: Role) -> Q:
    scope = ROLE_SCOPE[role]
    present = Q(**{f"{scope}__isnull": False})
    absent = [
        Q(**{f"{other}__isnull": True})
        for other in ("programme", "scheme", "city")
        if other != scope
    ]
    return Q(role=role) & present & absent[0] & absent[1]


class ScopeFields(models.Model):
    """The role and its one scope, shared by memberships and the invitations that create them."""

    role = models.CharField(_("role"), max_length=12, choices=Role.choices)
    programme = models.ForeignKey(
        "mentoring.Programme",
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("programme"),
    )
    scheme = models.ForeignKey(
        "mentoring.Scheme",
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("scheme"),
    )
    city = models.ForeignKey(
        "cities.City",
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("city"),
    )

    class Meta:
        abstract = True

    @property
    def scope(self):
        return getattr(self, ROLE_SCOPE[self.role])

    def scope_label(self) -> str:
        return f"{self.get_role_display()}, {self.scope}"


def _role_scope_constraint(prefix: str) -> models.CheckConstraint:
    condition = Q()
    for role in Role:
        condition |= _scope_condition(role)
    return models.CheckConstraint(condition=condition, name=f"{prefix}_role_has_its_scope")


class Membership(ScopeFields):
    """One role a person holds, for a programme, a scheme or a city."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="memberships",
        verbose_name=_("person"),
    )
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)

    class Meta:
        verbose_name = _("membership")
        verbose_name_plural = _("memberships")
        ordering = ["user", "role"]
        constraints = [
            _role_scope_constraint("membership"),
            *(
                models.UniqueConstraint(
                    fields=["user", "role", ROLE_SCOPE[role]],
                    condition=Q(role=role),
                    name=f"membership_unique_{role.value}",
                )
                for role in Role
            ),
        ]

    def __str__(self) -> str:
        return f"{self.user}: {self.scope_label()}"


class Invitation(ScopeFields):
    """A coordinator's invitation to a role; its link lets the person set a password."""

    email = models.EmailField(_("e-mail address"))
    full_name = models.CharField(_("full name"), max_length=150, blank=True)
    invited_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        related_name="+",
        verbose_name=_("invited by"),
    )
    created_at = models.DateTimeField(_("created at"), default=timezone.now)
    accepted_at = models.DateTimeField(_("accepted at"), null=True, blank=True)
    accepted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("accepted by"),
    )
    sent_at = models.DateTimeField(_("sent at"), null=True, blank=True)

    class Meta:
        verbose_name = _("invitation")
        verbose_name_plural = _("invitations")
        ordering = ["-created_at"]
        constraints = [_role_scope_constraint("invitation")]

    def __str__(self) -> str:
        return f"{self.email}: {self.scope_label()}"

    @property
    def expires_at(self) -> datetime:
        return self.created_at + timedelta(days=settings.INVITATION_VALID_DAYS)

    @property
    def is_usable(self) -> bool:
        return self.accepted_at is None and self.expires_at > timezone.now()


class ErasureRecord(models.Model):
    """That a person's data was erased on request: whom (by id only), by whom, when, and how many
    records of each kind were deleted or kept. Holds no personal data of the erased person."""

    person = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("erased person"),
    )
    by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("erased by"),
        help_text=_("Empty when an administrator used the erase_person command."),
    )
    at = models.DateTimeField(_("at"), default=timezone.now)
    deleted = models.JSONField(_("deleted"), default=dict, blank=True)
    kept = models.JSONField(_("kept, anonymised"), default=dict, blank=True)

    class Meta:
        verbose_name = _("erasure record")
        verbose_name_plural = _("erasure records")
        ordering = ["-at", "pk"]
        constraints = [
            models.UniqueConstraint(fields=["person"], name="erasurerecord_one_per_person"),
        ]

    def __str__(self) -> str:
        return f"#{self.person_id} · {self.at:%Y-%m-%d %H:%M}"


# Personal API tokens (issue 18) ------------------------------------------------------------------


class ApiScope(models.TextChoices):
    """What a token may do. The API is read-only: reading is the one scope there is."""

    READ = "read", _("Read")


class ApiToken(models.Model):
    """A personal token for the read API (``config.api``): it acts as its owner, seeing exactly
    what they see in the browser. The secret is shown once when it is made; only its SHA-256 is
    kept (``config.tokens``). The prefix is the public start of the secret, by which the owner
    recognises it in their list and in the request log."""

    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="api_tokens",
        verbose_name=_("owner"),
    )
    name = models.CharField(_("name"), max_length=100)
    prefix = models.CharField(_("prefix"), max_length=16, unique=True, editable=False)
    key_hash = models.CharField(_("key's SHA-256"), max_length=64, unique=True, editable=False)
    scopes = models.JSONField(_("scopes"), default=list)
    created_at = models.DateTimeField(_("created at"), default=timezone.now)
    expires_at = models.DateTimeField(_("expires at"))
    last_used_at = models.DateTimeField(_("last used at"), null=True, blank=True)
    revoked_at = models.DateTimeField(_("revoked at"), null=True, blank=True)

    class Meta:
        verbose_name = _("API token")
        verbose_name_plural = _("API tokens")
        ordering = ["-created_at", "-pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(expires_at__gt=models.F("created_at")),
                name="apitoken_expires_after_creation",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.name} ({self.prefix}…)"

    def is_expired(self, now: datetime | None = None) -> bool:
        return self.expires_at <= (now or timezone.now())

    @property
    def is_active(self) -> bool:
        return self.revoked_at is None and not self.is_expired()


class ApiRequest(models.Model):
    """One request to the API: who, with which token (none for a browser session or an
    anonymous reader of public data), what was asked and the answer's status. Kept for
    TANDEM_API_LOG_KEEP_DAYS (``accounts.tasks.forget_old_api_requests``)."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("person"),
    )
    token = models.ForeignKey(
        ApiToken,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="requests",
        verbose_name=_("token"),
    )
    method = models.CharField(_("method"), max_length=10)
    path = models.CharField(_("path"), max_length=500)
    status = models.PositiveSmallIntegerField(_("status"))
    at = models.DateTimeField(_("at"), default=timezone.now)

    class Meta:
        verbose_name = _("API request")
        verbose_name_plural = _("API requests")
        ordering = ["-at", "-pk"]
        indexes = [
            models.Index(fields=["at"], name="apirequest_at"),
            models.Index(fields=["user", "at"], name="apirequest_user_at"),
            models.Index(fields=["token", "at"], name="apirequest_token_at"),
        ]

    def __str__(self) -> str:
        return f"{self.method} {self.path} {self.status}"
