from django import forms
from django.conf import settings
from django.contrib.auth import password_validation
from django.utils.translation import gettext_lazy as _

from config.zones import time_zone_names, validate_time_zone

from .models import User


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


class LanguageForm(forms.Form):
    """The language of the person's pages and e-mails."""

    language = forms.ChoiceField(label=_("Language"), required=False)

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("prefix", "language")
        super().__init__(*args, **kwargs)
        field = self.fields["language"]
        field.choices = [("", _("The portal's default")), *settings.LANGUAGES]
        field.help_text = User._meta.get_field("language").help_text


class TimeZoneForm(forms.Form):
    """The person's own time zone, from the same list as a city's (``config.zones``)."""

    time_zone = forms.CharField(
        label=_("Time zone"),
        required=False,
        max_length=64,
        help_text=User._meta.get_field("time_zone").help_text,
    )

    def __init__(self, *args, automatic: str, **kwargs):
        super().__init__(*args, **kwargs)
        zones = list(time_zone_names())
        sent = self.data.get("time_zone") if self.is_bound else self.initial.get("time_zone")
        if sent and sent not in zones:
            zones.append(sent)  # shown again as it was sent, with the message that refuses it
        self.fields["time_zone"].widget = forms.Select(
            choices=[
                ("", _("Automatic: the zone of my city (now %(zone)s)") % {"zone": automatic}),
                *((zone, zone.replace("_", " ")) for zone in zones),
            ]
        )

    def clean_time_zone(self) -> str:
        value = self.cleaned_data["time_zone"].strip()
        if value:
            validate_time_zone(value)
        return value
