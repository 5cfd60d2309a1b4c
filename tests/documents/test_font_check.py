"""The setup installs the fonts PDFs need, and `manage.py check` says when they are missing."""

from documents import checks


def test_the_machine_has_the_fonts_the_setup_installs():
    assert checks.noto_sans_installed() is True
    assert checks.fonts_for_pdfs(None) == []


def test_a_machine_without_the_fonts_is_warned(monkeypatch):
    monkeypatch.setattr(checks, "FONT_FAMILY", "No Such Font Family Tandem")
    (warning,) = checks.fonts_for_pdfs(None)
    assert warning.id == "documents.W001"
    assert "fonts-noto-core" in warning.hint
