"""Turning what a resident types (or where they are) into their team.

`normalise_postcode` and `team_for_postcode` are used by other apps; `answer` is what the
finder page shows for any text at all.
"""

from __future__ import annotations

import bisect
import contextlib
import functools
import re
import unicodedata
from collections import OrderedDict
from dataclasses import dataclass, field
from urllib.parse import quote

from django.db import connection
from django.db.models import Count, F
from django.urls import reverse

from portal.cache import generation, keep, kept
from portal.cache import key as cache_key

from .forces import FORCE_WEBSITES, other_area
from .models import District, NeighbouringForce, Postcode, Team, Ward
from .places import GazetteerPlace, gazetteer

# The UK postcode format (BS 7666), with the outward and inward parts captured.
POSTCODE_RE = re.compile(r"^([A-Z]{1,2}[0-9][A-Z0-9]?)([0-9][A-Z]{2})$")
OUTWARD_RE = re.compile(r"^[A-Z]{1,2}[0-9][A-Z0-9]?$")
SECTOR_RE = re.compile(r"^([A-Z]{1,2}[0-9][A-Z0-9]?) +([0-9])$")  # "CM1 1" (the space matters)
# A town, village or ward: letters with spaces, hyphens, apostrophes, full stops, ampersands.
PLACE_RE = re.compile(r"^[^\W\d_](?:[^\W\d_]|[ '’.&-])*$")
BFPO_RE = re.compile(r"^BFPO\s*[0-9]{1,4}$", re.IGNORECASE)

MAX_LENGTH = 100
COVERAGE_SECONDS = 60 * 5
PLACE_RESULTS = 20
# How far to look for the nearest postcode, in metres, widening until one is found.
NEAREST_RADII = (250, 1_000, 5_000)
# Great Britain in latitude and longitude, a little generously.
GB_LATITUDE = (49.8, 61.0)
GB_LONGITUDE = (-8.7, 2.0)


def clean_text(text: str) -> str:
    """What a resident typed, as we show it back: NFKC, no control characters, spaces squashed."""
    text = unicodedata.normalize("NFKC", text)
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


@dataclass
class Coverage:
    """A team (or a neighbouring council area) and how much of an outward code or sector."""

    postcodes: int
    share: int  # per cent, rounded
    team: Team | None = None
    district: District | None = None


@dataclass
class Answer:
    """What the finder has to say about a query. `kind` picks the template's section."""

    # "empty", "invalid", "team", "outside", "unknown", "area", "places", or "elsewhere" (a
    # postcode of Northern Ireland, the Channel Islands, the Isle of Man or BFPO)
    kind: str
    query: str = ""
    postcode: str = ""
    team_slug: str = ""
    district: District | None = None
    error: str = ""
    coverage: list[Coverage] = field(default_factory=list)
    places: list[Place] = field(default_factory=list)
    suggestions: list[str] = field(default_factory=list)  # "Did you mean" for a place
    where: str = ""  # "elsewhere": Northern Ireland, Guernsey...
    force: NeighbouringForce | None = None  # "elsewhere": the force to contact, if any

    @property
    def redirect_url(self) -> str | None:
        """The team page to go straight to, if there is exactly one answer."""
        if self.kind == "team":
            # The team's page says "Your team for CM1 1AA".
            url = reverse("teams:detail", kwargs={"slug": self.team_slug})
            return f"{url}?postcode={quote(self.postcode)}"
        if self.kind == "area" and len(self.coverage) == 1 and self.coverage[0].team:
            return self.coverage[0].team.get_absolute_url()
        if self.kind == "places" and self.places:
            teams = {place.team for place in self.places}
            if len(teams) == 1 and None not in teams:
                return teams.pop().get_absolute_url()
        return None

    @property
    def outside(self) -> bool:
        """An outward code or sector none of whose postcodes an Essex team covers."""
        return (
            self.kind == "area"
            and bool(self.coverage)
            and not any(item.team for item in self.coverage)
        )

    @property
    def answered(self) -> bool:
        """False when the finder had nothing at all to say (kept for staff, teams.unanswered)."""
        if self.kind in {"unknown", "area"}:
            return bool(self.coverage)
        if self.kind == "places":
            return bool(self.places)
        return self.kind != "invalid"


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


POSTCODE_CODES_SQL = (
    f"SELECT district_id, ward_id FROM {Postcode._meta.db_table} WHERE postcode = %s"  # noqa: S608
)


# With each postcode's position, for the marker on its team's map ("You are here").
OUTWARD_CODES_SQL = (
    f"SELECT postcode, district_id, ward_id, easting, northing "  # noqa: S608
    f"FROM {Postcode._meta.db_table} WHERE outward = %s"
)
KEPT_OUTWARDS = 300
# Every outward code in the table, one index probe each (a "loose index scan": PostgreSQL and
# SQLite would otherwise read all 1.7 million rows to find the 2,871 distinct ones).
OUTWARDS_SQL = (
    "WITH RECURSIVE codes(outward) AS ("  # noqa: S608
    f"  SELECT MIN(outward) FROM {Postcode._meta.db_table}"
    f"  UNION ALL SELECT (SELECT MIN(outward) FROM {Postcode._meta.db_table} "
    "    WHERE outward > codes.outward) FROM codes WHERE codes.outward IS NOT NULL"
    ") SELECT outward FROM codes WHERE outward IS NOT NULL"
)
OUTWARDS_SECONDS = 60 * 60


def real_outwards() -> frozenset[str]:
    """Every outward code that has postcodes, kept for everyone in the current generation (an
    import starts a new one): an unknown postcode or outward code outside them needs no query."""
    _routes()  # this process's copy starts again with the routes, in each new generation
    if _kept.get("outwards") is None:
        name = cache_key("postcode-outwards")
        outwards = kept(name)
        if outwards is None:
            with connection.cursor() as cursor:
                cursor.execute(OUTWARDS_SQL)
                outwards = frozenset(row[0] for row in cursor.fetchall())
            keep(name, outwards, OUTWARDS_SECONDS)
        _kept["outwards"] = outwards
    return _kept["outwards"]


# This process's copy of the routes, and the cache generation it was made in.
_kept: dict[str, object] = {}


def _routes() -> tuple[dict[str, District], dict[str, str]]:
    """({district code: District, with its team and force}, {ward code: team slug} for the
    wards given to a team other than their district's).

    A few hundred rows at most, kept in this process so that a postcode needs one single-table
    query (none in an outward code kept by `_keep_outward`) and nothing to unpickle. The copy
    is remade when the cache generation moves on, which any change to a team, district or
    ward, in any worker, does once committed (portal.cache).
    """
    key = generation()
    if _kept.get("key") != key:
        districts = {d.code: d for d in District.objects.select_related("team", "force")}
        wards = dict(Ward.objects.filter(team__isnull=False).values_list("code", "team__slug"))
        # What depends on the districts, wards and postcodes starts again with them: the
        # place names searched (`_place_names`) and each town's route by its nearest postcode
        # (`place_route`); an import starts a new version too.
        _kept.update(
            key=key,
            routes=(districts, wards),
            teams=None,
            names=None,
            names_text=None,
            nearest={},
            outwards=None,
            essex_codes=OrderedDict(),
        )
    return _kept["routes"]


def _teams() -> dict[str, Team]:
    """{slug: Team} for every team, kept with the routes (a few dozen rows)."""
    _routes()
    if _kept.get("teams") is None:
        _kept["teams"] = {team.slug: team for team in Team.objects.all()}
    return _kept["teams"]


def route(postcode: str) -> tuple[str | None, District | None] | None:
    """(team slug or None, district) for a full postcode in the table; None if it is not
    there or Code-Point Open gives it no council area."""
    _routes()  # what is kept here starts again with the routes (and so after an import)
    outward = postcode.split(" ", 1)[0]
    kept = _kept["essex_codes"]
    codes_here = kept.get(outward)
    if codes_here is not None:  # an outward code with Essex postcodes: no query
        with contextlib.suppress(KeyError):  # another thread let it go meanwhile
            kept.move_to_end(outward)
        return _route_codes(codes_here.get(postcode))
    if outward not in real_outwards():  # no postcode starts so: no query
        return None
    # The finder's busiest query, written out: the ORM would take longer to build it than
    # PostgreSQL takes to answer it (bench/finder_load.py).
    with connection.cursor() as cursor:
        cursor.execute(POSTCODE_CODES_SQL, [postcode])
        codes = cursor.fetchone()
    found = _route_codes(codes)
    if found is not None and found[0] is not None:
        _keep_outward(outward)
    return found


def team_and_ward(postcode: str) -> tuple[str | None, str | None]:
    """(team slug, ward code) for a full postcode in the table; (None, None) when no Essex
    team polices it. The ward comes from the outward code's postcodes `route` keeps for an
    Essex postcode, so it costs nothing more; None if another thread let them go meanwhile."""
    found = route(postcode)
    if found is None or found[0] is None:
        return None, None
    codes = _kept["essex_codes"].get(postcode.split(" ", 1)[0], {}).get(postcode)
    return found[0], codes[1] if codes else None


def kept_position(postcode: str) -> tuple[int, int] | None:
    """(easting, northing) in metres of an Essex postcode that `route` has just answered, from
    this process's copy of its outward code's postcodes: no query. None for any other postcode
    (or one whose outward code this process has since let go)."""
    codes = _kept.get("essex_codes", {}).get(postcode.split(" ", 1)[0], {}).get(postcode)
    return (codes[2], codes[3]) if codes else None


def _keep_outward(outward: str) -> None:
    """Keep the codes of every postcode in an outward code that has Essex postcodes, so that
    the next Essex postcode there (the finder's commonest answer, a redirect) needs no query.
    A real outward code found by a real postcode, never typed text; at most KEPT_OUTWARDS
    (Essex has about 150), the longest unused first out."""
    with connection.cursor() as cursor:
        cursor.execute(OUTWARD_CODES_SQL, [outward])
        codes = {row[0]: row[1:] for row in cursor.fetchall()}
    kept = _kept["essex_codes"]
    kept[outward] = codes
    while len(kept) > KEPT_OUTWARDS:
        try:
            kept.popitem(last=False)
        except KeyError:  # emptied by another thread
            break


def _route_codes(codes: tuple[str | None, str | None] | None):
    """`route` for a postcode's (district code, ward code)."""
    if codes is None or codes[0] is None:
        return None
    districts, wards = _routes()
    district = districts.get(codes[0])
    if district is None:  # imported since this process's routes were made
        district = District.objects.select_related("team", "force").filter(code=codes[0]).first()
        if district is None:
            return None
    return wards.get(codes[1]) or (district.team.slug if district.team else None), district


def answer_postcode(postcode: str, query: str = "") -> Answer:
    """The team for a full postcode, or why there is none."""
    found = route(postcode)
    if found is None:
        return _answer_unknown(postcode, query)
    slug, district = found
    if slug:
        return Answer("team", query=query, postcode=postcode, team_slug=slug)
    return Answer("outside", query=query, postcode=postcode, district=district)


def _answer_unknown(postcode: str, query: str) -> Answer:
    """A well-formed postcode we do not have: what its sector tells us, if anything."""
    if elsewhere := _answer_elsewhere(postcode, query):
        return elsewhere
    sector = postcode[:-2]
    return Answer("unknown", query=query, postcode=postcode, coverage=coverage(sector=sector))


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


def coverage(**filters) -> list[Coverage]:
    """`_coverage`, kept in the shared cache for a few minutes (and until any team, district or
    ward changes), with this process's copy of it (`portal.cache.kept`): outward codes cover
    thousands of postcodes."""
    area = "".join(filters.get("outward", "") or filters.get("sector", "").replace(" ", "_"))
    outward = filters.get("outward") or filters.get("sector", "").split(" ", 1)[0]
    if outward not in real_outwards():  # typed, and no postcode starts so: nothing to look up
        return []
    name = cache_key("finder-coverage", area)
    result = kept(name)
    if result is None:
        result = _coverage(**filters)
        if result:  # only real outward codes and sectors: typing can't fill the cache
            keep(name, result, COVERAGE_SECONDS)
    return result


def _coverage(**filters) -> list[Coverage]:
    """Who covers the postcodes matching `filters` (outward= or sector=), largest share first.

    One grouped query: postcodes counted by ward and district, then each group given to the
    ward's override team or the district's team (or, outside Essex, the district itself).
    """
    groups = (
        Postcode.objects.filter(**filters)
        .values("district_id", "ward_id", ward_team=F("ward__team_id"))
        .annotate(postcodes=Count("pk"))
        .order_by()
    )
    groups = list(groups)
    districts = District.objects.select_related("team", "force").in_bulk(
        {group["district_id"] for group in groups if group["district_id"]}
    )
    teams = Team.objects.in_bulk(
        {group["ward_team"] for group in groups if group["ward_team"]}
        | {district.team_id for district in districts.values() if district.team_id}
    )
    counts: dict[tuple[str, object], int] = {}
    for group in groups:
        district = districts.get(group["district_id"])
        team_id = group["ward_team"] or (district.team_id if district else None)
        if team_id:
            key = ("team", team_id)
        elif district:
            key = ("district", district.code)
        else:
            continue  # a postcode with no council area: nothing useful to say about it
        counts[key] = counts.get(key, 0) + group["postcodes"]
    total = sum(counts.values())
    result = [
        Coverage(
            postcodes=count,
            share=round(100 * count / total),
            team=teams.get(value) if kind == "team" else None,
            district=districts.get(value) if kind == "district" else None,
        )
        for (kind, value), count in counts.items()
    ]
    result.sort(key=lambda item: (-item.postcodes, str(item.team or item.district)))
    return result


@dataclass
class Place:
    """A district or ward that matched a place search, and who polices it."""

    name: str
    description: str  # "Council area" or "Ward in Chelmsford"
    team: Team | None
    district: District | None  # the council area, for places outside Essex


def _place_names() -> list[tuple[str, Place]]:
    """(name in lower case, Place) for every council area and ward that leads somewhere (a team
    or a neighbouring force), kept in this process with the routes: a few thousand names."""
    districts, _ = _routes()
    if _kept.get("names") is None:
        teams = {team.pk: team for team in _teams().values()}
        names = [
            (d.name.casefold(), Place(d.name, "Council area", d.team, d))
            for d in districts.values()
            if d.team_id or d.force_id
        ]
        for name, district_code, team_id in Ward.objects.values_list(
            "name", "district_id", "team_id"
        ):
            district = districts.get(district_code)
            team = teams.get(team_id) or (district.team if district else None)
            if team or (district and district.force_id):
                description = f"Ward in {district.name}" if district else "Ward"
                names.append((name.casefold(), Place(name, description, team, district)))
        _kept["names"] = names
    return _kept["names"]


def search_places(text: str) -> list[Place]:
    """Council areas and wards whose names contain `text`, best matches first.

    Only places with a team or a neighbouring force, so that every result leads somewhere.
    """
    lowered = text.casefold()
    names = _place_names()
    # All the names in one string, searched in one pass; only the matches are looked at one
    # by one (a loop over every name costs more than the rest of the answer).
    if _kept.get("names_text") is None:
        starts, position = [], 0
        for name, _ in names:
            starts.append(position)
            position += len(name) + 1
        _kept["names_text"] = ("\n".join(name for name, _ in names), starts)
    joined, starts = _kept["names_text"]
    found, last = ([place for _, place in names] if not lowered else []), -1
    if lowered and "\n" not in lowered:
        at = joined.find(lowered)
        while at != -1:
            index = bisect.bisect_right(starts, at) - 1
            if index != last:
                found.append(names[index][1])
                last = index
            at = joined.find(lowered, starts[index] + len(names[index][0]) + 1)

    def rank(place: Place):
        name = place.name.casefold()
        kind = place.description != "Council area"  # council areas before wards
        return (name != lowered, not name.startswith(lowered), place.team is None, kind, name)

    return sorted(found, key=rank)[:PLACE_RESULTS]


def place_route(place: GazetteerPlace) -> tuple[str | None, District | None] | None:
    """(team slug or None, district) for a town or village, by its nearest postcode."""
    _routes()  # what is kept here starts again with the routes (and so after an import)
    kept = _kept["nearest"]
    if place not in kept:
        postcode = place.postcode or nearest_postcode_to(place.easting, place.northing)
        kept[place] = route(postcode) if postcode else None
    return kept[place]


def answer_place(text: str, shown: str) -> Answer:
    """Towns and villages called `text` (or else council areas and wards whose names hold it),
    each with its team or its council and force; "Did you mean" when nothing is called that."""
    places: list[Place] = []
    routes = [(place, place_route(place)) for place in gazetteer().find(text)[:PLACE_RESULTS]]
    routes = [(place, found) for place, found in routes if found is not None]
    teams = _teams()
    for place, (slug, district) in routes:
        places.append(
            Place(place.name, f"Town or village in {district.name}", teams.get(slug), district)
        )
    if not places:  # no town or village of that name: council areas and wards
        places = search_places(text)
    places.sort(key=lambda place: place.team is None)  # Essex first, otherwise as found
    places = places[:PLACE_RESULTS]
    suggestions = [] if places else gazetteer().suggest(text)
    return Answer("places", query=shown, places=places, suggestions=suggestions)


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


@functools.cache
def _to_grid():
    from pyproj import Transformer

    return Transformer.from_crs("EPSG:4326", "EPSG:27700", always_xy=True)


def _to_grid_point(latitude: float, longitude: float) -> tuple[int, int] | None:
    """(easting, northing) of a point (WGS84) in Great Britain; None if it is not there."""
    if not (
        GB_LATITUDE[0] <= latitude <= GB_LATITUDE[1]
        and GB_LONGITUDE[0] <= longitude <= GB_LONGITUDE[1]
    ):
        return None
    easting, northing = _to_grid().transform(longitude, latitude)
    return round(easting), round(northing)


def nearest_postcode(latitude: float, longitude: float) -> str | None:
    """The postcode nearest a point (WGS84), within a few kilometres; None if none is.

    Anywhere in Great Britain: the postcodes' position index finds the few in a small square
    around the point, widening the square until one is found."""
    point = _to_grid_point(latitude, longitude)
    return nearest_postcode_to(*point) if point else None


def route_at(latitude: float, longitude: float) -> tuple[str | None, District | None] | None:
    """`route` for the postcode nearest a point (WGS84): one query, as "Use my location"."""
    point = _to_grid_point(latitude, longitude)
    nearest = _nearest(*point) if point else None
    return _route_codes(nearest[1:]) if nearest else None


def nearest_postcode_to(easting: int, northing: int) -> str | None:
    """The postcode nearest a point on the British National Grid, within NEAREST_RADII."""
    nearest = _nearest(easting, northing)
    return nearest[0] if nearest else None


# The nearest postcode with a position in a square around the point (the position index),
# within the circle the square bounds; the first in postcode order among equals.
NEAREST_SQL = (
    f"SELECT postcode, district_id, ward_id FROM {Postcode._meta.db_table} "  # noqa: S608
    "WHERE easting BETWEEN %(west)s AND %(east)s AND northing BETWEEN %(south)s AND %(north)s "
    "AND quality < 90 "  # 90: no position at all
    "AND (easting - %(x)s) * (easting - %(x)s) + (northing - %(y)s) * (northing - %(y)s) "
    "<= %(reach)s "
    "ORDER BY (easting - %(x)s) * (easting - %(x)s) + (northing - %(y)s) * (northing - %(y)s), "
    "postcode LIMIT 1"
)


def _nearest(easting: int, northing: int) -> tuple[str, str | None, str | None] | None:
    """(postcode, district code, ward code) nearest a point on the grid, within NEAREST_RADII."""
    with connection.cursor() as cursor:
        for radius in NEAREST_RADII:
            cursor.execute(
                NEAREST_SQL,
                {
                    "west": easting - radius,
                    "east": easting + radius,
                    "south": northing - radius,
                    "north": northing + radius,
                    "x": easting,
                    "y": northing,
                    "reach": radius * radius,
                },
            )
            if row := cursor.fetchone():
                return row
    return None
