"""Agenda and notes: plain text or Markdown, made safe and given GOV.UK styles."""

import markdown
import nh3
from django.utils.safestring import SafeString, mark_safe

ALLOWED_TAGS = {"a", "br", "em", "h3", "h4", "li", "ol", "p", "strong", "ul"}
ALLOWED_ATTRIBUTES = {"a": {"href"}}
# nh3 keeps only the tags above and strips every attribute it is not told to keep, so these
# exact opening tags are all that can be there to style.
GOVUK_CLASSES = {
    "<p>": '<p class="govuk-body">',
    "<ul>": '<ul class="govuk-list govuk-list--bullet">',
    "<ol>": '<ol class="govuk-list govuk-list--number">',
    "<h3>": '<h3 class="govuk-heading-s">',
    "<h4>": '<h4 class="govuk-heading-s">',
    "<a ": '<a class="govuk-link" ',
}


def render_text(text: str) -> SafeString:
    """Staff-written Markdown as safe HTML; anything else (scripts, styles, images) is dropped."""
    html = markdown.markdown(text or "", output_format="html")
    clean = nh3.clean(
        html,
        tags=ALLOWED_TAGS,
        attributes=ALLOWED_ATTRIBUTES,
        url_schemes={"https", "http", "mailto", "tel"},
    )
    for tag, styled in GOVUK_CLASSES.items():
        clean = clean.replace(tag, styled)
    return mark_safe(clean)  # noqa: S308 - cleaned by nh3 just above
