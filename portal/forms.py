"""Forms of the pages that combine apps."""

from django import forms
from django.utils.translation import gettext_lazy as _

from accounts.models import ROLE_SCOPE, Role
from cities.models import City
from mentoring.models import Programme, Scheme

SCOPE_WORDS = {
    "programme": _("a programme"),
    "scheme": _("a thematic scheme"),
    "city": _("a city"),
}


class InvitationForm(forms.Form):
    """Invite a person to one role in one place: the programme, one of its schemes or cities."""

    email = forms.EmailField(label=_("E-mail address"))
    full_name = forms.CharField(label=_("Full name"), max_length=150, required=False)
    role = forms.ChoiceField(label=_("Role"), choices=Role.choices)
    where = forms.ChoiceField(
        label=_("For"),
        help_text=_(
            "Coordinators and partners act for a programme, experts for a scheme, "
            "officers and supervisors for a city."
        ),
    )

    def __init__(self, *args, programmes: list[Programme], **kwargs):
        super().__init__(*args, **kwargs)
        self._targets: dict[str, tuple[str, object]] = {}
        choices = []
        for programme in programmes:
            group = [(f"programme:{programme.pk}", str(programme))]
            self._targets[f"programme:{programme.pk}"] = ("programme", programme)
            for scheme in Scheme.objects.filter(programme=programme):
                key = f"scheme:{scheme.pk}"
                group.append((key, _("Scheme %(scheme)s") % {"scheme": scheme}))
                self._targets[key] = ("scheme", scheme)
            for city in City.objects.filter(participations__programme=programme):
                key = f"city:{city.pk}"
                group.append((key, _("City: %(city)s") % {"city": city}))
                self._targets[key] = ("city", city)
            choices.append((str(programme), group))
        self.fields["where"].choices = [("", "---------"), *choices]

    def clean_email(self) -> str:
        return self.cleaned_data["email"].strip().lower()

    def clean(self):
        cleaned = super().clean()
        role, where = cleaned.get("role"), cleaned.get("where")
        if role and where:
            kind, target = self._targets[where]
            needed = ROLE_SCOPE[role]
            if kind != needed:
                self.add_error(
                    "where",
                    _("The role “%(role)s” acts for %(scope)s: choose one from the list.")
                    % {"role": Role(role).label, "scope": SCOPE_WORDS[needed]},
                )
            else:
                cleaned["scope"] = {needed: target}
        return cleaned


class ProgrammeSwitchForm(forms.Form):
    """The programme a person in several programmes works in; one of theirs only."""

    programme = forms.ModelChoiceField(
        label=_("Working in"),
        queryset=Programme.objects.none(),
        empty_label=None,
        error_messages={
            "invalid_choice": _(
                "Choose one of your programmes; you no longer take part in that one."
            )
        },
    )
    next = forms.CharField(required=False, widget=forms.HiddenInput)

    def __init__(self, *args, programmes, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["programme"].queryset = Programme.objects.filter(
            pk__in=[p.pk for p in programmes]
        ).order_by("-starts_on", "name")
