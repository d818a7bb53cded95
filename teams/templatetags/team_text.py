"""A team's contact details as links."""

from django import template

register = template.Library()


@register.filter
def tel_number(phone: str) -> str:
    """A phone number as typed ("01632 960 001") for a `tel:` link: its digits and any leading +."""
    phone = (phone or "").strip()
    digits = "".join(character for character in phone if character.isdigit())
    return f"+{digits}" if phone.startswith("+") else digits
