"""Forms of the plan's editing pages: a new plan, one text section, one row of a list section,
the order of a list, an action's status and an indicator's measurement.

They check the shape of the input only; who may edit, what a row may hold and whether someone
saved in between are checked by actionplans.services, whose ValidationErrors the views put back
on these forms. Edit forms carry the ``revision`` the editor started from (optimistic locking).
"""

from django import forms
from django.forms.models import fields_for_model
from django.utils.translation import gettext_lazy as _

from mentoring.models import Commitment, Recommendation

from ..models import Action, ActionPlan, ActionStatus, Measurement, Section
from ..services import ROWS

MAX_POSITION = 999


def _revision_field() -> forms.IntegerField:
    return forms.IntegerField(widget=forms.HiddenInput, min_value=0, required=False)


class PlanCreateForm(forms.Form):
    title = forms.CharField(
        label=_("Title"),
        max_length=200,
        required=False,
        help_text=_("Leave it empty to call it the local action plan of your city."),
    )


class SectionForm(forms.Form):
    """The text of the context, the objectives or the title."""

    text = forms.CharField(required=False)
    revision = _revision_field()

    def __init__(self, *args, section: str, **kwargs):
        super().__init__(*args, **kwargs)
        field = self.fields["text"]
        if section == "title":
            field.label = _("Title")
            field.required = True
            field.max_length = 200
            field.widget = forms.TextInput(attrs={"maxlength": 200})
        else:
            field.label = ActionPlan._meta.get_field(section).verbose_name.capitalize()
            field.widget = forms.Textarea(attrs={"rows": 14})
            field.help_text = _("Blank lines start new paragraphs.")


def _recommendation_label(recommendation: Recommendation) -> str:
    return f"{recommendation.report.event.title}: {recommendation}"


class RowForm(forms.Form):
    """The fields a person sets on an action, indicator, risk or local group member; an
    action also links the pairing's visit recommendations and Charter commitments."""

    revision = _revision_field()

    def __init__(self, *args, section: str, plan: ActionPlan, **kwargs):
        super().__init__(*args, **kwargs)
        model, names = ROWS[section]
        self.fields.update(fields_for_model(model, fields=names))
        for name in names:
            widget = self.fields[name].widget
            if isinstance(widget, forms.Textarea):
                widget.attrs["rows"] = 4
            if isinstance(self.fields[name], forms.DateField):
                self.fields[name].widget = forms.DateInput(attrs={"type": "date"})
        if model is Action:
            self.fields["recommendations"] = forms.ModelMultipleChoiceField(
                label=_("Visit recommendations it answers"),
                queryset=Recommendation.objects.filter(report__event__pairing=plan.pairing)
                .select_related("report__event")
                .order_by("report__event__starts_on", "report_id", "position"),
                widget=forms.CheckboxSelectMultiple,
                required=False,
            )
            self.fields["recommendations"].label_from_instance = _recommendation_label
            framework_id = plan.pairing.scheme.programme.framework_id
            if framework_id is not None:
                # The commitments of the programme's framework only.
                self.fields["commitments"] = forms.ModelMultipleChoiceField(
                    label=_("Commitments"),
                    queryset=Commitment.objects.filter(framework_id=framework_id),
                    widget=forms.CheckboxSelectMultiple,
                    required=False,
                )
        self.order_fields([*names, "recommendations", "commitments", "revision"])

    def row_fields(self) -> dict:
        """The cleaned values the services take as fields of the row."""
        data = dict(self.cleaned_data)
        data.pop("revision", None)
        data.pop("recommendations", None)
        data.pop("commitments", None)
        return data


def row_initial(row) -> dict:
    section = next(s for s, (model, _names) in ROWS.items() if isinstance(row, model))
    _model, names = ROWS[section]
    initial = {name: getattr(row, name) for name in names}
    initial["revision"] = row.revision
    if isinstance(row, Action):
        initial["recommendations"] = list(row.recommendations.all())
        initial["commitments"] = list(row.commitments.all())
    return initial


class RowsOrderForm(forms.Form):
    """A position number for each row (``position-<id>``); rows are put in the order of the
    numbers, ties keeping the order they had, rows without a number last."""

    revision = _revision_field()

    def __init__(self, *args, rows: list, **kwargs):
        super().__init__(*args, **kwargs)
        self.rows = rows
        for number, row in enumerate(rows, start=1):
            self.fields[f"position-{row.pk}"] = forms.IntegerField(
                label=_("Position of “%(row)s”") % {"row": row},
                min_value=1,
                max_value=MAX_POSITION,
                initial=number,
                required=False,
                widget=forms.NumberInput(attrs={"class": "position-input"}),
            )

    def bound_rows(self) -> list[tuple]:
        return [(row, self[f"position-{row.pk}"]) for row in self.rows]

    def order(self) -> list[int]:
        numbered = [
            (self.cleaned_data[f"position-{row.pk}"] or MAX_POSITION + 1, index, row.pk)
            for index, row in enumerate(self.rows)
        ]
        return [pk for _position, _index, pk in sorted(numbered)]


class ActionStatusForm(forms.Form):
    status = forms.ChoiceField(label=_("Status"), choices=ActionStatus.choices)


class MeasurementForm(forms.Form):
    measured_on = forms.DateField(
        label=Measurement._meta.get_field("measured_on").verbose_name.capitalize(),
        widget=forms.DateInput(attrs={"type": "date"}),
    )
    value = forms.DecimalField(
        label=Measurement._meta.get_field("value").verbose_name.capitalize(),
        max_digits=14,
        decimal_places=2,
    )
    note = forms.CharField(
        label=Measurement._meta.get_field("note").verbose_name.capitalize(),
        max_length=300,
        required=False,
    )


TEXT_SECTION_NAMES = {Section.CONTEXT.value, Section.OBJECTIVES.value, "title"}
