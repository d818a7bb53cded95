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
from django.utils.html import conditional_escape

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


def site_url(name: str) -> str:
    """{% url name %} for the site's fixed pages (no arguments), without a reverse() each time."""
    return site_path(name)


@functools.cache
def _static_url(path: str) -> str:
    return static(path)


def site_static(path: str) -> str:
    """{% static path %}, worked out once per process (the names change only with a release)."""
    return _static_url(path)


class OneArgumentNode(template.Node):
    """`{% tag argument %}` drawn by calling `func` with the argument: what simple_tag does for
    these tags, less its general machinery (any number of arguments, keywords, `as`), as each
    page draws ten of them. The result is escaped as simple_tag's is: the parts are safe
    strings, the URLs plain ones escaped under autoescape."""

    def __init__(self, func, argument, takes_context: bool):
        self.func = func
        self.argument = argument
        self.takes_context = takes_context

    def render(self, context):
        argument = self.argument.resolve(context)
        output = self.func(context, argument) if self.takes_context else self.func(argument)
        return conditional_escape(output) if context.autoescape else output


def one_argument_tag(func, *, takes_context: bool = False):
    """The compile function of a tag drawn by OneArgumentNode."""

    def compile_tag(parser, token):
        bits = token.split_contents()
        if len(bits) != 2:
            raise template.TemplateSyntaxError(f"'{bits[0]}' takes one argument")
        return OneArgumentNode(func, parser.compile_filter(bits[1]), takes_context)

    return compile_tag


register.tag("site_part", one_argument_tag(site_part, takes_context=True))
register.tag("site_url", one_argument_tag(site_url))
register.tag("site_static", one_argument_tag(site_static))
