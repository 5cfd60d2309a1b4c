"""The one helper that renders a template to PDF with WeasyPrint.

Templates extend ``documents/base_pdf.html`` (page rules, fonts, running header and page
numbers). The document's title, author and language come from the HTML head and end up in the
PDF metadata; the PDF is tagged (PDF/UA-1) so that screen readers can follow it.

``html_to_pdf`` does it in one go. A long job that reports its progress calls
``html_to_document`` (layout and pagination) and then ``document_to_pdf`` (writing the file),
and can say how many pages it laid out in between.
"""

from django.conf import settings
from django.template.loader import render_to_string
from django.utils import translation

# Tagged PDF/UA-1: the structure, reading order and language a screen reader needs.
PDF_OPTIONS = {"pdf_variant": "pdf/ua-1", "pdf_tags": True}


def render_html(template_name: str, context: dict, *, language: str = "en") -> str:
    with translation.override(language):
        return render_to_string(template_name, {**context, "pdf_language": language})


def html_to_document(html: str, *, url_fetcher=None):
    """Lay out and paginate the HTML: a WeasyPrint Document, whose ``pages`` can be counted."""
    # Imported here: WeasyPrint loads Pango when imported, which only PDF work needs.
    from weasyprint import HTML

    return HTML(string=html, base_url=str(settings.BASE_DIR), url_fetcher=url_fetcher).render(
        **PDF_OPTIONS
    )


def document_to_pdf(document) -> bytes:
    return document.write_pdf(**PDF_OPTIONS)


def html_to_pdf(html: str) -> bytes:
    return document_to_pdf(html_to_document(html))


def render_pdf(template_name: str, context: dict, *, language: str = "en") -> bytes:
    return html_to_pdf(render_html(template_name, context, language=language))
