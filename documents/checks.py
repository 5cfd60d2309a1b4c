"""A system check for what PDFs need from the machine: a Noto font for every script a programme
may write in. Without one WeasyPrint falls back to whatever fonts exist, and names like 서울,
臺北, Αθήνα or القاهرة may print as empty boxes.

Each script is checked with fontconfig, as WeasyPrint (through Pango) finds its fonts: the family
the PDF stylesheet (``templates/documents/base_pdf.html``) asks for, covering a language written
in that script. A missing one is named with the Debian package that installs it.

A second check refuses a ``TANDEM_SENDFILE`` that names no way of sending files.
"""

import shutil
import subprocess
from typing import NamedTuple

from django.conf import settings
from django.core.checks import Error as CheckError
from django.core.checks import Warning as CheckWarning
from django.core.checks import register

from .responses import SENDFILE_MODES, X_ACCEL_REDIRECT


class ScriptFont(NamedTuple):
    script: str
    family: str
    language: str  # a language written in the script, as fontconfig names it (:lang=...)
    package: str


SCRIPT_FONTS = [
    ScriptFont("Latin", "Noto Sans", "lv", "fonts-noto-core"),
    ScriptFont("Greek", "Noto Sans", "el", "fonts-noto-core"),
    ScriptFont("Cyrillic", "Noto Sans", "ru", "fonts-noto-core"),
    ScriptFont("Arabic", "Noto Sans Arabic", "ar", "fonts-noto-core"),
    ScriptFont("Hebrew", "Noto Sans Hebrew", "he", "fonts-noto-core"),
    ScriptFont("Devanagari", "Noto Sans Devanagari", "hi", "fonts-noto-core"),
    ScriptFont("Chinese (simplified)", "Noto Sans CJK SC", "zh-cn", "fonts-noto-cjk"),
    ScriptFont("Chinese (traditional)", "Noto Sans CJK TC", "zh-tw", "fonts-noto-cjk"),
    ScriptFont("Japanese", "Noto Sans CJK JP", "ja", "fonts-noto-cjk"),
    ScriptFont("Korean", "Noto Sans CJK KR", "ko", "fonts-noto-cjk"),
]


def _fc_list() -> str | None:
    return shutil.which("fc-list")


def font_installed(fc_list: str, font: ScriptFont) -> bool:
    listing = subprocess.run(  # noqa: S603 - a fixed command, no user input
        [fc_list, f":family={font.family}:lang={font.language}", "family"],
        capture_output=True,
        text=True,
        check=False,
        timeout=10,
    )
    return bool(listing.stdout.strip())


def missing_script_fonts() -> list[ScriptFont] | None:
    """The scripts whose font is missing, in the order above; None when fontconfig itself is
    missing (then nothing can be said)."""
    fc_list = _fc_list()
    if fc_list is None:
        return None
    return [font for font in SCRIPT_FONTS if not font_installed(fc_list, font)]


@register()
def fonts_for_pdfs(app_configs, **kwargs):
    missing = missing_script_fonts()
    if not missing:
        return []
    packages = list(dict.fromkeys(font.package for font in missing))
    scripts = ", ".join(f"{font.script} ({font.family})" for font in missing)
    return [
        CheckWarning(
            f"Fonts for these scripts are not installed: {scripts}. Toolkit, practice, action "
            "plan and staff-cost PDFs will show empty boxes for text written in them.",
            hint=f"apt-get install {' '.join(packages)} (Pango and fontconfig come with them).",
            id="documents.W001",
        )
    ]


@register()
def sendfile_setting(app_configs, **kwargs):
    """TANDEM_SENDFILE names a way the front server sends files; a typo would otherwise answer
    every download with an empty body or a header no front server reads."""
    mode = settings.TANDEM_SENDFILE
    if mode not in SENDFILE_MODES:
        return [
            CheckError(
                f"TANDEM_SENDFILE is {mode!r}; it must be empty, 'x-accel-redirect' or "
                "'x-sendfile'.",
                hint="Empty streams stored files from the portal; the others need a front server.",
                id="documents.E001",
            )
        ]
    prefix = settings.TANDEM_SENDFILE_PREFIX
    if mode == X_ACCEL_REDIRECT and not (prefix.startswith("/") and prefix.endswith("/")):
        return [
            CheckError(
                f"TANDEM_SENDFILE_PREFIX is {prefix!r}; nginx's internal location must start "
                "and end with a slash, e.g. '/protected-media/'.",
                id="documents.E002",
            )
        ]
    return []
