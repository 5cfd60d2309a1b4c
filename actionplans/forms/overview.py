from django import forms
from django.utils.translation import gettext_lazy as _

from ..models import Stage


class PlanStageForm(forms.Form):
    """The plans overview's filter: the plans at one stage."""

    stage = forms.ChoiceField(
        label=_("Stage"), choices=[("", _("Any stage")), *Stage.choices], required=False
    )
