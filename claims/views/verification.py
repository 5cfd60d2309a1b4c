"""The controller's pages: their assignments, a claim's verification (start, sample, each
line's check, the checklist, the certificate) and the certificate's download.

A claim the person may not see is not found (404): a controller sees it only while their
assignment runs. Someone who sees the claim but is not its assigned controller gets 403 with
the reason. A service's refusal is shown on the page (400), what was typed kept; a save from
an outdated page answers 409.
"""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST, require_safe

from accounts.selectors import today_for
from config import stale
from config.views import add_service_errors, get_visible_or_404
from documents.responses import stored_file_response

from .. import permissions
from ..documents import category_rows, checklist_rows
from ..forms.verification import (
    CertifyForm,
    ChecklistForm,
    ConfirmForm,
    LineCheckForm,
    ParkForm,
    SampleForm,
)
from ..models import ChecklistQuestion, Claim, ClaimLine, ClaimStatus, LineKind, Verification
from ..selectors import claim_figures, claims_for, rules_of, running_assignments
from ..services.verification import (
    auto_checks_run,
    checklist_save,
    checklist_version,
    claim_certify,
    line_park,
    line_unpark,
    line_verify,
    missing_for_certificate,
    sample_draw,
    verification_start,
)

GET_AND_POST = require_http_methods(["GET", "HEAD", "POST"])


def _client_ip(request) -> str | None:
    return request.META.get("REMOTE_ADDR")


def _visible_claim(request, pk: int) -> Claim:
    return get_visible_or_404(claims_for(request.user), pk=pk)


def _controlled_claim(request, pk: int) -> Claim:
    """The claim, for its assigned controller (404 to those who may not see it, 403 to others
    who may)."""
    claim = _visible_claim(request, pk)
    if not permissions.controls(request.user, claim):
        raise PermissionDenied(
            _("Only a controller assigned to %(city)s for this period verifies its claim.")
            % {"city": claim.city}
        )
    return claim


def _controlled_line(request, pk: int) -> ClaimLine:
    line = get_visible_or_404(
        ClaimLine.objects.filter(claim__in=claims_for(request.user)).select_related(
            "claim__programme", "claim__city", "claim__period", "person", "verified_by"
        ),
        pk=pk,
    )
    if not permissions.controls(request.user, line.claim):
        raise PermissionDenied(
            _("Only a controller assigned to %(city)s for this period verifies its claim.")
            % {"city": line.claim.city}
        )
    return line


def _verification(claim: Claim) -> Verification | None:
    return (
        Verification.objects.select_related("controller", "certified_by")
        .filter(claim=claim)
        .first()
    )


# The controller's assignments -----------------------------------------------------------------


@login_required
@require_safe
def control_home(request) -> HttpResponse:
    if not permissions.is_controller(request.user):
        raise PermissionDenied(_("This list is for controllers."))
    assignments = list(
        running_assignments(request.user, today_for(request.user))
        .select_related("programme", "city", "period")
        .order_by("period__starts_on", "city__name", "pk")
    )
    claims = {
        (claim.city_id, claim.period_id): claim
        for claim in Claim.objects.filter(
            city_id__in={a.city_id for a in assignments},
            period_id__in={a.period_id for a in assignments},
        )
    }
    rows = [(a, claims.get((a.city_id, a.period_id))) for a in assignments]
    return render(request, "claims/control.html", {"rows": rows})


# The verification page ----------------------------------------------------------------------


def _verify_context(request, claim: Claim, **forms) -> dict:
    verification = _verification(claim)
    figures = claim_figures(claim)
    rules = rules_of(claim.programme)
    sample_form = forms.get("sample_form")
    if sample_form is None:
        sample_form = SampleForm(
            initial={"method": Verification.SampleMethod.RANDOM, "percent": rules.sample_percent}
        )
        stale.track(sample_form, verification)
    lines = [
        (line, figures.shown(line), figures.certified(line))
        for line in figures.lines
        if line.kind != LineKind.FLAT_RATE
    ]
    flat = [
        (line, figures.shown(line)) for line in figures.lines if line.kind == LineKind.FLAT_RATE
    ]
    can_redraw = not any(line.verified_at or line.parked for line in figures.lines)
    answers = list(verification.answers.all()) if verification else []
    questions = ChecklistQuestion.objects.filter(programme_id=claim.programme_id).count()
    return {
        "claim": claim,
        "verification": verification,
        "figures": figures,
        "currency": figures.currency,
        "categories": category_rows(figures),
        "lines": lines,
        "flat_lines": flat,
        "sample_form": sample_form,
        "start_form": ConfirmForm(),
        "can_start": claim.status == ClaimStatus.SUBMITTED,
        "in_verification": claim.status == ClaimStatus.VERIFICATION,
        "can_redraw": can_redraw,
        "questions_count": questions,
        "answered_count": len(answers),
        "missing": missing_for_certificate(claim, verification)
        if claim.status == ClaimStatus.VERIFICATION
        else [],
        "action_errors": forms.get("action_errors", []),
    }


@login_required
@require_safe
def verify(request, pk: int) -> HttpResponse:
    claim = _controlled_claim(request, pk)
    return render(request, "claims/verify.html", _verify_context(request, claim))


@login_required
@require_POST
def start(request, pk: int) -> HttpResponse:
    claim = _controlled_claim(request, pk)
    try:
        verification_start(claim, by=request.user, ip_address=_client_ip(request))
    except ValidationError as error:
        context = _verify_context(request, claim, action_errors=error.messages)
        return render(request, "claims/verify.html", context, status=400)
    messages.success(request, _("Verification started. Draw the sample next."))
    return redirect("claims:verify", pk=claim.pk)


@login_required
@require_POST
def sample(request, pk: int) -> HttpResponse:
    claim = _controlled_claim(request, pk)
    form = SampleForm(request.POST)
    stale.track(form, _verification(claim))
    if form.is_valid():
        data = form.cleaned_data
        try:
            sample_draw(
                claim,
                by=request.user,
                method=data["method"],
                percent=data["percent"],
                reason=data["reason"],
                seed=data["seed"] or None,
                version=stale.expected(form),
            )
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, _("The sample is drawn."))
            return redirect("claims:verify", pk=claim.pk)
    status = 409 if stale.was_refused(form) else 400
    context = _verify_context(request, claim, sample_form=form)
    return render(request, "claims/verify.html", context, status=status)


# One line -------------------------------------------------------------------------------------


def _line_context(line: ClaimLine, **forms) -> dict:
    figures = claim_figures(line.claim, lines=[line])
    check_form = forms.get("check_form")
    if check_form is None:
        check_form = LineCheckForm(
            initial={
                "deducted": line.deducted if line.deducted is not None else "0.00",
                "error_type": line.error_type,
                "comment": line.control_comment,
            }
        )
        stale.track(check_form, line)
    park_form = forms.get("park_form")
    if park_form is None:
        park_form = ParkForm(
            initial={"comment": line.control_comment if line.parked else ""}, prefix="park"
        )
        stale.track(park_form, line)
    unpark_form = forms.get("unpark_form")
    if unpark_form is None:
        unpark_form = ConfirmForm(prefix="unpark")
        stale.track(unpark_form, line)
    return {
        "claim": line.claim,
        "line": line,
        "currency": figures.currency,
        "shown": figures.shown(line),
        "certified": figures.certified(line),
        "check_form": check_form,
        "park_form": park_form,
        "unpark_form": unpark_form,
        "flat_rate": line.kind == LineKind.FLAT_RATE,
    }


def _render_line(request, line: ClaimLine, form, **forms) -> HttpResponse:
    status = 409 if stale.was_refused(form) else 400
    return render(request, "claims/line_check.html", _line_context(line, **forms), status=status)


@login_required
@GET_AND_POST
def line_check(request, pk: int) -> HttpResponse:
    line = _controlled_line(request, pk)
    if request.method != "POST":
        return render(request, "claims/line_check.html", _line_context(line))
    form = LineCheckForm(request.POST)
    stale.track(form, line)
    if form.is_valid():
        data = form.cleaned_data
        try:
            line_verify(
                line,
                by=request.user,
                deducted=data["deducted"],
                error_type=data["error_type"],
                comment=data["comment"],
                version=stale.expected(form),
            )
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, _("The check of %(line)s is recorded.") % {"line": line})
            return redirect("claims:verify", pk=line.claim_id)
    return _render_line(request, line, form, check_form=form)


@login_required
@require_POST
def park(request, pk: int) -> HttpResponse:
    line = _controlled_line(request, pk)
    form = ParkForm(request.POST, prefix="park")
    stale.track(form, line)
    if form.is_valid():
        try:
            line_park(
                line,
                by=request.user,
                comment=form.cleaned_data["comment"],
                version=stale.expected(form),
            )
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, _("%(line)s is parked for a later claim.") % {"line": line})
            return redirect("claims:verify", pk=line.claim_id)
    return _render_line(request, line, form, park_form=form)


@login_required
@require_POST
def unpark(request, pk: int) -> HttpResponse:
    line = _controlled_line(request, pk)
    form = ConfirmForm(request.POST, prefix="unpark")
    stale.track(form, line)
    form.is_valid()
    try:
        line_unpark(line, by=request.user, version=stale.expected(form))
    except ValidationError as error:
        # The refusal goes on the form that asked (a line not parked, a stale page).
        add_service_errors(form, error)
        return _render_line(request, line, form, unpark_form=form)
    messages.success(request, _("%(line)s is back in this claim's verification.") % {"line": line})
    return redirect("claims:line_verify", pk=line.pk)


# The checklist --------------------------------------------------------------------------------


def _checklist_form(claim: Claim, verification: Verification | None, data=None) -> ChecklistForm:
    questions = list(ChecklistQuestion.objects.filter(programme_id=claim.programme_id))
    answers = (
        {answer.question_id: answer for answer in verification.answers.all()}
        if verification
        else {}
    )
    form = ChecklistForm(data, questions=questions, answers=answers)
    stale.track(form, None, version=checklist_version(verification) if verification else stale.NEW)
    return form


def _checklist_page(request, claim, verification, form, status=200, errors=()) -> HttpResponse:
    context = {
        "claim": claim,
        "verification": verification,
        "form": form,
        "automatic": [
            (question, answer)
            for question, answer in checklist_rows(verification, claim)
            if question.auto_check
        ],
        "run_form": ConfirmForm(),
        "in_verification": claim.status == ClaimStatus.VERIFICATION,
        "action_errors": list(errors),
    }
    return render(request, "claims/checklist.html", context, status=status)


@login_required
@GET_AND_POST
def checklist(request, pk: int) -> HttpResponse:
    claim = _controlled_claim(request, pk)
    verification = _verification(claim)
    if request.method != "POST":
        return _checklist_page(request, claim, verification, _checklist_form(claim, verification))
    form = _checklist_form(claim, verification, request.POST)
    if form.is_valid():
        try:
            if verification is None:
                raise ValidationError(_("Start the verification first."))
            checklist_save(
                verification, form.answers(), by=request.user, version=stale.expected(form)
            )
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, _("The checklist is saved."))
            return redirect("claims:checklist", pk=claim.pk)
    status = 409 if stale.was_refused(form) else 400
    return _checklist_page(request, claim, verification, form, status=status)


@login_required
@require_POST
def auto_checks(request, pk: int) -> HttpResponse:
    claim = _controlled_claim(request, pk)
    try:
        auto_checks_run(claim, by=request.user)
    except ValidationError as error:
        verification = _verification(claim)
        form = _checklist_form(claim, verification)
        return _checklist_page(
            request, claim, verification, form, status=400, errors=error.messages
        )
    messages.success(request, _("Tandem checked its records again."))
    return redirect("claims:checklist", pk=claim.pk)


# The certificate ------------------------------------------------------------------------------


def _certify_context(claim: Claim, form: CertifyForm) -> dict:
    verification = _verification(claim)
    figures = claim_figures(claim)
    return {
        "claim": claim,
        "verification": verification,
        "figures": figures,
        "currency": figures.currency,
        "categories": category_rows(figures),
        "missing": missing_for_certificate(claim, verification)
        if claim.status == ClaimStatus.VERIFICATION
        else [],
        "in_verification": claim.status == ClaimStatus.VERIFICATION,
        "form": form,
    }


@login_required
@GET_AND_POST
def certify(request, pk: int) -> HttpResponse:
    claim = _controlled_claim(request, pk)
    if request.method != "POST":
        form = CertifyForm()
        stale.track(form, None, version=str(claim.version))
        return render(request, "claims/certify.html", _certify_context(claim, form))
    form = CertifyForm(request.POST)
    stale.track(form, None, version=str(claim.version))
    if form.is_valid():
        try:
            claim_certify(
                claim,
                by=request.user,
                conclusion=form.cleaned_data["conclusion"],
                ip_address=_client_ip(request),
                version=stale.expected(form),
            )
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, _("The claim is certified; the certificate is ready."))
            return redirect(claim)
    status = 409 if stale.was_refused(form) else 400
    claim.refresh_from_db()
    return render(request, "claims/certify.html", _certify_context(claim, form), status=status)


@login_required
@require_safe
def certificate(request, pk: int) -> HttpResponse:
    claim = _visible_claim(request, pk)
    verification = _verification(claim)
    if (
        claim.status != ClaimStatus.CERTIFIED
        or verification is None
        or verification.certificate is None
    ):
        raise Http404
    try:
        return stored_file_response(verification.certificate)  # type: ignore[return-value]
    except FileNotFoundError:
        raise Http404 from None
