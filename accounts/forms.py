from django import forms
from django.contrib.auth import password_validation
from django.utils.translation import gettext_lazy as _

from cities.models import City
from mentoring.models import Programme, Scheme

from .models import ROLE_SCOPE, Role, User

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


class AcceptInvitationForm(forms.Form):
    """The new person's name and password."""

    full_name = forms.CharField(label=_("Full name"), max_length=150)
    password1 = forms.CharField(
        label=_("Password"),
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}),
        help_text=password_validation.password_validators_help_text_html(),
    )
    password2 = forms.CharField(
        label=_("Password (again)"),
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}),
    )

    def __init__(self, *args, email: str, **kwargs):
        super().__init__(*args, **kwargs)
        self.email = email

    def clean(self):
        cleaned = super().clean()
        password1, password2 = cleaned.get("password1"), cleaned.get("password2")
        if password1 and password2 and password1 != password2:
            self.add_error("password2", _("The two passwords differ."))
        elif password1:
            candidate = User(email=self.email, full_name=cleaned.get("full_name", ""))
            try:
                password_validation.validate_password(password1, candidate)
            except forms.ValidationError as error:
                self.add_error("password1", error)
        return cleaned
