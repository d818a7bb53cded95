"""The nearest postcode to a point in and around Essex, from this process's copy of their
positions: "Use my location" and the open data API's locate-neighbourhood without a query.

Every postcode with a position inside AREA (Essex Police's area and some kilometres about it) is
kept in squares of SQUARE metres, read with one query when first needed. A point is answered by
searching the squares ring by ring around it until the nearest found is provably nearer than
anything outside the rings searched: the same postcode the position index's query
(teams.routes.NEAREST_SQL) gives, ties to the first in the database's postcode order. When the
rings would leave AREA (a point near its edge, or anywhere else in Great Britain) `kept_nearest`
says so and the caller asks the database.

The copy follows the postcodes: an import, or a staff edit of a postcode, calls
`teams.areas.postcodes_changed`, which changes POSITIONS_KEY in the shared cache after the
commit and then starts a new cache generation. A process looks at POSITIONS_KEY only when the
generation has moved on (any content change), and reads the positions again only when that has
changed too, so an edit to a team's page costs it one cache read, not a rebuild.
"""

from __future__ import annotations

import time
from array import array
from bisect import bisect_left
from collections.abc import Callable
from dataclasses import dataclass
from typing import TypeVar

from django.core.cache import cache
from django.db import connection, transaction

from portal.cache import generation, shared_between_processes

from .models import Postcode

# Square size in metres: small enough that a town's nearest postcode is found among a few
# dozen, large enough that a village's is a few rings away.
SQUARE = 250
# (west, south, east, north) in metres on the British National Grid, multiples of SQUARE:
# every postcode of the 14 districts Essex Police covers lies within eastings 537,046-626,407
# and northings 175,133-246,249 (Code-Point Open 2025.2), with 5 km about them.
AREA = (532_000, 170_000, 632_000, 252_000)
# How far the nearest postcode may be, in metres (teams.routes.NEAREST_RADII widens to it).
REACH = 5_000
# Changes, after the commit, with every change to the postcodes (teams.areas.postcodes_changed).
POSITIONS_KEY = "portal:postcode-positions"
POSTCODE_WIDTH = 8  # "CM99 9AA"

# Read in the database's postcode order: a postcode's place in it breaks ties as NEAREST_SQL's
# ORDER BY does.
POSITIONS_SQL = (
    f"SELECT postcode, easting, northing, district_id, ward_id "  # noqa: S608
    f"FROM {Postcode._meta.db_table} "
    "WHERE easting BETWEEN %s AND %s AND northing BETWEEN %s AND %s AND quality < 90 "
    "ORDER BY postcode"
)

T = TypeVar("T")
OUTSIDE = object()  # `kept_nearest`'s answer when the database must be asked


@dataclass
class Positions:
    generation: int
    version: int
    # {square: [easting, northing, place, easting, northing, place, ...]} for the squares with
    # postcodes, a square's key being column * 65536 + row (in squares from AREA's corner).
    squares: dict[int, array]
    postcodes: str  # every postcode in place order, each padded to POSTCODE_WIDTH
    codes: array  # each postcode's index in `pairs`
    pairs: list[tuple[str | None, str | None]]  # (district code, ward code), each pair once
    eastings: array  # each postcode's, in place order
    northings: array
    # The places in Python's order of their postcodes (the database's may differ: collations
    # pass over spaces), for finding a postcode by halving (`position_of`).
    by_postcode: array

    def postcode(self, place: int) -> str:
        start = place * POSTCODE_WIDTH
        return self.postcodes[start : start + POSTCODE_WIDTH]


_kept: list[Positions] = []  # this process's copy (at most one)


def following_postcodes(kept: list, read: Callable[[int, int], T]) -> T:
    """This process's copy in `kept` (a list of at most one, with `generation` and `version`),
    made again by `read(generation, version)` when the postcodes have changed: POSITIONS_KEY is
    looked at only when the generation has moved on, so a change to a team costs one cache
    read, not a rebuild."""
    current = generation()
    copy = kept[0] if kept else None
    if copy is not None and copy.generation == current:
        return copy
    # Read before the postcodes: a version set after an import's commit finds its postcodes.
    version = cache.get_or_set(POSITIONS_KEY, time.time_ns, None)
    if copy is not None and copy.version == version:
        copy.generation = current
        return copy
    copy = read(current, version)
    kept[:] = [copy]
    return copy


def positions() -> Positions:
    """This process's copy of the positions, read again when the postcodes have changed."""
    return following_postcodes(_kept, _read)


def forget() -> None:
    """Drop this process's copy (the tests, between databases)."""
    _kept.clear()


# Sorting the positions (about 135,000 rows, 6 MB) spills to disk in PostgreSQL's default
# work_mem of 4 MB: 0.4 s of a process's first "Use my location" or place search in Essex on
# the benchmark database, against 0.07 s sorted in memory.
POSITIONS_WORK_MEM = "64MB"


def _name(version: int) -> str:
    return f"portal:postcode-positions:{version}"


def _read(current: int, version: int) -> Positions:
    """The positions for `version`: from the shared cache when the writer of the postcodes
    (`prepare`) or another worker put them there, otherwise read from the database (and put
    there for the other workers)."""
    if not shared_between_processes():
        return Positions(current, version, *_read_positions())
    kept = cache.get(_name(version))
    if kept is None:
        kept = _read_positions()
        cache.set(_name(version), kept, PREPARED_SECONDS)
    return Positions(current, version, *kept)


def prepare(version: int) -> None:
    """Read the positions for a new postcodes version and keep them in the shared cache before
    the version is published (teams.areas calls this after an import's or edit's commit), so
    that each worker fetches them instead of querying for them while a resident waits."""
    if shared_between_processes():
        cache.set(_name(version), _read_positions(), PREPARED_SECONDS)


PREPARED_SECONDS = 60 * 60 * 24  # then read again, once, by whichever worker asks first


def _read_positions() -> tuple:
    """Positions' fields but the generation and the version, read from the database."""
    west, south, east, north = AREA
    squares: dict[int, array] = {}
    pairs: dict[tuple[str | None, str | None], int] = {}
    postcodes = []
    codes = array("i")
    eastings, northings = array("i"), array("i")
    with transaction.atomic(), connection.cursor() as cursor:
        if connection.vendor == "postgresql":  # LOCAL: until this transaction ends
            cursor.execute(f"SET LOCAL work_mem = '{POSITIONS_WORK_MEM}'")
        cursor.execute(POSITIONS_SQL, [west, east - 1, south, north - 1])
        for place, (postcode, easting, northing, district, ward) in enumerate(cursor):
            key = (easting - west) // SQUARE * 65536 + (northing - south) // SQUARE
            square = squares.get(key)
            if square is None:
                square = squares[key] = array("i")
            square.extend((easting, northing, place))
            postcodes.append(postcode.ljust(POSTCODE_WIDTH))
            codes.append(pairs.setdefault((district, ward), len(pairs)))
            eastings.append(easting)
            northings.append(northing)
    return (
        squares,
        "".join(postcodes),
        codes,
        list(pairs),
        eastings,
        northings,
        array("i", sorted(range(len(postcodes)), key=postcodes.__getitem__)),
    )


def position_of(postcode: str) -> tuple[int, int] | None:
    """(easting, northing) in metres of a postcode in and around Essex ("CM1 1AA"), from this
    process's copy: no query. None for one that is not there (outside AREA, or without a
    position in Code-Point Open)."""
    kept = positions()
    padded = postcode.ljust(POSTCODE_WIDTH)
    order = kept.by_postcode
    at = bisect_left(order, padded, key=kept.postcode)
    if at == len(order) or kept.postcode(order[at]) != padded:
        return None
    place = order[at]
    return kept.eastings[place], kept.northings[place]


def kept_nearest(easting: int, northing: int):
    """(postcode, district code, ward code) nearest a point on the grid within REACH, or None
    if none is; OUTSIDE when the answer may lie beyond AREA (then ask the database)."""
    west, south, east, north = AREA
    if not (west <= easting < east and south <= northing < north):
        return OUTSIDE
    kept = positions()
    squares = kept.squares
    x, y = easting - west, northing - south  # from AREA's corner
    column, row = x // SQUARE, y // SQUARE
    columns, rows = (east - west) // SQUARE, (north - south) // SQUARE
    reach = REACH * REACH
    best, best_place = reach + 1, -1
    ring = 0
    while True:
        first_column, last_column = column - ring, column + ring
        first_row, last_row = row - ring, row + ring
        if first_column < 0 or first_row < 0 or last_column >= columns or last_row >= rows:
            return OUTSIDE
        if ring == 0:
            keys = [column * 65536 + row]
        else:
            keys = [c * 65536 + first_row for c in range(first_column, last_column + 1)]
            keys += [c * 65536 + last_row for c in range(first_column, last_column + 1)]
            keys += [first_column * 65536 + r for r in range(first_row + 1, last_row)]
            keys += [last_column * 65536 + r for r in range(first_row + 1, last_row)]
        for key in keys:
            square = squares.get(key)
            if square is None:
                continue
            values = iter(square)
            for e, n, place in zip(values, values, values, strict=True):
                dx, dy = e - easting, n - northing
                distance = dx * dx + dy * dy
                if distance < best or (distance == best and place < best_place):
                    best, best_place = distance, place
        # Anything outside the rings searched is at least this far (whole metres).
        clear = min(
            x - first_column * SQUARE + 1,
            (last_column + 1) * SQUARE - x,
            y - first_row * SQUARE + 1,
            (last_row + 1) * SQUARE - y,
        )
        if best < clear * clear or clear * clear > reach:
            break
        ring += 1
    if best_place < 0:
        return None
    start = best_place * POSTCODE_WIDTH
    postcode = kept.postcodes[start : start + POSTCODE_WIDTH].rstrip()
    return (postcode, *kept.pairs[kept.codes[best_place]])
