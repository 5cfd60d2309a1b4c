"""Coordinators invite people to roles in their programme, its schemes and its cities."""

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from accounts.selectors import invitation_waits_for_queue, invitations_visible_to
from accounts.services import invitation_create
from mentoring.selectors import coordinated_programmes

from ..forms import InvitationForm


@login_required
def invitations(request: HttpRequest) -> HttpResponse:
    """Coordinators invite people to roles in their programme and see who has joined."""
    programmes = list(coordinated_programmes(request.user))
    if not programmes:
        raise PermissionDenied
    # A link may preselect the role and the place (the claims set-up asks for a controller).
    initial = {key: request.GET[key] for key in ("role", "where") if key in request.GET}
    form = InvitationForm(request.POST or None, programmes=programmes, initial=initial)
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
            if invitation_waits_for_queue(invitation):
                messages.warning(
                    request,
                    _(
                        "The invitation to %(email)s is saved. The mail queue cannot be reached "
                        "at the moment: the e-mail goes out as soon as it is back. You do not "
                        "need to invite again."
                    )
                    % {"email": invitation.email},
                )
            else:
                messages.success(
                    request, _("Invitation sent to %(email)s.") % {"email": invitation.email}
                )
            return redirect("portal:invitations")
    context = {
        "form": form,
        "invitations": invitations_visible_to(request.user),
        "valid_days": settings.INVITATION_VALID_DAYS,
    }
    return render(request, "portal/invitations.html", context, status=400 if form.errors else 200)


@login_required
@require_POST
def invitation_revoke(request: HttpRequest, pk: int) -> HttpResponse:
    invitation = get_object_or_404(
        invitations_visible_to(request.user), pk=pk, accepted_at__isnull=True
    )
    invitation.delete()
    messages.success(request, _("Invitation to %(email)s withdrawn.") % {"email": invitation.email})
    return redirect("portal:invitations")
