from django import forms
from django.utils.translation import gettext_lazy as _

from .models import Delivery


class NotificationFilterForm(forms.Form):
    """The list's filters: unread or all, a group of kinds, a programme."""

    show = forms.ChoiceField(
        label=_("Show"),
        required=False,
        choices=[("", _("All")), ("unread", _("Unread only"))],
    )
    group = forms.ChoiceField(label=_("About"), required=False)
    programme = forms.ChoiceField(label=_("Programme"), required=False)

    def __init__(self, *args, groups: list[tuple[str, str]], programmes: list[str], **kwargs):
        kwargs.setdefault("auto_id", "id_filter_%s")
        super().__init__(*args, **kwargs)
        self.fields["group"].choices = [("", _("Everything")), *sorted(groups, key=lambda g: g[1])]
        self.fields["programme"].choices = [
            ("", _("All programmes")),
            *((p, p) for p in programmes),
        ]


class PreferencesForm(forms.Form):
    """One choice per kind of notification."""

    def __init__(self, *args, groups, **kwargs):
        super().__init__(*args, **kwargs)
        self.groups = []
        for group, kinds in groups:
            names = []
            for kind, delivery in kinds:
                name = "kind_" + kind.key.replace(".", "__")
                self.fields[name] = forms.ChoiceField(
                    label=kind.label,
                    choices=Delivery.choices,
                    initial=delivery,
                    widget=forms.RadioSelect,
                )
                self.fields[name].kind = kind.key
                names.append(name)
            self.groups.append((group, names))

    def grouped(self):
        return [(group, [self[name] for name in names]) for group, names in self.groups]

    def chosen(self) -> dict[str, str]:
        return {self.fields[name].kind: value for name, value in self.cleaned_data.items()}


class OneClickForm(forms.Form):
    delivery = forms.ChoiceField(
        label=_("How do you want to hear of this?"),
        choices=Delivery.choices,
        widget=forms.RadioSelect,
    )
