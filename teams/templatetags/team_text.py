"""A team's contact details as links."""

from django import template

register = template.Library()


@register.filter
def tel_number(phone: str) -> str:
    """A phone number as typed ("01632 960 001") for a `tel:` link: its digits and any leading +."""
    phone = (phone or "").strip()
    digits = "".join(character for character in phone if character.isdigit())
    return f"+{digits}" if phone.startswith("+") else digits


@register.filter
def initials(name: str) -> str:
    """ "Sam Officer" as "SO": the first letters of the first and last words that start with a
    letter, for the circle shown when an officer has no photo."""
    words = [word for word in (name or "").split() if word[:1].isalpha()]
    if not words:
        return ""
    letters = words[0][0] + (words[-1][0] if len(words) > 1 else "")
    return letters.upper()
