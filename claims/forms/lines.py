"""Forms of the city's claim pages. They check the shape of the input only; every rule (who may
change the claim, a category without a flat rate, a visit of the programme, an attendance of
this city, a payment after its invoice) lives in claims.services, whose ValidationErrors the
views put back on these forms."""

from typing import cast

from django import forms
from django.db.models import Q, QuerySet
from django.utils.translation import gettext_lazy as _

from cities.models import City
from documents.money import currency_choices
from mentoring.models import Attendance, Event

from ..models import (
    EXPENDITURE_CATEGORIES,
    Claim,
    ClaimLine,
    ClaimStatus,
    CostOption,
    CostOptionKind,
    LineKind,
    ReportingPeriod,
)
from ..receipts import checked_receipt, max_bytes

DATE_INPUT = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
LINE_KINDS = [(k.value, k.label) for k in (LineKind.REAL, LineKind.UNIT, LineKind.LUMP_SUM)]
FOREIGN_KEYS = {"cost_option", "event", "attendance"}
# The fields a line's form shares with the model (the stale-save summary names them).
LINE_FIELDS = (
    "kind",
    "cost_option",
    "quantity",
    "category",
    "supplier",
    "invoice_number",
    "invoice_date",
    "payment_date",
    "net_amount",
    "vat",
    "currency",
    "description",
    "event",
    "attendance",
)


class CostOptionChoice(forms.ModelChoiceField):
    def label_from_instance(self, obj: CostOption) -> str:
        if obj.kind == CostOptionKind.UNIT:
            return _("%(name)s (unit cost: %(amount)s per %(unit)s)") % {
                "name": obj.name,
                "amount": obj.amount,
                "unit": obj.unit,
            }
        return _("%(name)s (lump sum: %(amount)s)") % {"name": obj.name, "amount": obj.amount}


class AttendanceChoice(forms.ModelChoiceField):
    def label_from_instance(self, obj: Attendance) -> str:
        return _("%(person)s at %(event)s") % {"person": obj.attendee_name, "event": obj.event}


class ReceiptField(forms.FileField):
    def clean(self, data, initial=None):
        upload = super().clean(data, initial)
        if upload and upload is not initial:
            checked_receipt(upload)  # raises with the field's message
        return upload


def events_of(claim: Claim) -> QuerySet:
    """Visits of the claim's programme the city took part in (hosted or attended)."""
    return (
        Event.objects.filter(programme_id=claim.programme_id)
        .filter(Q(host_city_id=claim.city_id) | Q(attendances__city_id=claim.city_id))
        .distinct()
        .order_by("starts_at", "pk")
    )


def attendances_of(claim: Claim) -> QuerySet:
    return (
        Attendance.objects.filter(
            city_id=claim.city_id,
            event__programme_id=claim.programme_id,
        )
        .select_related("user", "event")
        .order_by("event__starts_at", "pk")
    )


class LineForm(forms.Form):
    kind = forms.ChoiceField(label=_("Kind of cost"), choices=LINE_KINDS, initial=LineKind.REAL)
    cost_option = CostOptionChoice(
        label=_("Cost option"),
        queryset=CostOption.objects.none(),
        required=False,
        help_text=_("For a unit cost or a lump sum: which of the programme's options."),
    )
    quantity = forms.DecimalField(
        label=_("Number of units"),
        required=False,
        max_digits=10,
        decimal_places=2,
        min_value=0.01,
        help_text=_("For a unit cost: how many units (e.g. days of a visit)."),
    )
    category = forms.ChoiceField(
        label=_("Category"),
        choices=[("", "—"), *[(c.value, c.label) for c in EXPENDITURE_CATEGORIES]],
        required=False,
        help_text=_("For a real cost. Unit costs and lump sums take their option's category."),
    )
    supplier = forms.CharField(label=_("Supplier"), max_length=200, required=False)
    invoice_number = forms.CharField(label=_("Invoice number"), max_length=100, required=False)
    invoice_date = forms.DateField(label=_("Invoice date"), required=False, widget=DATE_INPUT)
    payment_date = forms.DateField(label=_("Payment date"), required=False, widget=DATE_INPUT)
    net_amount = forms.DecimalField(
        label=_("Amount"),
        required=False,
        max_digits=14,
        decimal_places=2,
        min_value=0.01,
        help_text=_("For a real cost: without recoverable VAT, in the invoice's currency."),
    )
    vat = forms.DecimalField(
        label=_("VAT not recoverable"),
        required=False,
        max_digits=14,
        decimal_places=2,
        min_value=0,
        help_text=_("Only VAT the city cannot get back is eligible."),
    )
    currency = forms.ChoiceField(label=_("Currency"), required=False)
    description = forms.CharField(
        label=_("Description"),
        max_length=500,
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
    )
    event = forms.ModelChoiceField(
        label=_("Visit"),
        queryset=Event.objects.none(),
        required=False,
        help_text=_("The study or mentoring visit this cost is for, if any."),
    )
    attendance = AttendanceChoice(
        label=_("Attendance that proves the trip"),
        queryset=Attendance.objects.none(),
        required=False,
    )
    receipt = ReceiptField(
        label=_("Receipt"),
        required=False,
        widget=forms.ClearableFileInput(attrs={"accept": "application/pdf,image/*"}),
    )

    def __init__(self, *args, claim: Claim, line: ClaimLine | None = None, **kwargs):
        super().__init__(*args, **kwargs)
        self.claim = claim
        fields = self.fields
        cast(forms.ModelChoiceField, fields["cost_option"]).queryset = CostOption.objects.filter(
            programme_id=claim.programme_id,
            active=True,
            kind__in=[CostOptionKind.UNIT, CostOptionKind.LUMP_SUM],
        ).order_by("kind", "name")
        cast(forms.ModelChoiceField, fields["event"]).queryset = events_of(claim)
        cast(forms.ModelChoiceField, fields["attendance"]).queryset = attendances_of(claim)
        cast(forms.ChoiceField, fields["currency"]).choices = currency_choices()
        self.fields["receipt"].help_text = _(
            "A PDF or an image (JPEG, PNG, GIF, WebP) of at most %(limit)s MB. %(kept)s"
        ) % {
            "limit": max_bytes() // (1024 * 1024),
            "kept": _("Leave empty to keep the receipt already attached.")
            if line is not None and line.receipt_id
            else "",
        }
        if line is None:
            self.initial.setdefault("currency", claim.programme.currency)
            self.initial.setdefault("vat", 0)
        else:
            for name in LINE_FIELDS:
                attname = f"{name}_id" if name in FOREIGN_KEYS else name
                self.initial.setdefault(name, getattr(line, attname))
            if line.kind == LineKind.REAL:
                self.initial["quantity"] = None

    def clean(self):
        data = super().clean() or {}
        kind = data.get("kind")
        if kind == LineKind.REAL:
            if not data.get("category"):
                self.add_error("category", _("Choose the category of this cost."))
            if data.get("net_amount") is None and "net_amount" not in self.errors:
                self.add_error("net_amount", _("Enter the amount of the invoice."))
            if not data.get("currency"):
                self.add_error("currency", _("Choose the invoice's currency."))
        elif kind in (LineKind.UNIT, LineKind.LUMP_SUM):
            if data.get("cost_option") is None and "cost_option" not in self.errors:
                self.add_error("cost_option", _("Choose one of the programme's cost options."))
            if kind == LineKind.UNIT and not data.get("quantity") and "quantity" not in self.errors:
                self.add_error("quantity", _("Enter how many units."))
        return data

    def fill(self, line: ClaimLine) -> ClaimLine:
        """The line with what was typed (the service completes and checks it)."""
        data = self.cleaned_data
        for name in LINE_FIELDS:
            value = data.get(name)
            if name in ("vat",) and value is None:
                value = 0
            if name in ("category", "currency", "supplier", "invoice_number", "description"):
                value = value or ""
            setattr(line, name, value)
        if line.kind == LineKind.REAL:
            line.cost_option = None
            line.quantity = None
        elif line.cost_option is not None:
            line.category = line.cost_option.category  # the service checks the option
        return line


class SignForm(forms.Form):
    """Submit: the signature is the authenticated, logged POST itself, of the claim's version."""

    version = forms.CharField(widget=forms.HiddenInput, required=False, max_length=64)


class ReopenForm(forms.Form):
    reason = forms.CharField(
        label=_("Reason for reopening"),
        required=False,  # The service asks for it, with its own message.
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("Kept in the claim's history; the city's officers and supervisors are told."),
    )


class PeriodChoice(forms.ModelChoiceField):
    def label_from_instance(self, obj: ReportingPeriod) -> str:
        return f"{obj.programme.name} · {obj}"


class ClaimFilterForm(forms.Form):
    period = PeriodChoice(
        label=_("Period"), queryset=ReportingPeriod.objects.none(), required=False
    )
    city = forms.ModelChoiceField(label=_("City"), queryset=City.objects.none(), required=False)
    status = forms.ChoiceField(
        label=_("Status"), choices=[("", _("Any")), *ClaimStatus.choices], required=False
    )

    def __init__(self, *args, periods: QuerySet, cities: QuerySet, **kwargs):
        super().__init__(*args, **kwargs)
        period = cast(forms.ModelChoiceField, self.fields["period"])
        period.queryset = periods
        cast(forms.ModelChoiceField, self.fields["city"]).queryset = cities

    def narrow(self, claims: QuerySet) -> QuerySet:
        if not self.is_valid():
            return claims
        data = self.cleaned_data
        if data.get("period"):
            claims = claims.filter(period=data["period"])
        if data.get("city"):
            claims = claims.filter(city=data["city"])
        if data.get("status"):
            claims = claims.filter(status=data["status"])
        return claims
