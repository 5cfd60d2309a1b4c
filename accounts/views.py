from django.conf import settings
from django.contrib import messages
from django.contrib.auth import login
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from cities.selectors import city_team
from mentoring.selectors import pairings_for
from mentoring.selectors.pairings import coordinated_overview

from .forms import AcceptInvitationForm, InvitationForm
from .models import Role, User
from .selectors import (
    cities_for,
    coordinated_programmes,
    invitations_visible_to,
    memberships_of,
    programmes_for,
    schemes_facilitated_by,
)
from .services import invitation_accept, invitation_create, invitation_from_token


def home(request: HttpRequest) -> HttpResponse:
    """The public welcome page, or the signed-in person's dashboard with a section per role."""
    user = request.user
    if not user.is_authenticated:
        return render(request, "home/public.html")
    roles = {m.role for m in memberships_of(user)}
    context: dict = {"roles": roles}
    if Role.COORDINATOR in roles:
        context["coordinated"] = coordinated_overview(coordinated_programmes(user))
    if Role.EXPERT in roles:
        context["schemes"] = (
            schemes_facilitated_by(user)
            .select_related("programme", "facilitator")
            .prefetch_related("pairings__mentor", "pairings__implementing")
        )
    if roles & {Role.OFFICER, Role.SUPERVISOR}:
        context["my_cities"] = [
            {
                "city": city,
                "pairings": pairings_for(user, city=city),
                "team": city_team(city) if Role.SUPERVISOR in roles else None,
            }
            for city in cities_for(user)
        ]
    context["programmes"] = programmes_for(user)
    return render(request, "home/dashboard.html", context)


@login_required
def invitations(request: HttpRequest) -> HttpResponse:
    """Coordinators invite people to roles in their programme and see who has joined."""
    programmes = list(coordinated_programmes(request.user))
    if not programmes:
        raise PermissionDenied
    form = InvitationForm(request.POST or None, programmes=programmes)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            invitation = invitation_create(
                email=data["email"],
                full_name=data["full_name"],
                role=data["role"],
                by=request.user,
                **data["scope"],
            )
        except ValidationError as error:
            for field, errors in error.message_dict.items():
                form.add_error(None if field not in form.fields else field, errors)
        else:
            messages.success(
                request, _("Invitation sent to %(email)s.") % {"email": invitation.email}
            )
            return redirect("accounts:invitations")
    context = {
        "form": form,
        "invitations": invitations_visible_to(request.user),
        "valid_days": settings.INVITATION_VALID_DAYS,
    }
    return render(request, "accounts/invitations.html", context, status=400 if form.errors else 200)


@login_required
@require_POST
def invitation_revoke(request: HttpRequest, pk: int) -> HttpResponse:
    invitation = get_object_or_404(
        invitations_visible_to(request.user), pk=pk, accepted_at__isnull=True
    )
    invitation.delete()
    messages.success(request, _("Invitation to %(email)s withdrawn.") % {"email": invitation.email})
    return redirect("accounts:invitations")


def invitation_accept_view(request: HttpRequest, token: str) -> HttpResponse:
    """The link in the invitation e-mail: set a password, or add the role to one's account."""
    try:
        invitation = invitation_from_token(token)
    except ValidationError as error:
        return render(
            request, "accounts/invitation_invalid.html", {"error": error.messages[0]}, status=400
        )
    existing = User.objects.filter(email__iexact=invitation.email).first()
    if existing is not None:
        if request.user != existing:
            login_url = reverse("account_login") + f"?next={request.path}"
            return render(
                request,
                "accounts/invitation_sign_in.html",
                {"invitation": invitation, "login_url": login_url},
            )
        if request.method == "POST":
            try:
                invitation_accept(invitation=invitation, user=existing)
            except ValidationError as error:
                messages.error(request, error.messages[0])
            else:
                messages.success(
                    request, _("You are now %(role)s.") % {"role": invitation.scope_label()}
                )
            return redirect("home")
        return render(request, "accounts/invitation_confirm.html", {"invitation": invitation})

    form = AcceptInvitationForm(
        request.POST or None, email=invitation.email, initial={"full_name": invitation.full_name}
    )
    if request.method == "POST" and form.is_valid():
        try:
            user = invitation_accept(
                invitation=invitation,
                password=form.cleaned_data["password1"],
                full_name=form.cleaned_data["full_name"],
            )
        except ValidationError as error:
            form.add_error(None, error)
        else:
            login(request, user, backend="django.contrib.auth.backends.ModelBackend")
            messages.success(request, _("Welcome to Tandem. Your account is ready."))
            return redirect("home")
    return render(
        request,
        "accounts/invitation_accept.html",
        {"invitation": invitation, "form": form},
        status=400 if form.errors else 200,
    )
