"""Forms of the toolkit editing pages: a toolkit's details, the practices it gathers in order,
its key success factors and the notes of a new edition.

They check the shape of the input only; who may do what and what a toolkit may hold are
checked by toolkits.services, whose ValidationErrors the views put back on these forms.
"""

from dataclasses import dataclass

from django import forms
from django.core.validators import MinValueValidator
from django.db.models import QuerySet
from django.forms.models import fields_for_model
from django.utils.translation import gettext_lazy as _

from ..models import GoodPractice, SuccessFactor, Toolkit
from ..vocabulary import code_choice_fields

MAX_POSITION = 9999


def _scheme_label(scheme) -> str:
    return f"{scheme.programme.name}: {scheme.code}, {scheme.theme}"


class ToolkitForm(forms.Form):
    """A toolkit's title, introduction and language; the theme only when it is created."""

    scheme = forms.ModelChoiceField(
        label=_("Theme"),
        queryset=None,
        help_text=_("The thematic scheme whose practices the toolkit gathers. It cannot change."),
    )

    def __init__(self, *args, schemes: QuerySet | None = None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields.update(fields_for_model(Toolkit, fields=["title", "introduction", "language"]))
        code_choice_fields(self, stored=kwargs.get("initial"))
        self.fields["introduction"].widget = forms.Textarea(attrs={"rows": 10})
        self.fields["introduction"].help_text = _(
            "What the theme is about and how to read the toolkit. Blank lines start paragraphs."
        )
        if schemes is None:
            del self.fields["scheme"]
        else:
            self.fields["scheme"].queryset = schemes
            self.fields["scheme"].label_from_instance = _scheme_label
            # The theme first, as it is chosen first.
            self.order_fields(["scheme", "title", "introduction", "language"])


@dataclass
class PracticeRow:
    """One line of the practices page: a practice, its place in the toolkit now (None when it
    is not in it) and its form fields."""

    practice: GoodPractice
    position: int | None
    number: int
    position_field: forms.BoundField | None = None

    @property
    def in_toolkit(self) -> bool:
        return self.position is not None

    @property
    def choosable(self) -> bool:
        return self.practice.is_published

    @property
    def checkbox_id(self) -> str:
        return f"id_include_{self.practice.pk}"


class ToolkitPracticesForm(forms.Form):
    """Which of the listed practices are in the toolkit (``practices``, the ticked
    checkboxes' ids) and at which position (``position-<id>``, a number from 1 for each).

    Only published practices can be ticked; practices still in the toolkit that are no longer
    published are listed without a checkbox and drop out when the list is saved.
    """

    practices = forms.TypedMultipleChoiceField(
        label=_("Practices in the toolkit"),
        coerce=int,
        required=False,
        error_messages={
            "invalid_choice": _(
                "%(value)s is not a published practice of this theme; reload the page."
            )
        },
    )

    def __init__(self, *args, rows: list[PracticeRow], **kwargs):
        super().__init__(*args, **kwargs)
        self.rows = rows
        choosable = [row for row in rows if row.choosable]
        self.fields["practices"].choices = [
            (str(row.practice.pk), row.practice.title) for row in choosable
        ]
        self.initial.setdefault(
            "practices", [str(row.practice.pk) for row in choosable if row.in_toolkit]
        )
        for row in choosable:
            name = self.position_name(row.practice)
            self.fields[name] = forms.IntegerField(
                label=_("Position of “%(title)s”") % {"title": row.practice.title},
                required=False,
                min_value=1,
                max_value=MAX_POSITION,
                initial=row.number,
                widget=forms.NumberInput(attrs={"class": "position", "inputmode": "numeric"}),
            )
            row.position_field = self[name]

    @staticmethod
    def position_name(practice: GoodPractice) -> str:
        return f"position-{practice.pk}"

    def ticked(self) -> set[str]:
        """The ids ticked, as the checkboxes should show them (submitted or initial)."""
        if self.is_bound:
            return set(self.data.getlist(self.add_prefix("practices")))
        return set(self.initial["practices"])

    def clean_practices(self) -> list[int]:
        chosen = self.cleaned_data["practices"]
        if len(set(chosen)) != len(chosen):
            raise forms.ValidationError(_("A practice appears only once in a toolkit."))
        return chosen

    def clean(self):
        data = super().clean()
        for pk in data.get("practices") or []:
            name = f"position-{pk}"
            if name in self.fields and data.get(name) is None and name not in self.errors:
                self.add_error(name, _("Give the practice its position, a number from 1."))
        return data

    def chosen_practices(self) -> list[GoodPractice]:
        """The ticked practices sorted by position; equal positions keep the listed order."""
        by_pk = {row.practice.pk: row for row in self.rows}
        chosen = [by_pk[pk] for pk in self.cleaned_data["practices"]]
        chosen.sort(
            key=lambda row: (self.cleaned_data[self.position_name(row.practice)], row.number)
        )
        return [row.practice for row in chosen]


class SuccessFactorForm(forms.Form):
    name = fields_for_model(SuccessFactor, fields=["name"])["name"]
    description = forms.CharField(
        label=_("Description"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("What it takes, and how to tell whether a practice meets it."),
    )


class BaseSuccessFactorFormSet(forms.BaseFormSet):
    ordering_widget = forms.NumberInput

    def add_fields(self, form, index):
        super().add_fields(form, index)
        form.fields["ORDER"].label = _("Position")
        form.fields["ORDER"].validators.append(MinValueValidator(1))
        form.fields["ORDER"].widget.attrs.update({"min": 1, "class": "position"})
        form.fields["ORDER"].help_text = _("Leave as it is to keep the listed order.")
        form.fields["DELETE"].label = _("Remove this factor")

    def factors(self) -> list[tuple[str, str]]:
        """(name, description) of the kept rows, by position; equal positions keep the listed
        order and rows without one come last."""
        return [
            (form.cleaned_data["name"], form.cleaned_data.get("description", ""))
            for form in self.ordered_forms
            if form.cleaned_data.get("name")
        ]


SuccessFactorFormSet = forms.formset_factory(
    SuccessFactorForm,
    formset=BaseSuccessFactorFormSet,
    extra=3,
    can_order=True,
    can_delete=True,
    # A toolkit names a handful of factors. The caps keep a tampered TOTAL_FORMS cheap: past
    # absolute_max the formset builds no more forms and answers with an error.
    max_num=50,
    absolute_max=50,
    validate_max=True,
)


class EditionPublishForm(forms.Form):
    notes = forms.CharField(
        label=_("What is new"),
        required=False,
        max_length=5000,
        widget=forms.Textarea(attrs={"rows": 5}),
        help_text=_("Shown with the edition in the list of editions, for readers of earlier ones."),
    )
    # The last edition the page showed: a second click on Publish finds it changed and does not
    # publish the same content twice.
    after = forms.IntegerField(widget=forms.HiddenInput, required=False, min_value=0)
