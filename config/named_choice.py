"""One object among hundreds, chosen by typing its name: the one way a data-entry form picks a
city or a person where a select would list hundreds of options (slow to render, each option
through a widget template, and poor to use).

``NamedChoiceField`` cleans the text typed to exactly one object of the queryset given to
``limit_to``: the one the text names in full (what "in full" means is the subclass's: a city's
name whatever its accents, a person's name or e-mail address). Text that names several is
refused with their labels, which tell them apart and are accepted back (a city's "Valencia
(ES)"); text that names none is refused with the near misses. A number is the object's id, as
a select sends it and as old links and scripts did.

A short list is friendlier as a select: one sees every choice and cannot misspell one. So up to
``SELECT_UP_TO`` objects the field shows a select of their labels (their ids as values: the
same cleaning); beyond, a text box whose suggestions ``static/js/name-suggest.js`` fetches
from ``suggest_url`` as one types (``suggestions_response``: the same labels, from exactly the
objects the field accepts). Without JavaScript the box works by typing the name.
"""

from collections.abc import Callable

from django import forms
from django.core.validators import ProhibitNullCharactersValidator
from django.db.models import Model, QuerySet
from django.http import HttpRequest, JsonResponse
from django.utils.translation import gettext_lazy as _

# Up to this many choices the field is a select; beyond, a text box with suggestions.
SELECT_UP_TO = 30
# The most objects a message lists (several of the same name, or near misses).
LISTED = 8
# Labels a box suggests at once.
SUGGESTIONS = 12


class NamedChoiceField(forms.Field):
    """One object of ``limit_to``'s queryset, typed by name (a select when they are few).

    A subclass says how its objects are named: ``labels`` (of a set holding every object that
    shares a name with one of them), ``label_of`` (one object, among the whole queryset),
    ``called`` (those the text names in full) and ``near`` (those it names in part, best
    first). Its ``default_error_messages`` word "unknown", "ambiguous" and "number" for its
    objects; a form may reword them for its own set (``error_messages``).
    """

    default_error_messages = {
        "unknown": _("Nothing here is called “%(text)s”."),
        "near": _("Did you mean: %(labels)s?"),
        "ambiguous": _(
            "Several are called “%(text)s”: %(labels)s. Type the one you mean as written here."
        ),
        "number": _("Nothing here has the number %(number)s."),
        "too_long": _("Type at most %(limit)s characters."),
    }
    max_length = 200
    # What a box says when the field has no help text of its own.
    box_help = ""

    def __init__(self, **kwargs):
        super().__init__(**kwargs)
        self.validators.append(ProhibitNullCharactersValidator())
        self.queryset: QuerySet | None = None
        self.few: dict[int, Model] | None = None  # the objects of a select, by id

    # What a subclass says about its objects.

    def labels(self, objects: list) -> dict[int, str]:
        raise NotImplementedError

    def label_of(self, obj: Model) -> str:
        raise NotImplementedError

    def called(self, queryset: QuerySet, text: str) -> QuerySet:
        raise NotImplementedError

    def near(self, queryset: QuerySet, text: str) -> QuerySet:
        raise NotImplementedError

    # The field.

    def limit_to(self, queryset: QuerySet, *, suggest_url: str = "") -> None:
        """Choose among ``queryset`` (ordered as a select should list it): a select of them
        when they are at most ``SELECT_UP_TO`` (read here, in the one query that tells), else a
        text box suggesting labels from ``suggest_url``, which must answer from the same
        objects."""
        self.queryset = queryset
        first = list(queryset[: SELECT_UP_TO + 1])
        if len(first) <= SELECT_UP_TO:
            self.few = {obj.pk: obj for obj in first}
            labels = self.labels(first)
            widget = forms.Select(
                choices=[("", "---------"), *((obj.pk, labels[obj.pk]) for obj in first)]
            )
        else:
            self.few = None
            attrs = {"autocomplete": "off", "maxlength": str(self.max_length)}
            if suggest_url:
                attrs["data-suggest"] = suggest_url
            widget = forms.TextInput(attrs=attrs)
            self.help_text = self.help_text or self.box_help
        widget.is_required = self.required
        self.widget = widget

    def _by_number(self, text: str) -> Model:
        number = int(text)
        if self.few is not None:
            found = self.few.get(number)
        else:
            found = self.queryset.filter(pk=number).first() if number < 2**31 else None
        if found is None:
            raise forms.ValidationError(
                self.error_messages["number"], code="invalid_choice", params={"number": text}
            )
        return found

    def to_python(self, value) -> str:
        return " ".join(str(value or "").split())

    def validate(self, value: str) -> None:
        super().validate(value)
        if len(value) > self.max_length:
            raise forms.ValidationError(
                self.error_messages["too_long"],
                code="max_length",
                params={"limit": self.max_length},
            )

    def clean(self, value):
        text = super().clean(value)
        if not text:
            return None
        if self.queryset is None:
            raise forms.ValidationError(
                self.error_messages["unknown"], code="invalid_choice", params={"text": text}
            )
        if text.isascii() and text.isdigit():
            return self._by_number(text)
        found = list(self.called(self.queryset, text)[: LISTED + 1])
        if len(found) == 1:
            return found[0]
        if found:
            labels = self.labels(found)
            raise forms.ValidationError(
                self.error_messages["ambiguous"],
                code="ambiguous",
                params={"text": text, "labels": ", ".join(labels[obj.pk] for obj in found)},
            )
        errors = [
            forms.ValidationError(
                self.error_messages["unknown"], code="invalid_choice", params={"text": text}
            )
        ]
        near = list(self.near(self.queryset, text)[:LISTED])
        if near:
            labels = self.labels(near)
            listed = ", ".join(dict.fromkeys(labels[obj.pk] for obj in near))
            errors.append(
                forms.ValidationError(
                    self.error_messages["near"], code="near", params={"labels": listed}
                )
            )
        raise forms.ValidationError(errors)

    def prepare_value(self, value):
        """A select shows the object's id; a box the text typed, or the initial object's label."""
        if isinstance(value, Model):
            obj = value
        elif isinstance(value, int) and self.queryset is not None:
            # An initial id (what a form was given before this field existed).
            obj = self.few.get(value) if self.few is not None else None
            obj = obj or self.queryset.filter(pk=value).first()
            if obj is None:
                return value
        else:
            return value
        return obj.pk if self.few is not None else self.label_of(obj)


class NameQueryForm(forms.Form):
    """What a search box sends for suggestions as one types: ``?q=`` and part of a name."""

    q = forms.CharField(max_length=120, required=False, strip=True)


def suggestions_response(
    request: HttpRequest, labels_for: Callable[[str], list[str]]
) -> JsonResponse:
    """``{"names": [...]}``: what ``labels_for(text)`` answers for ``?q=`` (at most
    ``SUGGESTIONS``, nothing for empty text); 400 with the field's message for text no name
    could have."""
    form = NameQueryForm(request.GET)
    if not form.is_valid():
        return JsonResponse({"errors": form.errors.get_json_data()}, status=400)
    text = " ".join(form.cleaned_data["q"].split())
    names = labels_for(text) if text else []
    return JsonResponse({"names": list(dict.fromkeys(names))[:SUGGESTIONS]})
