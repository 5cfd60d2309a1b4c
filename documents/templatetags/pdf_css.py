"""Text written into a PDF template's stylesheet (a running title in a margin box):

@top-left { content: "{{ title|css_string }}"; }
"""

from django import template
from django.utils.safestring import mark_safe

register = template.Library()


@register.filter
def css_string(value) -> str:
    """The text as the inside of a double-quoted CSS string: backslashes, quotes, line breaks
    and ``<`` (which could close the style element) escaped."""
    out = []
    for char in str(value):
        if char in '\\"<>':
            out.append(f"\\{ord(char):x} ")
        elif char in "\n\r\f":
            out.append("\\a ")
        else:
            out.append(char)
    return mark_safe("".join(out))  # noqa: S308 (escaped for CSS above; not HTML)
