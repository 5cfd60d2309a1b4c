"""Forms of the workflow steps, of comments on a version, and of choosing two versions to compare.

They check the shape of what is typed; the rules (a comment when asking for changes, an
endorsement dated neither in the future nor before the approval) live in actionplans.services,
whose ValidationErrors the views put back on these forms.
"""

from django import forms
from django.utils.translation import gettext_lazy as _

from ..models import Section

DATE_INPUT = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


class StepForm(forms.Form):
    """A step with nothing to say (submit, start), or an optional comment (approve, complete)."""

    comment = forms.CharField(
        label=_("Comment (optional)"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
    )

    def service_kwargs(self) -> dict:
        return {"comment": self.cleaned_data["comment"]} if "comment" in self.fields else {}


class PlainStepForm(StepForm):
    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        del self.fields["comment"]


class RequestChangesForm(StepForm):
    comment = forms.CharField(
        label=_("What should change"),
        widget=forms.Textarea(attrs={"rows": 4}),
        error_messages={"required": _("Say what should change.")},
    )


class EndorseForm(forms.Form):
    body = forms.CharField(
        label=_("Deciding body"),
        max_length=200,
        help_text=_("For example the city council or the mayor."),
        error_messages={"required": _("Name the body that decided, e.g. the city council.")},
    )
    decided_on = forms.DateField(
        label=_("Date of the decision"),
        widget=DATE_INPUT,
        error_messages={"required": _("Give the date of the decision.")},
    )
    reference = forms.CharField(
        label=_("Reference of the decision"),
        max_length=200,
        error_messages={"required": _("Give the reference of the decision.")},
    )

    def service_kwargs(self) -> dict:
        data = self.cleaned_data
        return {
            "body": data["body"],
            "decided_on": data["decided_on"],
            "reference": data["reference"],
        }


# The form each step posts; submit and resubmit freeze the plan as a new version.
STEP_FORMS = {
    "submit": PlainStepForm,
    "resubmit": PlainStepForm,
    "request_changes": RequestChangesForm,
    "approve": StepForm,
    "endorse": EndorseForm,
    "start": PlainStepForm,
    "complete": StepForm,
}


def step_form(name: str, data=None, *, prefix: str | None = None) -> forms.Form:
    return STEP_FORMS[name](data, prefix=prefix)


class CommentForm(forms.Form):
    section = forms.ChoiceField(choices=Section.choices, widget=forms.HiddenInput)
    body = forms.CharField(
        label=_("Your comment"),
        widget=forms.Textarea(attrs={"rows": 3}),
        error_messages={"required": _("Write the comment first.")},
    )


class CompareForm(forms.Form):
    a = forms.TypedChoiceField(label=_("Compare version"), coerce=int)
    b = forms.TypedChoiceField(label=_("with version"), coerce=int)

    def __init__(self, *args, numbers: list[int], **kwargs):
        super().__init__(*args, **kwargs)
        choices = [(n, _("Version %(number)s") % {"number": n}) for n in numbers]
        self.fields["a"].choices = choices
        self.fields["b"].choices = choices
