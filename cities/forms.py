import re

from django import forms
from django.utils.translation import gettext_lazy as _

from config.slugs import SlugFromNameForm

from .models import City
from .timezones import time_zone_names

LANGUAGE_CODE = re.compile(r"^[a-z]{2,3}$")


class CityForm(SlugFromNameForm, forms.ModelForm):
    languages = forms.CharField(
        label=_("Main languages"),
        required=False,
        help_text=_("ISO 639-1 codes separated by commas, for example: fi, sv"),
    )

    class Meta:
        model = City
        fields = [
            "name",
            "slug",
            "country",
            "latitude",
            "longitude",
            "time_zone",
            "languages",
            "integration_experience",
        ]
        widgets = {
            "integration_experience": forms.Textarea(attrs={"rows": 4}),
        }

    def __init__(self, *args, programmes=None, **kwargs):
        super().__init__(*args, **kwargs)
        zones = list(time_zone_names())
        if self.instance.time_zone and self.instance.time_zone not in zones:
            zones.append(self.instance.time_zone)
        self.fields["time_zone"].widget = forms.Select(
            choices=[("", _("Suggest from the country and the coordinates"))]
            + [(zone, zone.replace("_", " ")) for zone in zones]
        )
        if programmes is not None:
            # A new city joins one of the person's programmes at once, so that it is visible.
            self.fields["programme"] = forms.ModelChoiceField(
                label=_("Takes part in"), queryset=programmes
            )
        if self.instance.pk and not self.is_bound:
            self.initial["languages"] = ", ".join(self.instance.languages)

    def clean_languages(self) -> list[str]:
        codes = [c.strip().lower() for c in self.cleaned_data["languages"].split(",") if c.strip()]
        wrong = [c for c in codes if not LANGUAGE_CODE.match(c)]
        if wrong:
            raise forms.ValidationError(
                _("Not a language code: %(codes)s. Use two-letter codes such as nl or el.")
                % {"codes": ", ".join(wrong)}
            )
        return list(dict.fromkeys(codes))
