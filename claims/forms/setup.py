"""Forms of the coordinators' pages: the programme's claim set-up, audits and corrections. They
check what a form can; the services check the rules and put their messages on the fields."""

from typing import cast

from django import forms
from django.utils.translation import gettext_lazy as _

from ..models import (
    Audit,
    Category,
    ChecklistQuestion,
    ClaimRules,
    ControlAssignment,
    Correction,
    CostOption,
    ReportingPeriod,
)
from ..services.setup import MAX_DEADLINE_DAYS, MAX_MONTHS_PER_PERIOD, budget_key

DATE = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


class NoUniqueCheck:
    """The unique rules need the programme: the services say them, on their fields."""

    def validate_unique(self):
        pass

    def _post_clean(self):
        # Keep the form's own field checks; the model's rules are the service's.
        pass


class RulesForm(NoUniqueCheck, forms.ModelForm):
    class Meta:
        model = ClaimRules
        fields = ["burn_warning_percent", "sample_percent"]


class PeriodForm(NoUniqueCheck, forms.ModelForm):
    class Meta:
        model = ReportingPeriod
        fields = ["number", "starts_on", "ends_on", "deadline"]
        widgets = {"starts_on": DATE, "ends_on": DATE, "deadline": DATE}


class PeriodsGenerateForm(forms.Form):
    months = forms.IntegerField(
        label=_("Months per period"),
        min_value=1,
        max_value=MAX_MONTHS_PER_PERIOD,
        initial=6,
        help_text=_("E.g. 6 for a period every six months."),
    )
    deadline_days = forms.IntegerField(
        label=_("Days from a period's end to its deadline"),
        min_value=0,
        max_value=MAX_DEADLINE_DAYS,
        initial=60,
    )


class CostOptionForm(NoUniqueCheck, forms.ModelForm):
    class Meta:
        model = CostOption
        fields = ["name", "kind", "category", "amount", "unit", "rate", "active"]
        widgets = {"rate": forms.NumberInput(attrs={"step": "any"})}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        category = cast(forms.ChoiceField, self.fields["category"])
        category.choices = [("", "---------")] + [
            (value, label) for value, label in Category.choices if value != Category.STAFF
        ]
        self.fields["amount"].help_text = _(
            "For a unit cost (per unit) or a lump sum, in the programme's currency."
        )
        self.fields["unit"].help_text = _(
            "For a unit cost: what one unit is, e.g. a day of a visit."
        )
        self.fields["rate"].help_text = _("For a flat rate: the share of staff costs, e.g. 0.15.")


class BudgetsForm(forms.Form):
    """One amount per participating city and category (empty: no budget)."""

    def __init__(self, *args, cities, budgets: dict, **kwargs):
        super().__init__(*args, **kwargs)
        self.grid = []
        for city in cities:
            cells = []
            for category in Category:
                name = budget_key(city.pk, category.value)
                self.fields[name] = forms.DecimalField(
                    label=_("%(city)s, %(category)s") % {"city": city, "category": category.label},
                    required=False,
                    min_value=0,
                    max_digits=14,
                    decimal_places=2,
                    initial=budgets.get((city.pk, category.value)),
                )
                cells.append(name)
            self.grid.append((city, cells))

    def rows(self):
        return [(city, [self[name] for name in cells]) for city, cells in self.grid]

    def amounts(self) -> dict:
        return {
            (city.pk, category.value): self.cleaned_data.get(budget_key(city.pk, category.value))
            for city, _cells in self.grid
            for category in Category
        }


class QuestionForm(NoUniqueCheck, forms.ModelForm):
    class Meta:
        model = ChecklistQuestion
        fields = ["text", "kind", "max_score", "position"]
        widgets = {"text": forms.Textarea(attrs={"rows": 2})}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["max_score"].help_text = _("For a question answered with a score.")


class AssignmentForm(NoUniqueCheck, forms.ModelForm):
    class Meta:
        model = ControlAssignment
        fields = ["controller", "city", "period", "starts_on", "ends_on"]
        widgets = {"starts_on": DATE, "ends_on": DATE}

    def __init__(self, *args, controllers, cities, periods, **kwargs):
        super().__init__(*args, **kwargs)
        for name, queryset in (("controller", controllers), ("city", cities), ("period", periods)):
            cast(forms.ModelChoiceField, self.fields[name]).queryset = queryset


class AuditForm(NoUniqueCheck, forms.ModelForm):
    class Meta:
        model = Audit
        fields = ["body", "held_on", "findings"]
        widgets = {"held_on": DATE, "findings": forms.Textarea(attrs={"rows": 4})}


class CorrectionForm(NoUniqueCheck, forms.ModelForm):
    class Meta:
        model = Correction
        fields = ["category", "line", "amount", "description"]

    def __init__(self, *args, lines, **kwargs):
        super().__init__(*args, **kwargs)
        line = cast(forms.ModelChoiceField, self.fields["line"])
        line.queryset = lines
        line.required = False
        line.empty_label = _("The category as a whole")
        self.fields["amount"].help_text = _(
            "Taken off the certified amount, in the programme's currency; a negative amount "
            "gives back."
        )
