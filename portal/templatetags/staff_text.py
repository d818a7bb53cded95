"""`{{ text|markdown }}`: staff-written text as safe, GOV.UK-styled HTML (portal.text)."""

from django import template

from ..text import govuk_html

register = template.Library()

register.filter("markdown", govuk_html)
