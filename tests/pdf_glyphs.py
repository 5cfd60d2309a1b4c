"""What a PDF says and whether its fonts could draw it: text as poppler extracts it, and a check
that every glyph the PDF uses exists in the font embedded for it.

WeasyPrint embeds each font as a subset with an Identity encoding: a glyph id in a content
stream is the glyph id in the embedded font, and the font's ToUnicode map says which text that
glyph stands for. A character that no installed font has is drawn with a glyph the subset does
not hold (or .notdef, glyph 0): a reader shows it as an empty box, though its ToUnicode entry may
still extract the right text. So extraction alone proves nothing about boxes; the glyph check
does.
"""

import io
import re
import subprocess
from dataclasses import dataclass, field
from functools import lru_cache

from fontTools.ttLib import TTFont
from pypdf import PdfReader

BF_ENTRY = re.compile(rb"<([0-9a-fA-F]+)>\s*<([0-9a-fA-F]+)>")
BF_RANGE = re.compile(rb"<([0-9a-fA-F]+)>\s*<([0-9a-fA-F]+)>\s*<([0-9a-fA-F]+)>")


def pdf_text(content: bytes) -> str:
    """The text as poppler extracts it (what a person copies or a search engine indexes)."""
    result = subprocess.run(
        ["pdftotext", "-enc", "UTF-8", "-", "-"],  # noqa: S607 (poppler-utils, see .ci/run)
        input=content,
        capture_output=True,
        check=True,
    )
    return result.stdout.decode()


def one_line(text: str) -> str:
    return re.sub(r"\s+", " ", text)


@dataclass
class EmbeddedFont:
    name: str  # the PDF's BaseFont without its subset tag, e.g. Noto-Sans-CJK-KR
    glyph_count: int
    characters: set[str]  # what the font's own cmap can draw
    used: dict[int, str] = field(default_factory=dict)  # glyph id -> text, from ToUnicode


def _to_unicode(stream: bytes) -> dict[int, str]:
    mapping: dict[int, str] = {}
    for block in re.findall(rb"beginbfchar(.*?)endbfchar", stream, re.S):
        for glyph, text in BF_ENTRY.findall(block):
            mapping[int(glyph, 16)] = bytes.fromhex(text.decode()).decode("utf-16-be")
    for block in re.findall(rb"beginbfrange(.*?)endbfrange", stream, re.S):
        for first, last, start in BF_RANGE.findall(block):
            base = bytes.fromhex(start.decode()).decode("utf-16-be")
            for offset, glyph in enumerate(range(int(first, 16), int(last, 16) + 1)):
                mapping[glyph] = chr(ord(base[-1]) + offset)
    return mapping


@lru_cache(maxsize=8)
def embedded_fonts(content: bytes) -> tuple[EmbeddedFont, ...]:
    """The PDF's fonts (parsed once per PDF: CJK subsets are large)."""
    fonts: dict[str, EmbeddedFont] = {}
    for page in PdfReader(io.BytesIO(content)).pages:
        for ref in page["/Resources"]["/Font"].values():
            font = ref.get_object()
            key = str(font["/BaseFont"])
            if key in fonts:
                continue
            descendant = font["/DescendantFonts"][0].get_object()
            descriptor = descendant["/FontDescriptor"].get_object()
            program = (descriptor.get("/FontFile2") or descriptor.get("/FontFile3")).get_object()
            tt = TTFont(io.BytesIO(program.get_data()))
            fonts[key] = EmbeddedFont(
                name=key.split("+", 1)[-1],
                glyph_count=len(tt.getGlyphOrder()),
                characters={chr(code) for code in tt.getBestCmap()},
                used=_to_unicode(font["/ToUnicode"].get_object().get_data()),
            )
    return tuple(fonts.values())


def glyph_problems(content: bytes) -> list[str]:
    """Every glyph the PDF uses that its font cannot draw: .notdef, or an id beyond the
    embedded font's glyphs. Empty when every character has a real glyph."""
    problems = []
    for font in embedded_fonts(content):
        for glyph, text in sorted(font.used.items()):
            if glyph == 0 or glyph >= font.glyph_count:
                problems.append(f"{text!r} has no glyph in {font.name} (glyph id {glyph})")
    return problems


def fonts_drawing(content: bytes, text: str) -> set[str]:
    """The embedded fonts that draw at least one character of ``text`` with a real glyph."""
    wanted = set(text) - {" "}
    return {
        font.name
        for font in embedded_fonts(content)
        if any(
            0 < glyph < font.glyph_count and set(drawn) & wanted
            for glyph, drawn in font.used.items()
        )
    }


def undrawable_characters(content: bytes, text: str) -> set[str]:
    """Characters of ``text`` that no embedded font can draw: neither in a font's own cmap nor
    drawn by a real glyph of it (shaped scripts such as Arabic use contextual forms, which the
    subset's cmap does not list but its ToUnicode map names)."""
    available: set[str] = set()
    for font in embedded_fonts(content):
        available |= font.characters
        for glyph, drawn in font.used.items():
            if 0 < glyph < font.glyph_count:
                available |= set(drawn)
    return {char for char in text if not char.isspace()} - available


def assert_every_glyph_drawn(content: bytes, *samples: str) -> str:
    """Each sample extracts back, and no glyph of the PDF is missing. Returns the text."""
    text = one_line(pdf_text(content))
    for sample in samples:
        assert sample in text, f"{sample!r} does not extract from the PDF"
        assert not undrawable_characters(content, sample), sample
    assert glyph_problems(content) == []
    return text
