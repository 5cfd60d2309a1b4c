"""People of a programme, as invitations (accounts.services.invitation_create): a person who
already holds the role, or has an open invitation to it, is left as they are. The e-mails go
once the import is committed."""

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.db.models import Q
from django.utils import translation
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from accounts.models import ROLE_SCOPE, Invitation, Membership, Role
from accounts.services import invitation_create
from cities.models import City
from documents import imports
from documents.imports import Column

from ..models import Programme, Scheme
from .base import ProgrammeImport


def role_from(text: str) -> str:
    """A role by its code or its name in any of the portal's languages ("" when none)."""
    wanted = " ".join(text.split()).casefold()
    for role in Role:
        if wanted == role.value:
            return role.value
        for language, _name in settings.LANGUAGES:
            with translation.override(language):
                if wanted == str(role.label).casefold():
                    return role.value
    return ""


class PeopleImport(ProgrammeImport):
    key = "people"
    label = gettext_lazy("People")
    description = gettext_lazy(
        "Each row invites a person to a role in the programme: coordinators and partners act "
        "for the programme, expert partners for a scheme, officers and supervisors for a city. "
        "Someone who already holds the role, or has been invited to it, is left as they are."
    )
    columns = [
        Column(
            "email",
            gettext_lazy("E-mail address"),
            required=True,
            example="officer@city.example",
            help=gettext_lazy("Where the invitation goes."),
        ),
        Column("full_name", gettext_lazy("Full name"), example="Ana Nowak"),
        Column(
            "role",
            gettext_lazy("Role"),
            required=True,
            example="officer",
            help=gettext_lazy(
                "coordinator, partner, expert, officer or supervisor (or the role's name)."
            ),
        ),
        Column(
            "city",
            gettext_lazy("City"),
            example="Gdańsk",
            help=gettext_lazy("For officers and supervisors: a city of the programme."),
        ),
        Column(
            "scheme",
            gettext_lazy("Scheme"),
            example="",
            help=gettext_lazy("For expert partners: the scheme's code, e.g. A."),
        ),
    ]
    fields = {"user": "email", "programme": "role"}

    def row(self, result, *, user, target: Programme) -> str:
        values = result.values
        email = values["email"].strip().lower()
        try:
            validate_email(email)
        except ValidationError:
            result.add_error("email", _("“%(value)s” is not an e-mail address.") % {"value": email})
        role = role_from(values["role"])
        if not role:
            result.add_error(
                "role",
                _("“%(value)s” is not a role: write %(roles)s.")
                % {"value": values["role"], "roles": ", ".join(Role.values)},
            )
        self.refuse_if_errors(result)
        scope = {"programme": None, "scheme": None, "city": None}
        needed = ROLE_SCOPE[role]
        if needed == "programme":
            scope["programme"] = target
        elif needed == "scheme":
            code = values.get("scheme", "").strip()
            scheme = Scheme.objects.filter(programme=target, code__iexact=code).first()
            if scheme is None:
                result.add_error(
                    "scheme",
                    _("Give the code of one of the programme's schemes, e.g. A.")
                    if not code
                    else _("The programme has no scheme “%(code)s”.") % {"code": code},
                )
            scope["scheme"] = scheme
        else:
            cities = City.objects.filter(participations__programme=target)
            if not values.get("city", "").strip():
                result.add_error("city", _("Name the city this person acts for."))
            scope["city"] = self.city_in(cities, result, "city")
        for other in ("city", "scheme"):
            if other != needed and values.get(other, "").strip():
                result.add_error(other, _("Leave this empty for the role you chose."))
        self.refuse_if_errors(result)
        if Membership.objects.filter(user__email__iexact=email, role=role, **scope).exists():
            return imports.UNCHANGED
        open_invitations = Invitation.objects.filter(
            email=email, role=role, accepted_at__isnull=True, **scope
        )
        if any(invitation.is_usable for invitation in open_invitations):
            return imports.UNCHANGED
        invitation_create(
            email=email,
            role=role,
            by=user,
            full_name=values.get("full_name", "").strip(),
            **scope,
        )
        return imports.CREATE

    def export(self, *, user, target: Programme):
        memberships = (
            Membership.objects.filter(_of_programme(target))
            .select_related("user", "city", "scheme")
            .order_by("role", "user__email", "pk")
            .distinct()
        )
        return [
            {
                "email": membership.user.email,
                "full_name": membership.user.full_name,
                "role": membership.role,
                "city": membership.city.name if membership.city else "",
                "scheme": membership.scheme.code if membership.scheme else "",
            }
            for membership in memberships
        ]


def _of_programme(programme: Programme) -> Q:
    """The memberships of the programme: its own, its schemes', its cities' officers and
    supervisors."""
    return (
        Q(programme=programme)
        | Q(scheme__programme=programme)
        | Q(city__participations__programme=programme, role__in=[Role.OFFICER, Role.SUPERVISOR])
    )
