"""Forms of writing and reviewing good practices, and of a practice's images.

They check the shape of what is typed (a date, an amount, a web address per line, a real image of
a sensible size); the practice's rules (who writes for which city, the budget and the period in
order, a comment when returning) live in toolkits.services, whose ValidationErrors the views put
back on these forms.
"""

from decimal import Decimal
from itertools import groupby
from operator import attrgetter

from django import forms
from django.conf import settings
from django.core.validators import MinValueValidator
from django.db.models import Q
from django.forms.models import ModelChoiceIterator
from django.utils.translation import gettext_lazy as _

from accounts.models import Role, User
from accounts.selectors import scopes_of
from cities.models import City
from mentoring.models import Commitment, Programme, Scheme

from .. import services
from ..images import ERROR_MESSAGES, checked_image, megabytes
from ..models import GoodPractice, TargetGroup
from ..services import PRACTICE_FIELDS, PRACTICE_RELATIONS
from ..vocabulary import code_choice_fields

DATE_INPUT = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
MONEY_INPUT = forms.NumberInput(attrs={"step": "0.01", "min": "0", "inputmode": "decimal"})


class SchemesByProgramme(ModelChoiceIterator):
    """Themes grouped under their programme's name (an <optgroup> each)."""

    def __iter__(self):
        if self.field.empty_label is not None:
            yield ("", self.field.empty_label)
        for _programme, schemes in groupby(self.queryset, key=attrgetter("programme_id")):
            schemes = list(schemes)
            yield (str(schemes[0].programme), [self.choice(scheme) for scheme in schemes])


class SchemeChoiceField(forms.ModelChoiceField):
    iterator = SchemesByProgramme


class PracticeForm(forms.ModelForm):
    """A practice's text, figures and tags. An officer of several cities picks the city when
    writing a new one; its theme is one of the schemes of the programmes the city takes part in."""

    class Meta:
        model = GoodPractice
        fields = [*PRACTICE_FIELDS, *PRACTICE_RELATIONS]
        field_classes = {"scheme": SchemeChoiceField}
        widgets = {
            "partner_organisations": forms.Textarea(attrs={"rows": 3}),
            "summary": forms.Textarea(attrs={"rows": 4}),
            "challenge": forms.Textarea(attrs={"rows": 5}),
            "actions": forms.Textarea(attrs={"rows": 8}),
            "results": forms.Textarea(attrs={"rows": 5}),
            "resources": forms.Textarea(attrs={"rows": 3}),
            "transferability": forms.Textarea(attrs={"rows": 5}),
            "links": forms.Textarea(attrs={"rows": 3}),
            "budget": MONEY_INPUT,
            "eu_contribution": MONEY_INPUT,
            "started_on": DATE_INPUT,
            "ended_on": DATE_INPUT,
            "target_groups": forms.CheckboxSelectMultiple,
            "commitments": forms.CheckboxSelectMultiple,
        }

    # How the page groups the fields, each group under its own heading.
    SECTIONS = (
        (_("The practice"), ("city", "scheme", "title", "language", "summary")),
        (_("What was done"), ("challenge", "actions", "results", "target_groups")),
        (
            _("Resources, budget and period"),
            ("resources", "budget", "eu_contribution", "currency", "started_on", "ended_on"),
        ),
        (_("For other cities"), ("transferability", "partner_organisations", "commitments")),
        (_("Contact and links"), ("contact_name", "contact_email", "links")),
    )

    def __init__(self, *args, user: User, **kwargs):
        super().__init__(*args, **kwargs)
        self.user = user
        editing = self.instance.pk is not None
        if editing:
            cities = City.objects.filter(pk=self.instance.city_id)
        else:
            officer_of = scopes_of(user).city_ids(Role.OFFICER)
            cities = City.objects.filter(pk__in=officer_of).order_by("name")
            if len(officer_of) > 1:
                self.fields = {
                    "city": forms.ModelChoiceField(
                        label=_("City"),
                        queryset=cities,
                        help_text=_("The city whose practice this is."),
                    ),
                    **self.fields,
                }
        schemes = Q(programme__in=Programme.objects.filter(participations__city__in=cities))
        if editing:
            schemes |= Q(pk=self.instance.scheme_id)
        self.fields["scheme"].queryset = (
            Scheme.objects.filter(schemes)
            .select_related("programme")
            .order_by("programme__name", "programme_id", "code")
        )
        self._frame_fields(self.fields["scheme"].queryset)
        code_choice_fields(self, stored=self.instance)
        for name in ("budget", "eu_contribution"):
            self.fields[name].validators.append(MinValueValidator(Decimal(0)))
        self.fields["links"].help_text = _(
            "Web addresses starting with http:// or https://, one per line."
        )

    def _frame_fields(self, schemes) -> None:
        """Target groups and commitments of the frame of the practice's programme: of its
        scheme's programme when editing, else of the programmes whose themes are offered (each
        labelled with its programme when there are several). A field none of them has is left
        out."""
        if self.instance.pk:
            programme_ids = {self.instance.scheme.programme_id}
        else:
            programme_ids = set(schemes.values_list("programme_id", flat=True))
        several = len(programme_ids) > 1
        groups = TargetGroup.objects.filter(programme__in=programme_ids).select_related("programme")
        commitments = (
            Commitment.objects.filter(framework__programmes__in=programme_ids)
            .distinct()
            .select_related("framework")
        )
        if groups.exists():
            self.fields["target_groups"].queryset = groups
            if several:
                self.fields["target_groups"].label_from_instance = lambda g: (
                    f"{g.programme}: {g.name}"
                )
        else:
            del self.fields["target_groups"]
        if commitments.exists():
            field = self.fields["commitments"]
            field.queryset = commitments
            frameworks = {c.framework for c in commitments}
            if len(frameworks) == 1:
                field.label = _("Commitments of %(framework)s") % {"framework": frameworks.pop()}
            else:
                field.label_from_instance = lambda c: f"{c.framework}: {c}"
        else:
            del self.fields["commitments"]

    def sections(self) -> list[tuple[str, list[forms.BoundField]]]:
        return [
            (title, [self[name] for name in names if name in self.fields])
            for title, names in self.SECTIONS
        ]

    def clean_links(self) -> str:
        return services.clean_links(self.cleaned_data["links"])

    def clean(self):
        """The service's checks between fields (practice_field_errors), on the fields that
        could be read, so that every message shows at once; the service makes them again
        before it saves."""
        data = super().clean()
        errors = services.practice_field_errors(
            budget=data.get("budget"),
            eu_contribution=data.get("eu_contribution"),
            started_on=data.get("started_on"),
            ended_on=data.get("ended_on"),
        )
        for name, messages in errors.items():
            if name not in self.errors:
                self.add_error(name, messages)
        city, scheme = data.get("city"), data.get("scheme")
        if city is not None and scheme is not None:
            if not scheme.programme.participations.filter(city=city).exists():
                self.add_error(
                    "scheme",
                    _("%(city)s does not take part in %(programme)s; choose one of its themes.")
                    % {"city": city, "programme": scheme.programme},
                )
        return data

    def _post_clean(self):
        # The practice is not built here: the service sets the fields and validates it whole.
        pass

    def practice_data(self) -> dict:
        """The cleaned fields the services take, without the city."""
        return {
            name: self.cleaned_data[name]
            for name in (*PRACTICE_FIELDS, *PRACTICE_RELATIONS)
            if name in self.cleaned_data
        }

    def chosen_city(self) -> City | None:
        return self.cleaned_data.get("city")


# Review ------------------------------------------------------------------------------------------


def _comment(label, help_text, *, required: bool = False) -> forms.CharField:
    return forms.CharField(
        label=label,
        # A required comment is asked for by the service, with its own message on this field.
        required=required,
        max_length=4000,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=help_text,
    )


class PublishForm(forms.Form):
    comment = _comment(
        _("Note for the authors (optional)"),
        _("Kept in the practice's history."),
    )


class ReturnForm(forms.Form):
    comment = _comment(
        _("What should the authors change"),
        _("The authors see this comment with their practice."),
    )


class WithdrawForm(forms.Form):
    comment = _comment(
        _("Why is it withdrawn"),
        _(
            "The practice leaves the catalogue and goes back to its authors with this comment. "
            "Toolkit editions already published keep it."
        ),
    )


# Images ------------------------------------------------------------------------------------------


class CheckedImageField(forms.ImageField):
    """An upload that passes toolkits.images.checked_image: a real JPEG, PNG, GIF or WebP image
    of a sensible size, renamed to the extension of its real format."""

    default_error_messages = {
        code: message for code, message in ERROR_MESSAGES.items() if code != "invalid_image"
    }

    def __init__(self, **kwargs):
        super().__init__(**kwargs)
        self.widget.attrs["accept"] = "image/jpeg,image/png,image/gif,image/webp"

    def to_python(self, data):
        upload = forms.FileField.to_python(self, data)
        if upload is None:
            return None
        return checked_image(upload, self.error_messages)


class PracticeImageForm(forms.Form):
    image = CheckedImageField(
        label=_("Image"),
        help_text=_("A JPEG, PNG, GIF or WebP image."),
    )
    alt_text = forms.CharField(
        label=_("Text alternative"),
        max_length=250,
        help_text=_("What the image shows, for people who cannot see it."),
        error_messages={"required": _("Say what the image shows.")},
    )
    caption = forms.CharField(label=_("Caption"), max_length=250, required=False)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["image"].help_text = _(
            "A JPEG, PNG, GIF or WebP image of at most %(limit)s MB."
        ) % {"limit": megabytes(settings.TANDEM_MAX_IMAGE_BYTES)}
