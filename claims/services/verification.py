"""A claim's verification by its assigned controller: started, sampled, its sampled lines
checked (certified, deducted with a type of error, or parked for a later claim), the
programme's checklist answered (Tandem answering its own staff-cost checks), and the
certificate issued. Every step is logged (``ClaimLog``); amounts come from
``claims.selectors.claim_figures`` only."""

import random
import secrets
from decimal import Decimal, InvalidOperation
from typing import Any

from django.core.exceptions import NON_FIELD_ERRORS, ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from accounts.models import User
from config import clock
from config.stale import check, check_token, rows_version, version_of
from documents.models import StoredFile
from reporting.costs import cents

from .. import arithmetic, auto_checks, permissions
from ..models import (
    ChecklistAnswer,
    ChecklistKind,
    ChecklistQuestion,
    Claim,
    ClaimAction,
    ClaimLine,
    ErrorType,
    LineKind,
    Verification,
)
from .claims import log

PDF_TYPE = "application/pdf"


def _locked(claim: Claim) -> Claim:
    return (
        Claim.objects.select_for_update()
        .select_related("programme", "city", "period")
        .get(pk=claim.pk)
    )


def _may_verify(by: User, claim: Claim) -> Verification:
    ok, reason = permissions.can_verify(by, claim)
    if not ok:
        raise ValidationError(reason, code="wrong_role")
    verification = Verification.objects.filter(claim=claim).first()
    if verification is None:
        raise ValidationError(_("Start the verification first."))
    return verification


@transaction.atomic
def verification_start(claim: Claim, *, by: User, ip_address: str | None = None) -> Verification:
    """The assigned controller takes a submitted claim into verification; Tandem answers its own
    checks of the checklist at once. A verification kept from before a reopening goes on."""
    claim = _locked(claim)
    permissions.CLAIM_WORKFLOW.take(by, claim, "start_verification")
    claim.version += 1
    claim.save(update_fields=["status", "version"])
    verification, created = Verification.objects.get_or_create(
        claim=claim, defaults={"controller": by}
    )
    if not created and verification.controller_id != by.pk:
        verification.controller = by
        verification.save(update_fields=["controller"])
    log(claim, ClaimAction.VERIFICATION, by, ip_address=ip_address)
    _run_auto_checks(claim, verification)
    return verification


def _sample_lines(claim: Claim) -> list[ClaimLine]:
    """The lines a sample is drawn from: all but the flat rates, by key."""
    return list(claim.lines.exclude(kind=LineKind.FLAT_RATE).order_by("pk"))


@transaction.atomic
def sample_draw(
    claim: Claim,
    *,
    by: User,
    method: str,
    percent: int | None = None,
    reason: str = "",
    seed: str | None = None,
    version: str | None = None,
) -> Verification:
    """Draw the sample: every line (``all``), a random share (Python's ``random.Random(seed)``
    over the lines by key; the seed drawn when not given, and recorded, so that the draw can be
    repeated), or a risk-based share (the largest amounts claimed, ties by key). A share is
    ``percent`` of the lines, rounded up, at least one. Flat rates are never sampled: they follow
    the staff costs. Drawn again only until a line is checked."""
    from ..selectors import claim_figures

    claim = _locked(claim)
    verification = _may_verify(by, claim)
    verification = Verification.objects.select_for_update().get(pk=verification.pk)
    check(verification, version)
    if (
        claim.lines.filter(verified_at__isnull=False).exists()
        or claim.lines.filter(parked=True).exists()
    ):
        raise ValidationError(
            _("A line of the sample is checked already: the sample can no longer be drawn again.")
        )
    methods = Verification.SampleMethod
    if method not in methods.values:
        raise ValidationError({"method": _("Choose how the sample is drawn.")})
    if method == methods.ALL:
        percent = 100
    elif percent is None or not 1 <= int(percent) <= 100:
        raise ValidationError({"percent": _("Give the share of lines to sample, from 1 to 100.")})
    reason = reason.strip()
    if method != methods.ALL and not reason:
        raise ValidationError({"reason": _("Say why this share and method were chosen.")})
    lines = _sample_lines(claim)
    if not lines:
        raise ValidationError(_("The claim has no lines to sample."))
    size = arithmetic.sample_size(len(lines), int(percent))
    if method == methods.ALL:
        chosen = lines
        seed = ""
    elif method == methods.RANDOM:
        seed = (seed or "").strip() or secrets.token_hex(8)
        chosen = random.Random(seed).sample(lines, size)  # noqa: S311 (a documented draw)
    else:
        seed = ""
        amounts = claim_figures(claim).amounts
        chosen = sorted(lines, key=lambda line: (-amounts[line.pk], line.pk))[:size]
    ids = sorted(line.pk for line in chosen)
    claim.lines.update(sampled=False)
    claim.lines.filter(pk__in=ids).update(sampled=True)
    verification.sample_method = method
    verification.sample_percent = int(percent)
    verification.sample_seed = seed
    verification.sample_reason = reason
    verification.sampled_at = clock.now()
    verification.full_clean()
    verification.save()
    log(
        claim,
        ClaimAction.SAMPLED,
        by,
        comment=reason,
        details={"method": method, "percent": int(percent), "seed": seed, "lines": ids},
    )
    return verification


def _line_for_control(line: ClaimLine, by: User, version: str | None) -> tuple[Claim, ClaimLine]:
    claim = _locked(Claim(pk=line.claim_id))
    verification = _may_verify(by, claim)
    current = ClaimLine.objects.select_for_update().get(pk=line.pk, claim=claim)
    check(current, version)
    if verification.sampled_at is None:
        raise ValidationError(_("Draw the sample first."))
    if current.kind == LineKind.FLAT_RATE:
        raise ValidationError(
            _(
                "A flat rate is not checked by itself: what is certified of it follows the "
                "staff costs."
            )
        )
    return claim, current


def _amount(value: Any) -> Decimal | None:
    if value is None or value == "":
        return None
    try:
        return Decimal(str(value))
    except InvalidOperation:
        return None


@transaction.atomic
def line_verify(
    line: ClaimLine,
    *,
    by: User,
    deducted: Decimal | str | None,
    error_type: str = "",
    comment: str = "",
    version: str | None = None,
) -> ClaimLine:
    """Record the check of a line: the amount deducted (0 when all of it is certified), from 0
    to the line's amount as shown, in the currency's minor unit; a deduction names its type of
    error. A line outside the sample that the controller checks joins the sample; a parked
    line checked is no longer parked."""
    from ..selectors import claim_figures

    claim, current = _line_for_control(line, by, version)
    amount = _amount(deducted)
    figures = claim_figures(claim, lines=[current])
    shown = figures.shown(current)
    currency = figures.currency
    if amount is None:
        raise ValidationError({"deducted": _("Give the amount deducted (0 when none).")})
    if amount < 0 or amount > shown:
        raise ValidationError(
            {
                "deducted": _("The amount deducted is between 0 and the line's %(amount)s.")
                % {"amount": f"{shown} {currency}"}
            }
        )
    if cents(amount, currency) != amount:
        raise ValidationError(
            {
                "deducted": _("Give the amount deducted in %(currency)s to the cent.")
                % {"currency": currency}
            }
        )
    if error_type and error_type not in ErrorType.values:
        raise ValidationError({"error_type": _("Choose a type of error from the list.")})
    if amount > 0 and not error_type:
        raise ValidationError({"error_type": _("Choose the type of error behind the deduction.")})
    current.deducted = cents(amount, currency)
    current.error_type = error_type
    current.control_comment = comment.strip()
    current.sampled = True
    current.parked = False
    current.verified_at = clock.now()
    current.verified_by = by
    current.full_clean(exclude=["claim", "receipt", "created_by", "timesheet_month"])
    current.save()
    return current


@transaction.atomic
def line_park(line: ClaimLine, *, by: User, comment: str, version: str | None = None) -> ClaimLine:
    """Park a line for a later claim: neither certified nor deducted now. Expenditure comes back
    in the city's next claim once this one is certified (``claims._carry_parked``); a staff
    month, claimed once, stays parked here."""
    _claim, current = _line_for_control(line, by, version)
    comment = comment.strip()
    if not comment:
        raise ValidationError({"comment": _("Say why the line is parked.")})
    current.parked = True
    current.sampled = True
    current.deducted = None
    current.error_type = ""
    current.control_comment = comment
    current.verified_at = clock.now()
    current.verified_by = by
    current.save()
    return current


@transaction.atomic
def line_unpark(line: ClaimLine, *, by: User, version: str | None = None) -> ClaimLine:
    """Take a parked line back into this claim's verification, to be checked again."""
    _claim, current = _line_for_control(line, by, version)
    if not current.parked:
        raise ValidationError(_("The line is not parked."))
    current.parked = False
    current.verified_at = None
    current.verified_by = None
    current.save()
    return current


def _answer_fields(question: ChecklistQuestion, yes, text: str, score) -> dict:
    text = (text or "").strip()
    if question.kind == ChecklistKind.YES_NO:
        if yes is None:
            raise ValidationError({"yes": _("Answer yes or no.")})
        return {"yes": bool(yes), "text": text, "score": None}
    if question.kind == ChecklistKind.TEXT:
        if not text:
            raise ValidationError({"text": _("Write the answer.")})
        return {"yes": None, "text": text, "score": None}
    highest = question.max_score or 0
    if score is None or not 0 <= int(score) <= highest:
        raise ValidationError(
            {"score": _("Give a score from 0 to %(highest)s.") % {"highest": highest}}
        )
    return {"yes": None, "text": text, "score": int(score)}


@transaction.atomic
def checklist_answer(
    verification: Verification,
    question: ChecklistQuestion,
    *,
    by: User,
    yes: bool | None = None,
    text: str = "",
    score: int | None = None,
) -> ChecklistAnswer:
    """The controller's answer to one question, checked against its kind: yes or no, a text, a
    score from 0 to the question's highest."""
    claim = _locked(Claim(pk=verification.claim_id))
    verification = _may_verify(by, claim)
    if question.programme_id != claim.programme_id:
        raise ValidationError(_("The question is not of this programme's checklist."))
    fields = _answer_fields(question, yes, text, score)
    answer, _created = ChecklistAnswer.objects.update_or_create(
        verification=verification,
        question=question,
        defaults={**fields, "answered_by": by},
    )
    return answer


def checklist_version(verification: Verification) -> str:
    return rows_version(verification.answers.order_by("pk"))


@transaction.atomic
def checklist_save(
    verification: Verification,
    answers: dict[int, dict],
    *,
    by: User,
    version: str | None = None,
) -> list[ChecklistAnswer]:
    """The checklist saved as a whole: ``answers`` by question key (``yes``, ``text``,
    ``score``); a question left blank stays unanswered. Nothing is saved when an answer is
    refused: the errors come back keyed ``q<key>-<field>``."""
    claim = _locked(Claim(pk=verification.claim_id))
    verification = _may_verify(by, claim)
    Verification.objects.select_for_update().get(pk=verification.pk)
    check_token(checklist_version(verification), version, current_object=None)
    questions = {
        question.pk: question
        for question in ChecklistQuestion.objects.filter(programme_id=claim.programme_id)
    }
    errors: dict[str, list[str]] = {}
    saved = []
    for key, given in answers.items():
        question = questions.get(key)
        if question is None or question.auto_check:
            continue
        try:
            saved.append(checklist_answer(verification, question, by=by, **given))
        except ValidationError as error:
            for field, messages in error.message_dict.items():
                name = f"q{key}-{field}" if field != NON_FIELD_ERRORS else NON_FIELD_ERRORS
                errors.setdefault(name, []).extend(messages)
    if errors:
        transaction.set_rollback(True)
        raise ValidationError(errors)
    return saved


def _run_auto_checks(claim: Claim, verification: Verification) -> list[ChecklistAnswer]:
    done = []
    for question in ChecklistQuestion.objects.filter(programme_id=claim.programme_id).exclude(
        auto_check=""
    ):
        findings = auto_checks.run(claim, question.auto_check)
        answer, _created = ChecklistAnswer.objects.update_or_create(
            verification=verification,
            question=question,
            defaults={"yes": not findings, "text": "", "findings": findings, "answered_by": None},
        )
        done.append(answer)
    return done


@transaction.atomic
def auto_checks_run(claim: Claim, *, by: User | None = None) -> list[ChecklistAnswer]:
    """Answer the programme's questions that Tandem checks itself, from its own records (yes:
    nothing found; no: the findings say what). ``by``: the controller asking, whose right to
    verify is checked (none when the verification itself runs them)."""
    claim = _locked(claim)
    if by is not None:
        verification = _may_verify(by, claim)
    else:
        verification = Verification.objects.get(claim=claim)
    return _run_auto_checks(claim, verification)


def missing_for_certificate(claim: Claim, verification: Verification | None) -> list[str]:
    """What stands between the verification and its certificate, in words."""
    if verification is None:
        return [_("The verification has not started.")]
    missing = []
    if verification.sampled_at is None:
        missing.append(_("The sample is not drawn yet."))
    else:
        open_lines = [
            str(line)
            for line in claim.lines.filter(
                sampled=True, parked=False, verified_at__isnull=True
            ).select_related("person")
        ]
        if open_lines:
            missing.append(
                _("Lines of the sample not checked or parked yet: %(lines)s.")
                % {"lines": "; ".join(open_lines)}
            )
    answered = set(verification.answers.values_list("question_id", flat=True))
    unanswered = [
        str(question)
        for question in ChecklistQuestion.objects.filter(programme_id=claim.programme_id)
        if question.pk not in answered
    ]
    if unanswered:
        missing.append(
            _("Checklist questions not answered yet: %(questions)s.")
            % {"questions": "; ".join(unanswered)}
        )
    return missing


@transaction.atomic
def claim_certify(
    claim: Claim,
    *,
    by: User,
    conclusion: str,
    ip_address: str | None = None,
    version: str | int | None = None,
) -> Verification:
    """Issue the control certificate: refused, naming what is missing, until the sample is drawn,
    each sampled line checked or parked and each checklist question answered. The certificate
    PDF is stored on the verification, the claim is certified, the figures logged, and the city
    and coordinators told."""
    from ..documents import certificate_pdf
    from ..notifications import claim_step
    from ..selectors import claim_figures

    claim = _locked(claim)
    permissions.CLAIM_WORKFLOW.check(by, claim, "certify")
    check_token(claim.version, version, current_object=claim)
    verification = Verification.objects.select_for_update().filter(claim=claim).first()
    errors: dict[str, list[str]] = {}
    missing = missing_for_certificate(claim, verification)
    if missing:
        errors[NON_FIELD_ERRORS] = missing
    conclusion = conclusion.strip()
    if not conclusion:
        errors["conclusion"] = [_("Write the conclusion of the verification.")]
    if errors:
        raise ValidationError(errors)
    assert verification is not None  # noqa: S101 (missing_for_certificate says so otherwise)
    permissions.CLAIM_WORKFLOW.take(by, claim, "certify")
    claim.version += 1
    claim.save(update_fields=["status", "version"])
    verification.conclusion = conclusion
    verification.certified_at = clock.now()
    verification.certified_by = by
    verification.save()
    content = certificate_pdf(claim)
    verification.certificate = StoredFile.store(
        content,
        filename=f"control-certificate-{claim.city.slug}-period-{claim.period.number}.pdf",
        content_type=PDF_TYPE,
    )
    verification.save(update_fields=["certificate"])
    totals = claim_figures(claim).totals
    log(
        claim,
        ClaimAction.CERTIFIED,
        by,
        comment=conclusion,
        ip_address=ip_address,
        details={
            "claimed": {c: str(v) for c, v in totals.claimed.items()},
            "certified": {c: str(v) for c, v in totals.certified.items()},
            "deducted": {c: str(v) for c, v in totals.deducted.items()},
            "total_claimed": str(totals.total_claimed),
            "total_certified": str(totals.total_certified),
            "total_deducted": str(totals.total_deducted),
            "total_parked": str(totals.total_parked),
            "currency": totals.currency,
        },
    )
    claim_step(claim, "certified", by)
    return verification


def sample_version(verification: Verification | None) -> str:
    return version_of(verification)
