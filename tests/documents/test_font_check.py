"""The setup installs a font for every script, and `manage.py check` says which is missing and
which Debian package brings it."""

from documents import checks


def test_the_machine_has_a_font_for_every_script_the_setup_installs():
    assert checks.missing_script_fonts() == []
    assert checks.fonts_for_pdfs(None) == []


def test_every_script_of_issue_15_is_checked():
    assert [font.script for font in checks.SCRIPT_FONTS] == [
        "Latin",
        "Greek",
        "Cyrillic",
        "Arabic",
        "Hebrew",
        "Devanagari",
        "Chinese (simplified)",
        "Chinese (traditional)",
        "Japanese",
        "Korean",
    ]


def test_a_machine_without_the_cjk_fonts_is_told_to_install_fonts_noto_cjk(monkeypatch):
    fonts = [
        font._replace(family="No Such Font Family Tandem") if font.language == "ko" else font
        for font in checks.SCRIPT_FONTS
    ]
    monkeypatch.setattr(checks, "SCRIPT_FONTS", fonts)
    (warning,) = checks.fonts_for_pdfs(None)
    assert warning.id == "documents.W001"
    assert "Korean" in warning.msg
    assert "Japanese" not in warning.msg
    assert warning.hint.startswith("apt-get install fonts-noto-cjk ")


def test_a_font_that_lacks_the_script_counts_as_missing(monkeypatch):
    """DejaVu Sans is installed but has no Hangul: fontconfig's language coverage decides."""
    fonts = [
        font._replace(family="DejaVu Sans") if font.language == "ko" else font
        for font in checks.SCRIPT_FONTS
    ]
    monkeypatch.setattr(checks, "SCRIPT_FONTS", fonts)
    assert [font.script for font in checks.missing_script_fonts()] == ["Korean"]


def test_a_machine_without_the_core_fonts_is_told_to_install_both_packages(monkeypatch):
    fonts = [
        font._replace(family="No Such Font Family Tandem")
        if font.language in {"el", "ja"}
        else font
        for font in checks.SCRIPT_FONTS
    ]
    monkeypatch.setattr(checks, "SCRIPT_FONTS", fonts)
    (warning,) = checks.fonts_for_pdfs(None)
    assert "Greek (No Such Font Family Tandem)" in warning.msg
    assert warning.hint.startswith("apt-get install fonts-noto-core fonts-noto-cjk ")


def test_without_fontconfig_nothing_is_claimed(monkeypatch):
    monkeypatch.setattr(checks, "_fc_list", lambda: None)
    assert checks.missing_script_fonts() is None
    assert checks.fonts_for_pdfs(None) == []


def test_the_readme_the_dockerfile_and_ci_install_every_font_package():
    from pathlib import Path

    root = Path(__file__).resolve().parents[2]
    packages = {font.package for font in checks.SCRIPT_FONTS}
    assert packages == {"fonts-noto-core", "fonts-noto-cjk"}
    readme = " ".join((root / "README.md").read_text().split())
    dockerfile = (root / "Dockerfile").read_text()
    ci = (root / ".ci" / "run").read_text()
    for package in packages:
        assert f"{package}" in readme.split("sudo apt-get install make", 1)[1].split("`", 1)[0]
        assert f" {package} " in dockerfile, package
        assert f"missing+=({package})" in ci, package
