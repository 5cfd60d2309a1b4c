from django.contrib import messages
from django.contrib.auth import login
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _

from config.middleware import bearer_secret

from ..forms import AcceptInvitationForm
from ..models import User
from ..services import invitation_accept, invitation_from_token


@bearer_secret
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
