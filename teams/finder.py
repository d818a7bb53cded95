"""Turning what a resident types into their team."""

import re
import unicodedata

from .models import Postcode, Team

# The UK postcode format (BS 7666), with the outward and inward parts captured.
POSTCODE_RE = re.compile(r"^([A-Z]{1,2}[0-9][A-Z0-9]?)([0-9][A-Z]{2})$")


def normalise_postcode(text: str) -> str | None:
    """'cm11aa', ' CM1  1AA ', fullwidth 'ＣＭ１ １ＡＡ' -> 'CM1 1AA'; None if not a postcode."""
    squashed = re.sub(r"\s+", "", unicodedata.normalize("NFKC", text)).upper().strip(".,;:-")
    match = POSTCODE_RE.match(squashed)
    if not match:
        return None
    return f"{match[1]} {match[2]}"


def team_for_postcode(postcode: str) -> Team | None:
    """The team for a full postcode: the ward's override first, then the district's team."""
    normalised = normalise_postcode(postcode)
    if normalised is None:
        return None
    row = (
        Postcode.objects.filter(postcode=normalised)
        .select_related("ward__team", "district__team")
        .first()
    )
    if row is None:
        return None
    if row.ward_id and row.ward and row.ward.team:
        return row.ward.team
    if row.district_id and row.district:
        return row.district.team
    return None
