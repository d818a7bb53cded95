"""Turning what a resident types into their team: postcodes, sectors and outward codes here,
place names handed to teams.place_search, the routes themselves (and where a point is) in
teams.routes.

`normalise_postcode` and `team_for_postcode` are used by other apps; `answer` is what the
finder page shows for any text at all.
"""

from __future__ import annotations

import re
import unicodedata

from .answers import Answer, Coverage
from .areas import postcode_groups
from .forces import FORCE_WEBSITES, other_area
from .models import District, NeighbouringForce, Postcode, Team
from .place_search import answer_place
from .routes import district_routes, postcode_route, teams_by_slug

# The UK postcode format (BS 7666), with the outward and inward parts captured.
POSTCODE_RE = re.compile(r"^([A-Z]{1,2}[0-9][A-Z0-9]?)([0-9][A-Z]{2})$")
OUTWARD_RE = re.compile(r"^[A-Z]{1,2}[0-9][A-Z0-9]?$")
SECTOR_RE = re.compile(r"^([A-Z]{1,2}[0-9][A-Z0-9]?) +([0-9])$")  # "CM1 1" (the space matters)
# A town, village or ward: letters with spaces, hyphens, apostrophes, full stops, ampersands.
PLACE_RE = re.compile(r"^[^\W\d_](?:[^\W\d_]|[ '’.&-])*$")
BFPO_RE = re.compile(r"^BFPO\s*[0-9]{1,4}$", re.IGNORECASE)

MAX_LENGTH = 100
COVERAGE_SECONDS = 60 * 5


def clean_text(text: str) -> str:
    """What a resident typed, as we show it back: NFKC, no control characters, spaces squashed."""
    text = unicodedata.normalize("NFKC", text)
    if not (text.isascii() and text.isprintable()):  # printable ASCII has no such characters
        text = "".join(" " if unicodedata.category(c)[0] in "CZ" else c for c in text)
    return " ".join(text.split())


def _strip_ends(text: str) -> str:
    """Drop stray punctuation and symbols around what was typed ('"CM1 1AA".', '(Witham)')."""
    return re.sub(r"^[\W_]+|[\W_]+$", "", text)


def normalise_postcode(text: str) -> str | None:
    """'cm11aa', ' CM1  1AA ', fullwidth 'ＣＭ１ １ＡＡ' -> 'CM1 1AA'; None if not a postcode."""
    if not isinstance(text, str) or len(text) > MAX_LENGTH * 2:
        return None
    squashed = "".join(_strip_ends(clean_text(text)).split()).upper()
    match = POSTCODE_RE.match(squashed)
    if not match:
        return None
    return f"{match[1]} {match[2]}"


def _team_of(postcode: Postcode) -> Team | None:
    if postcode.ward_id and postcode.ward and postcode.ward.team:
        return postcode.ward.team
    if postcode.district_id and postcode.district:
        return postcode.district.team
    return None


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
    return _team_of(row) if row else None


def answer_postcode(postcode: str, query: str = "") -> Answer:
    """The team for a full postcode, or why there is none."""
    slug, district, sector_known = postcode_route(postcode)
    if district is None:
        return _answer_unknown(postcode, query, sector_known=sector_known)
    if slug:
        return Answer("team", query=query, postcode=postcode, team_slug=slug)
    return Answer("outside", query=query, postcode=postcode, district=district)


def _answer_unknown(postcode: str, query: str, *, sector_known: bool = True) -> Answer:
    """A well-formed postcode we do not have: what its sector tells us, if anything (nothing,
    with no lookup at all, when `sector_known` is False: no postcode shares its sector)."""
    if elsewhere := _answer_elsewhere(postcode, query):
        return elsewhere
    sector = postcode[:-2]
    found = coverage(sector=sector) if sector_known else []
    return Answer("unknown", query=query, postcode=postcode, coverage=found)


def _answer_elsewhere(postcode: str, query: str) -> Answer | None:
    """Northern Ireland, the Channel Islands, the Isle of Man, BFPO: not in Code-Point Open."""
    found = other_area(postcode)
    if found is None:
        return None
    where, force_name = found
    force = None
    if force_name:
        force = NeighbouringForce(name=force_name, website=FORCE_WEBSITES[force_name])
    return Answer("elsewhere", query=query, postcode=postcode, where=where, force=force)


def coverage(*, outward: str = "", sector: str = "") -> list[Coverage]:
    """Who covers the postcodes of an outward code or a sector, largest share first: the
    postcodes counted by council area and ward (teams.areas), each group given to the ward's
    override team or the district's team (or, outside Essex, the district itself) by this
    process's routes. No query, once both are kept here."""
    groups = postcode_groups(outward=outward, sector=sector)
    if not groups:
        return []
    districts, ward_teams = district_routes()
    missing = {code for code, _, _ in groups if code and code not in districts}
    if missing:  # imported since this process's routes were made
        districts = {
            **districts,
            **District.objects.select_related("team", "force").in_bulk(missing),
        }
    teams = teams_by_slug()
    counts: dict[tuple[str, str], int] = {}
    for district_code, ward_code, postcodes in groups:
        district = districts.get(district_code)
        slug = ward_teams.get(ward_code) or (
            district.team.slug if district and district.team else None
        )
        if slug and slug in teams:
            key = ("team", slug)
        elif district:
            key = ("district", district.code)
        else:
            continue  # a postcode with no council area: nothing useful to say about it
        counts[key] = counts.get(key, 0) + postcodes
    total = sum(counts.values())
    result = [
        Coverage(
            postcodes=count,
            share=round(100 * count / total),
            team=teams[value] if kind == "team" else None,
            district=districts[value] if kind == "district" else None,
        )
        for (kind, value), count in counts.items()
    ]
    result.sort(key=lambda item: (-item.postcodes, str(item.team or item.district)))
    return result


def answer(query: str | None) -> Answer:
    """What to tell a resident who typed `query` into the finder."""
    shown = clean_text(query or "")
    if not shown:
        return Answer("empty", error="Enter a postcode, or the name of a town or village")
    if len(shown) > MAX_LENGTH:
        return Answer(
            "invalid",
            query=shown[:MAX_LENGTH],
            error=f"Enter a postcode or place name of {MAX_LENGTH} characters or fewer",
        )
    text = _strip_ends(shown)
    postcode = normalise_postcode(text)
    if postcode:
        return answer_postcode(postcode, query=shown)
    if BFPO_RE.match(text):
        return _answer_elsewhere("BF1", shown)
    if match := SECTOR_RE.match(text.upper()):
        sector = f"{match[1]} {match[2]}"
        return _answer_elsewhere(sector, shown) or _answer_area(shown, sector=sector)
    squashed = "".join(text.split()).upper()
    if OUTWARD_RE.match(squashed):
        return _answer_elsewhere(squashed, shown) or _answer_area(shown, outward=squashed)
    if PLACE_RE.match(text) and len(text) >= 2:
        return answer_place(text, shown)
    return Answer(
        "invalid",
        query=shown,
        error="Enter a full postcode, like CM1 1AA, or the name of a town or village",
    )


def _answer_area(shown: str, **filters) -> Answer:
    area = filters.get("outward") or filters.get("sector")
    return Answer("area", query=shown, postcode=area, coverage=coverage(**filters))
