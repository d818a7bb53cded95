"""Which team a postcode, or a point, goes to: the routes (district and ward codes to teams)
kept in each process for the current cache generation, and the nearest postcode to a point.

The finder (teams.finder), its place search (teams.place_search), the team pages and the open
data API all route through here, so a postcode and the places around it never disagree.
"""

from __future__ import annotations

import functools
from typing import NamedTuple

from django.db import connection

from portal.cache import generation

from .areas import postcode_codes, sector_has_postcodes
from .models import District, Postcode, Team, Ward
from .nearest import OUTSIDE, REACH, kept_nearest, position_of

# How far to look for the nearest postcode, in metres, widening until one is found.
NEAREST_RADII = (250, 1_000, REACH)
# Great Britain in latitude and longitude, a little generously.
GB_LATITUDE = (49.8, 61.0)
GB_LONGITUDE = (-8.7, 2.0)


# This process's copy of the routes, the cache generation it was made in, and what starts
# again with them (teams.place_search keeps its names and towns' routes here too).
kept_here: dict[str, object] = {}


def district_routes() -> tuple[dict[str, District], dict[str, str]]:
    """({district code: District, with its team and force}, {ward code: team slug} for the
    wards given to a team other than their district's).

    A few hundred rows at most, kept in this process so that a postcode's answer needs no query
    (with every postcode's codes, teams.areas) and nothing to unpickle. The copy is remade
    when the cache generation moves on, which any change to a team, district or ward, in any
    worker, does once committed (portal.cache).
    """
    key = generation()
    if kept_here.get("key") != key:
        districts = {d.code: d for d in District.objects.select_related("team", "force")}
        wards = dict(Ward.objects.filter(team__isnull=False).values_list("code", "team__slug"))
        # What depends on the districts, wards and postcodes starts again with them: the
        # place names searched and each town as the finder lists it, routed by its nearest
        # postcode (both kept here by teams.place_search); an import starts a new version too.
        kept_here.update(
            key=key,
            routes=(districts, wards),
            teams=None,
            names=None,
            names_grams=None,
            nearest={},
        )
    return kept_here["routes"]


def teams_by_slug() -> dict[str, Team]:
    """{slug: Team} for every team, kept with the routes (a few dozen rows)."""
    district_routes()
    if kept_here.get("teams") is None:
        kept_here["teams"] = {team.slug: team for team in Team.objects.all()}
    return kept_here["teams"]


def route(postcode: str) -> tuple[str | None, District | None] | None:
    """(team slug or None, district) for a full postcode in the table; None if it is not
    there or Code-Point Open gives it no council area. From this process's copy of every
    postcode's codes (teams.areas) and its routes: no query."""
    return _route_codes(postcode_codes(postcode))


class PostcodeRoute(NamedTuple):
    """What the finder needs to answer a full postcode (`postcode_route`)."""

    team_slug: str | None  # the Essex team's, if one polices it
    district: District | None  # None: not in the table (or given no council area)
    sector_known: bool  # whether any postcode (maybe itself) is in its sector


def postcode_route(postcode: str) -> PostcodeRoute:
    """The finder's `route`, with whether the postcode's sector has any postcodes when it has no
    answer: no query."""
    found = route(postcode)
    if found is not None:
        return PostcodeRoute(found[0], found[1], True)
    return PostcodeRoute(None, None, sector_has_postcodes(postcode[:-2]))


def team_and_ward(postcode: str) -> tuple[str | None, str | None]:
    """(team slug, ward code) for a full postcode in the table; (None, None) when no Essex
    team polices it. No query (teams.areas)."""
    codes = postcode_codes(postcode)
    found = _route_codes(codes)
    if found is None or found[0] is None:
        return None, None
    return found[0], codes[1]


def kept_position(postcode: str) -> tuple[int, int] | None:
    """(easting, northing) in metres of a postcode in and around Essex, from this process's
    copy of their positions (teams.nearest): no query. None for any other postcode."""
    return position_of(postcode)


def _route_codes(codes: tuple[str | None, str | None] | None):
    """`route` for a postcode's (district code, ward code)."""
    if codes is None or codes[0] is None:
        return None
    districts, wards = district_routes()
    district = districts.get(codes[0])
    if district is None:  # imported since this process's routes were made
        district = District.objects.select_related("team", "force").filter(code=codes[0]).first()
        if district is None:
            return None
    return wards.get(codes[1]) or (district.team.slug if district.team else None), district


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
    """(postcode, district code, ward code) nearest a point on the grid, within NEAREST_RADII:
    in and around Essex from this process's copy of the positions (teams.nearest), no query."""
    found = kept_nearest(easting, northing)
    return nearest_queried(easting, northing) if found is OUTSIDE else found


def nearest_queried(easting: int, northing: int) -> tuple[str, str | None, str | None] | None:
    """`_nearest` from the database: the postcodes' position index, widening the square."""
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
