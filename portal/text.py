"""Staff-written text (team descriptions, officers' bios, priorities, meeting agendas and notes):
plain text or simple Markdown, made safe, and given GOV.UK styles on pages.

Headings are kept at levels 3 and 4 only, below the page's own; images, raw HTML, scripts and
styles are dropped, so the page keeps one heading structure and the Content Security Policy
holds.
"""

import markdown
import nh3
from django.utils.safestring import SafeString, mark_safe

ALLOWED_TAGS = {"a", "br", "em", "h3", "h4", "li", "ol", "p", "strong", "ul"}
# nh3 keeps only the tags above and strips every attribute but a link's href (and sets its rel),
# so these exact opening tags are all that can be there to style.
GOVUK_CLASSES = {
    "<p>": '<p class="govuk-body">',
    "<ul>": '<ul class="govuk-list govuk-list--bullet">',
    "<ol>": '<ol class="govuk-list govuk-list--number">',
    "<h3>": '<h3 class="govuk-heading-s">',
    "<h4>": '<h4 class="govuk-heading-s">',
    "<a ": '<a class="govuk-link" ',
}


def markdown_html(text: str) -> str:
    """Staff-written Markdown as sanitised HTML without page styling: what the open data
    publishes."""
    if not text:
        return ""
    return nh3.clean(
        markdown.markdown(text),
        tags=ALLOWED_TAGS,
        attributes={"a": {"href"}},
        url_schemes={"https", "http", "mailto", "tel"},
        link_rel="noopener noreferrer",
    )


def govuk_html(text: str) -> SafeString:
    """`markdown_html` styled for GOV.UK pages."""
    html = markdown_html(text)
    for bare, styled in GOVUK_CLASSES.items():
        html = html.replace(bare, styled)
    return mark_safe(html)  # noqa: S308 -- sanitised by nh3 in markdown_html
