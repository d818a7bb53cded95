"""The parts of every page that are the same for every request: drawn once per process.

The header (one copy per section of the site, for the current-page marker), the urgent-help
bar, the phase banner, the footer, the cookie banner's message and buttons (its form, which
returns to the page's own path, is drawn by base.html) and the stylesheet and script links
hold only settings, URLs and static file names, none of which change while the process
runs; drawing them on every request was most of the cost of a page (template lookups,
`reverse()`, `static()`).
"""

import functools

from django import template
from django.conf import settings
from django.core.signals import setting_changed
from django.dispatch import receiver
from django.template.loader import render_to_string
from django.templatetags.static import static
from django.urls import reverse

register = template.Library()

# Only the header marks the section the page belongs to.
BY_SECTION = frozenset({"header"})


@functools.cache
def _drawn(name: str, section: str) -> str:
    return render_to_string(
        f"includes/{name}.html",
        {"section": section, "report_online_url": settings.REPORT_ONLINE_URL},
    )


@receiver(setting_changed)
def _forget_drawn_parts(**kwargs):
    _drawn.cache_clear()
    site_path.cache_clear()
    _static_url.cache_clear()


@register.simple_tag(takes_context=True)
def site_part(context, name: str) -> str:
    """The part of the page in templates/includes/<name>.html, as drawn for this section."""
    section = ""
    if name in BY_SECTION:
        match = getattr(context.get("request"), "resolver_match", None)
        section = match.namespace if match else ""
    return _drawn(name, section)


@functools.cache
def site_path(name: str) -> str:
    """reverse(name) for a URL without arguments, worked out once per process."""
    return reverse(name)


@register.simple_tag(name="site_url")
def site_url(name: str) -> str:
    """{% url name %} for the site's fixed pages (no arguments), without a reverse() each time."""
    return site_path(name)


@functools.cache
def _static_url(path: str) -> str:
    return static(path)


@register.simple_tag(name="site_static")
def site_static(path: str) -> str:
    """{% static path %}, worked out once per process (the names change only with a release)."""
    return _static_url(path)
