"""The one helper that renders a template to PDF with WeasyPrint.

Templates extend ``documents/base_pdf.html`` (page rules, fonts, running header and page
numbers). The document's title, author and language come from the HTML head and end up in the
PDF metadata; the PDF is tagged (PDF/UA-1) so that screen readers can follow it.
"""

from django.conf import settings
from django.template.loader import render_to_string
from django.utils import translation


def render_html(template_name: str, context: dict, *, language: str = "en") -> str:
    with translation.override(language):
        return render_to_string(template_name, {**context, "pdf_language": language})


def html_to_pdf(html: str) -> bytes:
    # Imported here: WeasyPrint loads Pango when imported, which only PDF work needs.
    from weasyprint import HTML

    return HTML(string=html, base_url=str(settings.BASE_DIR)).write_pdf(
        pdf_variant="pdf/ua-1", pdf_tags=True
    )


def render_pdf(template_name: str, context: dict, *, language: str = "en") -> bytes:
    return html_to_pdf(render_html(template_name, context, language=language))
