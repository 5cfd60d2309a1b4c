"""The form of a programme's target group, edited on the programme's frame page."""

from django import forms

from ..models import TargetGroup


class TargetGroupForm(forms.ModelForm):
    class Meta:
        model = TargetGroup
        fields = ["name"]

    def __init__(self, *args, programme, **kwargs):
        super().__init__(*args, **kwargs)
        self.instance.programme = programme

    def validate_unique(self):
        # The (programme, name) constraint needs the programme, which is not a form field.
        try:
            self.instance.validate_constraints()
        except forms.ValidationError as error:
            self._update_errors(error)
