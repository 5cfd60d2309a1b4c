"""Writes for people, roles and invitations."""

from allauth.account.models import EmailAddress
from django.conf import settings
from django.core import signing
from django.core.exceptions import ValidationError
from django.core.mail import send_mail
from django.db import transaction
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from documents.jobs import send_after_commit

from .models import ROLE_SCOPE, Invitation, Membership, User
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
