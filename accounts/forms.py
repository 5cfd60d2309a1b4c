from django import forms
from django.conf import settings
from django.contrib.auth import password_validation
from django.db.models import QuerySet
from django.utils.translation import gettext_lazy as _

from config.named_choice import NamedChoiceField
from config.zones import time_zone_names, validate_time_zone

from .models import User
from .selectors import people_called, people_matching, person_label


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


class PersonChoiceField(NamedChoiceField):
    """Exactly one person of those ``limit_to`` is given, typed by full name or e-mail address
    (whatever the case), or as a suggestion labels them, "Name (address)"; a name two people
    share is refused with both labels. A select of the labels up to
    ``config.named_choice.SELECT_UP_TO`` people, a box beyond, whose suggestions
    (``person_names`` at ``suggest_url``) come from the same people."""

    default_error_messages = {
        "unknown": _("Nobody who may be chosen here is called “%(text)s”."),
        "ambiguous": _(
            "Several people are called “%(text)s”: %(labels)s. Type the e-mail address of the one "
            "you mean."
        ),
        "number": _("Nobody who may be chosen here has the number %(number)s."),
    }

    def labels(self, people: list) -> dict[int, str]:
        return {user.pk: person_label(user) for user in people}

    def label_of(self, user: User) -> str:
        return person_label(user)

    def called(self, people: QuerySet, text: str) -> QuerySet:
        return people_called(people, text)

    def near(self, people: QuerySet, text: str) -> QuerySet:
        return people_matching(people, text)


class ApiTokenForm(forms.Form):
    """A new personal API token: a name to recognise it by and how long it stays valid."""

    name = forms.CharField(
        label=_("Name"),
        max_length=100,
        help_text=_("What the token is for, e.g. the system that will use it."),
    )
    valid_for = forms.TypedChoiceField(label=_("Valid for"), coerce=int)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        longest = settings.TANDEM_API_TOKEN_MAX_DAYS
        days = sorted({d for d in (7, 30, 90, 180, 365) if d <= longest} | {longest})
        field = self.fields["valid_for"]
        field.choices = [(d, _("%(days)s days") % {"days": d}) for d in days]
        field.initial = 90 if 90 in days else days[-1]
