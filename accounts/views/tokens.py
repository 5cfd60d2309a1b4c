"""The person's personal API tokens: the list, a new token (its secret shown once) and
revoking one (``accounts.services.token_create``, ``token_revoke``)."""

from datetime import timedelta

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from config.views import add_service_errors

from ..forms import ApiTokenForm
from ..selectors import api_tokens_of
from ..services import token_create, token_revoke


@login_required
@require_http_methods(["GET", "HEAD", "POST"])
def api_tokens(request: HttpRequest) -> HttpResponse:
    form = ApiTokenForm(request.POST if request.method == "POST" else None)
    created = None
    status = 200
    if form.is_bound:
        if form.is_valid():
            try:
                created = token_create(
                    owner=request.user,
                    name=form.cleaned_data["name"],
                    expires_at=timezone.now() + timedelta(days=form.cleaned_data["valid_for"]),
                )
            except ValidationError as error:
                if hasattr(error, "error_dict") and "expires_at" in error.error_dict:
                    error = ValidationError({"valid_for": error.error_dict.pop("expires_at")})
                add_service_errors(form, error)
            else:
                form = ApiTokenForm()
        if form.errors:
            status = 400
    context = {
        "form": form,
        "created": created,
        "tokens": api_tokens_of(request.user),
        "now": timezone.now(),
    }
    return render(request, "accounts/api_tokens.html", context, status=status)


@login_required
@require_http_methods(["GET", "HEAD", "POST"])
def api_token_revoke(request: HttpRequest, pk: int) -> HttpResponse:
    token = get_object_or_404(api_tokens_of(request.user), pk=pk)
    if request.method == "POST":
        token_revoke(token=token, by=request.user)
        messages.success(
            request,
            _("The token “%(name)s” is revoked: it no longer works.") % {"name": token.name},
        )
        return redirect("accounts:api_tokens")
    return render(request, "accounts/api_token_revoke.html", {"token": token})
