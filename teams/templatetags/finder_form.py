"""The finder's form, drawn once per process around the two things a request puts in it.

templates/includes/postcode_form.html holds settings, URLs and fixed wording, but for its
label, whether there is an error, the error message and what the resident typed. It is drawn
once for each label and error-or-not (a handful of drawings, all from the view's own fixed
strings), with stand-ins where the message and the typed text go (portal.frames); each request
then only escapes those two into the gaps. Nothing of any request is kept.
"""

import functools

from django import template
from django.core.signals import setting_changed
from django.dispatch import receiver
from django.utils.html import conditional_escape
from django.utils.safestring import SafeString

from portal.frames import drawn_in_pieces

register = template.Library()


@functools.cache
def _drawn(label: str, with_error: bool) -> tuple[str, ...]:
    """The form for `label`, cut at each gap: [text, "error" or "query", text, ..., text]."""
    return drawn_in_pieces(
        "includes/postcode_form.html",
        {"label": label, "error": ""},
        ("error", "query") if with_error else ("query",),
        encoded=False,
    )


@receiver(setting_changed)
def _forget_drawn_form(**kwargs):
    _drawn.cache_clear()


@register.simple_tag(takes_context=True)
def postcode_form(context) -> str:
    """{% include "includes/postcode_form.html" %}, the same HTML, from the per-process copy."""
    error = context.get("error") or ""
    parts = _drawn(context.get("label") or "", bool(error))
    values = {
        "error": conditional_escape(error),
        "query": conditional_escape(context.get("query") or ""),
    }
    return SafeString("".join(values[part] if at % 2 else part for at, part in enumerate(parts)))
