"""Audits of a certified claim and their corrections, recorded by the programme's
coordinators. Claims a person may not see are not found (404); a claim they see but may not
audit (not theirs, or not certified) is refused with the reason (403)."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from config.views import render_form

from .. import permissions
from ..forms.setup import AuditForm, CorrectionForm
from ..models import Audit
from ..selectors import claims_for
from ..services.audits import audit_record, correction_add
from .setup import refused, service_errors

GET_AND_POST = require_http_methods(["GET", "HEAD", "POST"])


@login_required
@GET_AND_POST
def audit_create(request, pk: int) -> HttpResponse:
    claim = get_object_or_404(claims_for(request.user), pk=pk)
    allowed, reason = permissions.can_record_audit(request.user, claim)
    if not allowed:
        return refused(request, reason)
    form = AuditForm(request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            audit_record(
                claim=claim,
                body=data["body"],
                held_on=data["held_on"],
                findings=data["findings"],
                by=request.user,
                ip_address=request.META.get("REMOTE_ADDR"),
            )
        except ValidationError as error:
            service_errors(form, error)
        else:
            messages.success(request, _("Recorded the audit."))
            return redirect(claim.get_absolute_url() + "#audits")
    return render_form(request, "claims/audit_form.html", {"claim": claim, "form": form})


@login_required
@GET_AND_POST
def correction_create(request, pk: int) -> HttpResponse:
    audit = get_object_or_404(
        Audit.objects.select_related("claim"), pk=pk, claim__in=claims_for(request.user)
    )
    claim = audit.claim
    allowed, reason = permissions.can_record_audit(request.user, claim)
    if not allowed:
        return refused(request, reason)
    form = CorrectionForm(
        request.POST if request.method == "POST" else None,
        lines=claim.lines.select_related("person").order_by(
            "category", "kind", "month", "invoice_date", "pk"
        ),
    )
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            correction_add(
                audit=audit,
                category=data["category"],
                line=data.get("line"),
                amount=data["amount"],
                description=data["description"],
                by=request.user,
            )
        except ValidationError as error:
            service_errors(form, error)
        else:
            messages.success(request, _("Recorded the correction."))
            return redirect(claim.get_absolute_url() + "#audits")
    context = {"claim": claim, "audit": audit, "form": form}
    return render_form(request, "claims/correction_form.html", context)
