"""The finder's form, drawn once per process around the two things a request puts in it.

templates/includes/postcode_form.html holds settings, URLs and fixed wording, but for its
label, whether there is an error, the error message and what the resident typed. It is drawn
once for each label and error-or-not (a handful of drawings, all from the view's own fixed
strings), with stand-ins where the message and the typed text go; each request then only
escapes those two into the gaps. Nothing of any request is kept.
"""

import functools
import re

from django import template
from django.core.signals import setting_changed
from django.dispatch import receiver
from django.template.loader import render_to_string
from django.utils.html import conditional_escape
from django.utils.safestring import SafeString

register = template.Library()

# Stand-ins no template escapes or holds (Unicode private use).
ERROR, QUERY = "\ue000error\ue000", "\ue000query\ue000"
GAP_RE = re.compile(f"({ERROR}|{QUERY})")


@functools.cache
def _drawn(label: str, with_error: bool) -> tuple[str, ...]:
    """The form for `label`, cut at each gap: [text, stand-in, text, stand-in, ..., text]."""
    html = render_to_string(
        "includes/postcode_form.html",
        {"label": label, "error": ERROR if with_error else "", "query": QUERY},
    )
    return tuple(GAP_RE.split(html))


@receiver(setting_changed)
def _forget_drawn_form(**kwargs):
    _drawn.cache_clear()


@register.simple_tag(takes_context=True)
def postcode_form(context) -> str:
    """{% include "includes/postcode_form.html" %}, the same HTML, from the per-process copy."""
    error = context.get("error") or ""
    parts = _drawn(context.get("label") or "", bool(error))
    values = {
        ERROR: conditional_escape(error),
        QUERY: conditional_escape(context.get("query") or ""),
    }
    return SafeString("".join(values.get(part, part) for part in parts))
