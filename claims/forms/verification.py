"""The controller's forms: the sample, a line's check, parking, the checklist, the certificate.
The services check every rule again; these only read what was typed."""

from django import forms
from django.utils.translation import gettext_lazy as _

from ..models import ChecklistKind, ChecklistQuestion, ErrorType, Verification


class SampleForm(forms.Form):
    method = forms.ChoiceField(
        label=_("How the sample is drawn"),
        choices=Verification.SampleMethod.choices,
        widget=forms.RadioSelect,
    )
    percent = forms.IntegerField(
        label=_("Share of lines (%)"),
        required=False,
        min_value=1,
        max_value=100,
        help_text=_(
            "For a random or risk-based sample: the share is rounded up, at least one line."
        ),
    )
    reason = forms.CharField(
        label=_("Why this sample"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("Needed for a random or risk-based sample."),
    )
    seed = forms.CharField(
        label=_("Random seed (optional)"),
        required=False,
        max_length=64,
        help_text=_("Left empty, Tandem draws one and records it, so the draw can be repeated."),
    )


class LineCheckForm(forms.Form):
    deducted = forms.DecimalField(
        label=_("Amount deducted"),
        min_value=0,
        max_digits=14,
        decimal_places=2,
        help_text=_("0 when the whole line is certified."),
    )
    error_type = forms.ChoiceField(
        label=_("Type of error"),
        required=False,
        choices=[("", _("None"))] + list(ErrorType.choices),
        help_text=_("Needed when something is deducted."),
    )
    comment = forms.CharField(
        label=_("Comment"), required=False, widget=forms.Textarea(attrs={"rows": 3})
    )


class ParkForm(forms.Form):
    comment = forms.CharField(
        label=_("Why the line is parked"),
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 2}),
    )


class ConfirmForm(forms.Form):
    """A step with nothing to type (start, unpark, run the checks again)."""


YES_NO = [("yes", _("Yes")), ("no", _("No"))]


class ChecklistForm(forms.Form):
    """One field per question answered by hand (``q<key>-yes``, ``-text``, ``-score``); the
    questions Tandem answers itself are shown beside it, not edited."""

    def __init__(self, *args, questions: list[ChecklistQuestion], answers: dict, **kwargs):
        super().__init__(*args, **kwargs)
        self.questions = [q for q in questions if not q.auto_check]
        for question in self.questions:
            answer = answers.get(question.pk)
            prefix = f"q{question.pk}"
            if question.kind == ChecklistKind.YES_NO:
                self.fields[f"{prefix}-yes"] = forms.ChoiceField(
                    label=question.text, choices=YES_NO, required=False, widget=forms.RadioSelect
                )
                if answer is not None and answer.yes is not None:
                    self.initial[f"{prefix}-yes"] = "yes" if answer.yes else "no"
                self.fields[f"{prefix}-text"] = forms.CharField(
                    label=_("Comment"), required=False, widget=forms.Textarea(attrs={"rows": 2})
                )
            elif question.kind == ChecklistKind.SCORE:
                self.fields[f"{prefix}-score"] = forms.IntegerField(
                    label=question.text,
                    required=False,
                    min_value=0,
                    max_value=question.max_score,
                    help_text=_("From 0 to %(highest)s.") % {"highest": question.max_score},
                )
                if answer is not None:
                    self.initial[f"{prefix}-score"] = answer.score
                self.fields[f"{prefix}-text"] = forms.CharField(
                    label=_("Comment"), required=False, widget=forms.Textarea(attrs={"rows": 2})
                )
            else:
                self.fields[f"{prefix}-text"] = forms.CharField(
                    label=question.text, required=False, widget=forms.Textarea(attrs={"rows": 3})
                )
            if answer is not None:
                self.initial[f"{prefix}-text"] = answer.text

    def rows(self):
        """(question, its bound fields) in order, for the template."""
        for question in self.questions:
            prefix = f"q{question.pk}-"
            yield question, [self[name] for name in self.fields if name.startswith(prefix)]

    def answers(self) -> dict[int, dict]:
        """What was typed, by question key; a question left blank is left out."""
        given: dict[int, dict] = {}
        for question in self.questions:
            prefix = f"q{question.pk}"
            text = self.cleaned_data.get(f"{prefix}-text") or ""
            if question.kind == ChecklistKind.YES_NO:
                value = self.cleaned_data.get(f"{prefix}-yes")
                if value:
                    given[question.pk] = {"yes": value == "yes", "text": text}
            elif question.kind == ChecklistKind.SCORE:
                score = self.cleaned_data.get(f"{prefix}-score")
                if score is not None:
                    given[question.pk] = {"score": score, "text": text}
            elif text.strip():
                given[question.pk] = {"text": text}
        return given


class CertifyForm(forms.Form):
    conclusion = forms.CharField(
        label=_("Conclusion"),
        widget=forms.Textarea(attrs={"rows": 5}),
        help_text=_("Printed on the certificate, with the figures above."),
    )
