"""A system check for what PDFs need from the machine: the Noto fonts that cover every EU
script (Latin with all its diacritics, Greek, Cyrillic). Without them WeasyPrint falls back to
whatever fonts exist and names like Αθήνα or Rīga may print as empty boxes."""

import shutil
import subprocess

from django.core.checks import Warning as CheckWarning
from django.core.checks import register

FONT_FAMILY = "Noto Sans"


def noto_sans_installed() -> bool | None:
    """True or False from fontconfig; None when fontconfig itself is missing."""
    fc_list = shutil.which("fc-list")
    if fc_list is None:
        return None
    listing = subprocess.run(  # noqa: S603 - a fixed command, no user input
        [fc_list, f":family={FONT_FAMILY}", "file"],
        capture_output=True,
        text=True,
        check=False,
        timeout=10,
    )
    return bool(listing.stdout.strip())


@register()
def fonts_for_pdfs(app_configs, **kwargs):
    installed = noto_sans_installed()
    if installed:
        return []
    return [
        CheckWarning(
            "The Noto Sans font is not installed: toolkit and report PDFs may show empty boxes "
            "for Greek, Latvian, Polish or Turkish letters.",
            hint="apt-get install fonts-noto-core (Pango and fontconfig come with it).",
            id="documents.W001",
        )
    ]
