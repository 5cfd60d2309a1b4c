"""Forms of a programme's frame: which commitment framework it follows, a framework made by
hand and its commitments, and the frameworks a city has signed."""

from django import forms
from django.utils.translation import gettext_lazy as _

from ..models import Commitment, CommitmentFramework, FrameworkSignature

DATE = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


class FrameworkChoiceForm(forms.Form):
    framework = forms.ModelChoiceField(
        label=_("Commitment framework"),
        queryset=CommitmentFramework.objects.order_by("name"),
        required=False,
        empty_label=_("None: the programme follows no commitment framework"),
        help_text=_(
            "Schemes, good practices and action plans of the programme name commitments of this "
            "framework only; mentor suggestions count signatures of it. Commitments of another "
            "framework are taken off the programme's schemes when it changes."
        ),
    )


class FrameworkForm(forms.ModelForm):
    class Meta:
        model = CommitmentFramework
        fields = ["name", "description", "website"]
        widgets = {"description": forms.Textarea(attrs={"rows": 3})}


class CommitmentForm(forms.ModelForm):
    group_name = forms.CharField(
        label=_("Group"),
        max_length=200,
        required=False,
        help_text=_("Optional: a heading shared by several commitments, e.g. Employers."),
    )

    class Meta:
        model = Commitment
        fields = ["number", "title"]

    def __init__(self, *args, framework: CommitmentFramework, **kwargs):
        super().__init__(*args, **kwargs)
        self.instance.framework = framework
        if self.instance.group_id and not self.is_bound:
            self.initial["group_name"] = self.instance.group.name

    def validate_unique(self):
        # The (framework, number) constraint needs the framework, which is not a form field.
        try:
            self.instance.validate_constraints()
        except forms.ValidationError as error:
            self._update_errors(error)


class SignaturesForm(forms.Form):
    """For each framework, whether the city signed it and when."""

    prefix = "signatures"

    def __init__(self, *args, frameworks, city=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.frameworks = list(frameworks)
        stored = (
            {s.framework_id: s for s in FrameworkSignature.objects.filter(city=city)}
            if city is not None and city.pk
            else {}
        )
        for framework in self.frameworks:
            signature = stored.get(framework.pk)
            self.fields[f"signed_{framework.pk}"] = forms.BooleanField(
                label=_("Signed the %(framework)s") % {"framework": framework.name},
                required=False,
                initial=signature is not None,
            )
            self.fields[f"signed_on_{framework.pk}"] = forms.DateField(
                label=_("Signed the %(framework)s on") % {"framework": framework.name},
                required=False,
                widget=DATE,
                initial=signature.signed_on if signature else None,
            )

    def clean(self):
        cleaned = super().clean()
        for framework in self.frameworks:
            if cleaned.get(f"signed_on_{framework.pk}") and not cleaned.get(
                f"signed_{framework.pk}"
            ):
                self.add_error(
                    f"signed_on_{framework.pk}",
                    _("Tick 'signed' or leave the date empty."),
                )
        return cleaned

    def signatures(self) -> dict:
        """What the service ``city_signatures_set`` takes."""
        return {
            framework: (
                self.cleaned_data[f"signed_{framework.pk}"],
                self.cleaned_data[f"signed_on_{framework.pk}"],
            )
            for framework in self.frameworks
        }
