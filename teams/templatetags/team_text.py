"""Staff-written text (team descriptions, officers' bios) as safe, GOV.UK-styled HTML."""

import markdown as markdown_lib
import nh3
from django import template
from django.utils.safestring import mark_safe

register = template.Library()

ALLOWED_TAGS = {"p", "br", "strong", "em", "ul", "ol", "li", "a"}
CLASSES = {
    "<p>": '<p class="govuk-body">',
    "<ul>": '<ul class="govuk-list govuk-list--bullet">',
    "<ol>": '<ol class="govuk-list govuk-list--number">',
    "<a ": '<a class="govuk-link" ',
}


def markdown_html(text: str) -> str:
    """Plain text or simple Markdown (paragraphs, lists, emphasis, links) as sanitised HTML,
    without page styling: what the open data publishes."""
    if not text:
        return ""
    return nh3.clean(
        markdown_lib.markdown(text),
        tags=ALLOWED_TAGS,
        attributes={"a": {"href"}},
        url_schemes={"https", "http", "mailto", "tel"},
        link_rel="noopener noreferrer",
    )


@register.filter
def safe_markdown(text: str) -> str:
    """`markdown_html` styled for GOV.UK pages.

    Headings, images, raw HTML and scripts are dropped: the page keeps one heading structure and
    the Content Security Policy holds.
    """
    html = markdown_html(text)
    for bare, styled in CLASSES.items():
        html = html.replace(bare, styled)
    return mark_safe(html)  # noqa: S308 -- sanitised by nh3 in markdown_html


@register.filter
def tel_number(phone: str) -> str:
    """A phone number as typed ("01632 960 001") for a `tel:` link: its digits and any leading +."""
    phone = (phone or "").strip()
    digits = "".join(character for character in phone if character.isdigit())
    return f"+{digits}" if phone.startswith("+") else digits
