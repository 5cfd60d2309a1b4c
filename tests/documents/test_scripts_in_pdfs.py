"""Every script prints: a PDF made by the project's one PDF helper, with a paragraph in each
script, extracts back and draws every character with a real glyph of an embedded font (no empty
boxes), each CJK language in its own regional face."""

import pytest
from django.template import Context, Template

from documents.pdf import html_to_pdf
from documents.templatetags.scripts import text_direction
from tests.pdf_glyphs import (
    assert_every_glyph_drawn,
    fonts_drawing,
    glyph_problems,
    undrawable_characters,
)

# (script, language, direction, sample, the embedded font expected to draw it). The Han samples
# share no character, so that each one's face can be told apart.
SAMPLES = [
    ("Latin", "pl", "ltr", "Gdańsk, Rīga, Łódź, Şanlıurfa, Plzeň", "Noto-Sans"),
    ("Greek", "el", "ltr", "Αθήνα και Θεσσαλονίκη", "Noto-Sans"),
    ("Cyrillic", "uk", "ltr", "Київ, Москва, София", "Noto-Sans"),
    ("Arabic", "ar", "rtl", "القاهرة", "Noto-Sans-Arabic"),
    ("Hebrew", "he", "rtl", "ירושלים", "Noto-Sans-Hebrew"),
    ("Devanagari", "hi", "ltr", "मुंबई", "Noto-Sans-Devanagari"),
    ("Chinese (simplified)", "zh-Hans", "ltr", "上海与广州", "Noto-Sans-CJK-SC"),
    ("Chinese (traditional)", "zh-Hant", "ltr", "臺北與高雄", "Noto-Sans-CJK-TC"),
    ("Japanese", "ja", "ltr", "東京と大阪", "Noto-Sans-CJK-JP"),
    ("Korean", "ko", "ltr", "서울특별시 부산광역시", "Noto-Sans-CJK-KR"),
]

PAGE = Template(
    '{% extends "documents/base_pdf.html" %}{% load scripts %}'
    "{% block title %}Every script{% endblock %}"
    "{% block body %}<h1>Every script</h1>"
    "{% for script, language, direction, sample, font in samples %}"
    '<p lang="{{ language }}" dir="{{ language|text_direction }}">{{ sample }}</p>'
    "{% endfor %}{% endblock %}"
)


@pytest.fixture(scope="module")
def every_script_pdf() -> bytes:
    """One PDF for all the tests below (about half a second: the CJK fonts are large)."""
    return html_to_pdf(PAGE.render(Context({"samples": SAMPLES})))


@pytest.mark.parametrize(("script", "sample"), [(s[0], s[3]) for s in SAMPLES])
def test_each_script_extracts_back_and_has_its_glyphs(every_script_pdf, script, sample):
    assert_every_glyph_drawn(every_script_pdf, sample)


@pytest.mark.parametrize(("script", "sample", "font"), [(s[0], s[3], s[4]) for s in SAMPLES])
def test_each_script_is_drawn_by_its_noto_face(every_script_pdf, script, sample, font):
    """Han characters take the face of the content's language: a Korean, Japanese or Taiwanese
    reader gets the forms they read, not the simplified Chinese ones."""
    drawn = fonts_drawing(every_script_pdf, sample)
    assert {name.removesuffix("-Bold") for name in drawn} == {font}, "the heading is bold"


def test_the_check_fails_on_a_character_no_font_has():
    """A private-use character no font holds: the same checks refuse it, so they can fail."""
    unknown = [("private use", "en", "ltr", "A\U000f0001B", "")]
    content = html_to_pdf(PAGE.render(Context({"samples": unknown})))
    assert "\U000f0001" in undrawable_characters(content, "A\U000f0001B")
    assert glyph_problems(content)


@pytest.mark.parametrize(("language", "direction"), [(s[1], s[2]) for s in SAMPLES])
def test_the_direction_follows_the_language(language, direction):
    assert text_direction(language) == direction


@pytest.mark.parametrize(
    ("language", "direction"),
    [("fa", "rtl"), ("ur", "rtl"), ("zh_Hant", "ltr"), ("", "auto"), ("xx-nowhere", "auto")],
)
def test_other_and_unknown_languages(language, direction):
    assert text_direction(language) == direction


def test_right_to_left_paragraphs_are_laid_out_from_the_right(every_script_pdf):
    """The Arabic and Hebrew samples end at the right margin, the others start at the left."""
    from io import BytesIO

    from pypdf import PdfReader

    starts: dict[str, float] = {}

    def visit(text, cm, tm, font_dict, font_size):
        for _script, _language, _direction, sample, _font in SAMPLES:
            if text.strip() and text.strip() in sample and sample not in starts:
                starts[sample] = tm[4]

    PdfReader(BytesIO(every_script_pdf)).pages[0].extract_text(visitor_text=visit)
    left = starts
    rtl = [s[3] for s in SAMPLES if s[2] == "rtl"]
    ltr = [s[3] for s in SAMPLES if s[2] == "ltr"]
    assert set(rtl + ltr) <= set(left), left
    assert all(left[sample] > 200 for sample in rtl), left
    assert all(left[sample] < 100 for sample in ltr), left
