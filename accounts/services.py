"""Writes for people, roles, invitations and personal API tokens."""

import secrets
from dataclasses import dataclass
from datetime import datetime, timedelta

from allauth.account.models import EmailAddress
from django.conf import settings
from django.core import signing
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.mail import send_mail
from django.db import transaction
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from config.tokens import secret_hash
from documents.jobs import send_after_commit

from .models import ROLE_SCOPE, ApiRequest, ApiScope, ApiToken, Invitation, Membership, User
from .permissions import can_invite

INVITATION_SALT = "tandem.accounts.invitation"


def user_create(*, email: str, password: str | None, full_name: str = "") -> User:
    """A person who can sign in at once: the e-mail address counts as verified."""
    with transaction.atomic():
        user = User(email=email, full_name=full_name)
        if password:
            user.set_password(password)
        else:
            user.set_unusable_password()
        user.full_clean()
        user.save()
        EmailAddress.objects.create(user=user, email=user.email, verified=True, primary=True)
    return user


def membership_grant(
    *, user: User, role: str, programme=None, scheme=None, city=None
) -> Membership:
    """Give a person a role; granting a role they already hold changes nothing."""
    scope = {"programme": programme, "scheme": scheme, "city": city}
    key = ROLE_SCOPE[role]
    existing = Membership.objects.filter(user=user, role=role, **{key: scope[key]}).first()
    if existing:
        return existing
    membership = Membership(user=user, role=role, **scope)
    _validate_scope(membership)
    membership.full_clean(validate_unique=False)
    with transaction.atomic():
        membership.save()
    return membership


def _validate_scope(instance: Membership | Invitation) -> None:
    needed = ROLE_SCOPE[instance.role]
    errors = {}
    for field in ("programme", "scheme", "city"):
        value = getattr(instance, f"{field}_id")
        if field == needed and value is None:
            scope_field = type(instance)._meta.get_field(field)  # a ForeignKey, with a label
            label = getattr(scope_field, "verbose_name", field)
            errors[field] = _("Choose the %(scope)s this role acts for.") % {"scope": label}
        elif field != needed and value is not None:
            errors[field] = _("Leave this empty for the role you chose.")
    if errors:
        raise ValidationError(errors)


def invitation_token(invitation: Invitation) -> str:
    return signing.dumps({"id": invitation.pk, "email": invitation.email}, salt=INVITATION_SALT)


def invitation_from_token(token: str) -> Invitation:
    """The open invitation a link points at, or a ValidationError saying why it cannot be used."""
    max_age = settings.INVITATION_VALID_DAYS * 24 * 3600
    try:
        data = signing.loads(token, salt=INVITATION_SALT, max_age=max_age)
    except signing.SignatureExpired as exc:
        raise ValidationError(
            _("This invitation has expired. Ask your coordinator for a new one.")
        ) from exc
    except signing.BadSignature as exc:
        raise ValidationError(_("This invitation link is not valid.")) from exc
    invitation = Invitation.objects.filter(pk=data["id"], email=data["email"]).first()
    if invitation is None:
        raise ValidationError(_("This invitation has been withdrawn."))
    if invitation.accepted_at is not None:
        raise ValidationError(_("This invitation has already been used. Sign in instead."))
    return invitation


def invitation_create(
    *,
    email: str,
    role: str,
    by: User,
    full_name: str = "",
    programme=None,
    scheme=None,
    city=None,
) -> Invitation:
    """Record an invitation and, once the transaction commits, queue its e-mail."""
    from .tasks import send_invitation

    invitation = Invitation(
        email=email.strip().lower(),
        full_name=full_name,
        role=role,
        programme=programme,
        scheme=scheme,
        city=city,
        invited_by=by,
    )
    _validate_scope(invitation)
    if not can_invite(by, programme=programme, scheme=scheme, city=city):
        raise ValidationError(_("You can only invite people to the programmes you coordinate."))
    invitation.full_clean()
    with transaction.atomic():
        invitation.save()
        send_after_commit(send_invitation, invitation.pk)
    return invitation


def invitation_send(*, invitation: Invitation, base_url: str) -> None:
    """Send the invitation e-mail with its personal link. Safe to run again."""
    path = reverse("accounts:invitation_accept", args=[invitation_token(invitation)])
    link = base_url.rstrip("/") + path
    context = {"invitation": invitation, "link": link}
    with translation.override(settings.LANGUAGE_CODE):
        subject = _("You are invited to Tandem")
        body = render_to_string("accounts/email/invitation.txt", context)
    send_mail(subject, body, None, [invitation.email])
    Invitation.objects.filter(pk=invitation.pk).update(sent_at=timezone.now())


def invitation_accept(
    *,
    invitation: Invitation,
    password: str | None = None,
    full_name: str = "",
    user: User | None = None,
) -> User:
    """Turn an invitation into a membership; create the person's account if they have none."""
    with transaction.atomic():
        locked = Invitation.objects.select_for_update().get(pk=invitation.pk)
        if locked.accepted_at is not None:
            raise ValidationError(_("This invitation has already been used. Sign in instead."))
        if user is None:
            user = user_create(
                email=locked.email, password=password, full_name=full_name or locked.full_name
            )
        membership_grant(
            user=user,
            role=locked.role,
            programme=locked.programme,
            scheme=locked.scheme,
            city=locked.city,
        )
        locked.accepted_at = timezone.now()
        locked.accepted_by = user
        locked.save(update_fields=["accepted_at", "accepted_by"])
    return user


def user_language_set(*, user: User, language: str) -> User:
    """The language of the person's pages and e-mails (one of settings.LANGUAGES), or empty
    for the portal's default."""
    language = (language or "").strip()
    if language and language not in dict(settings.LANGUAGES):
        raise ValidationError({"language": [_("Choose one of the languages offered.")]})
    user.language = language
    with transaction.atomic():
        user.save(update_fields=["language"])
    return user


def user_time_zone_set(*, user: User, time_zone: str) -> User:
    """The person's own time zone (an IANA name), or empty for the zone of their city."""
    user.time_zone = time_zone.strip()
    user.full_clean(exclude=["password", "email"], validate_unique=False)
    with transaction.atomic():
        user.save(update_fields=["time_zone"])
    return user


# Personal API tokens ---------------------------------------------------------------------------

# A token's secret: "tdm_" (so that secret scanners and people recognise it), the public prefix
# (shown in the person's list), then 256 bits of randomness. Only its SHA-256 is stored.
TOKEN_START = "tdm_"  # noqa: S105  the public start of every secret


@dataclass(frozen=True)
class NewToken:
    token: ApiToken
    secret: str  # shown once, never stored


def token_create(
    *,
    owner: User,
    name: str,
    expires_at: datetime,
    scopes: tuple[str, ...] = (ApiScope.READ,),
    now: datetime | None = None,
) -> NewToken:
    """A personal API token for ``owner``, valid until ``expires_at`` (at most
    TANDEM_API_TOKEN_MAX_DAYS ahead). The secret is returned once and never kept."""
    now = now or timezone.now()
    errors: dict[str, list[str]] = {}
    if not owner.is_active:
        raise ValidationError(_("An inactive account cannot have API tokens."))
    if expires_at <= now:
        errors["expires_at"] = [_("Choose an expiry in the future.")]
    elif expires_at > now + timedelta(days=settings.TANDEM_API_TOKEN_MAX_DAYS):
        errors["expires_at"] = [
            _("A token is valid for at most %(days)s days.")
            % {"days": settings.TANDEM_API_TOKEN_MAX_DAYS}
        ]
    unknown = set(scopes) - set(ApiScope.values)
    if unknown or not scopes:
        errors["scopes"] = [_("Choose among the scopes offered.")]
    if errors:
        raise ValidationError(errors)
    prefix = secrets.token_hex(4)
    secret = f"{TOKEN_START}{prefix}_{secrets.token_urlsafe(32)}"
    token = ApiToken(
        owner=owner,
        name=name.strip(),
        prefix=prefix,
        key_hash=secret_hash(secret),
        scopes=sorted(set(scopes)),
        created_at=now,
        expires_at=expires_at,
    )
    token.full_clean()
    with transaction.atomic():
        token.save()
    return NewToken(token=token, secret=secret)


def token_revoke(*, token: ApiToken, by: User) -> ApiToken:
    """Revoke a token at once: every later request with it is refused (401). Only its owner
    revokes it; revoking it again changes nothing."""
    if token.owner_id != by.pk:
        raise PermissionDenied(_("Only its owner can revoke a token."))
    with transaction.atomic():
        ApiToken.objects.filter(pk=token.pk, revoked_at__isnull=True).update(
            revoked_at=timezone.now()
        )
    token.refresh_from_db(fields=["revoked_at"])
    return token


def token_used(token: ApiToken, *, now: datetime | None = None) -> None:
    """Note when the token was last used (one UPDATE by primary key)."""
    token.last_used_at = now or timezone.now()
    ApiToken.objects.filter(pk=token.pk).update(last_used_at=token.last_used_at)


def api_request_log(
    *, user: User | None, token: ApiToken | None, method: str, path: str, status: int
) -> ApiRequest:
    return ApiRequest.objects.create(
        user=user if user is not None and user.is_authenticated else None,
        token=token,
        method=method[:10],
        path=path[:500],
        status=status,
    )


def api_requests_forget(now: datetime | None = None) -> int:
    """Remove the log of API requests older than TANDEM_API_LOG_KEEP_DAYS."""
    cutoff = (now or timezone.now()) - timedelta(days=settings.TANDEM_API_LOG_KEEP_DAYS)
    deleted, _counts = ApiRequest.objects.filter(at__lt=cutoff).delete()
    return deleted
