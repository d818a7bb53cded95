"""Every postcode of Great Britain by sector, with its council area and ward: what the finder
needs to answer a full postcode outside Essex (or one we do not have), and to say who covers
"CM1" or the sector of a postcode it does not have, without a query.

They change only with the postcodes themselves (an import, a staff edit of a postcode), so they
follow the postcodes' version as "Use my location" does (teams.nearest): read with one grouped
query over every postcode (about 1.5 seconds for Great Britain's 1.74 million on PostgreSQL, 2
on SQLite), kept in the shared cache under that version for the other workers (6 MB pickled), and
copied into each process (about 10.5 MB). For each sector: its postcodes counted by council
area and ward (10,878 sectors, 32,843 groups), and its postcodes' units with their groups' marks
run together, 3 characters a postcode. Which team each council area and ward goes to is not
here: that follows every change to a team, district or ward through the routes (teams.routes).
"""

from __future__ import annotations

import logging
import time
from collections import defaultdict
from dataclasses import dataclass, field

from django.core.cache import cache
from django.db import DatabaseError, connection, transaction

from portal.cache import content_changed, shared_between_processes

from .models import Postcode
from .nearest import POSITIONS_KEY, following_postcodes
from .nearest import prepare as prepare_positions

logger = logging.getLogger(__name__)

# (district code, ward code, postcodes): None for a postcode Code-Point Open gives no area.
Group = tuple[str | None, str | None, int]

SHARED_SECONDS = 60 * 60 * 24  # then worked out again, once, by whichever worker asks first
# Each group's units ("AA," for "CM1 1AA") run together, in whatever order the database gives:
# 32,843 rows, where reading every postcode into Python took six times as long and 470 MB.
# PostgreSQL's STRING_AGG is SQLite's GROUP_CONCAT.
UNITS_SQL = (
    "SELECT sector, district_id, ward_id, "  # noqa: S608
    "{}(SUBSTR(postcode, LENGTH(postcode) - 1) || ',', '') "
    f"FROM {Postcode._meta.db_table} GROUP BY sector, district_id, ward_id"
)
RUN_TOGETHER = {"postgresql": "STRING_AGG", "sqlite": "GROUP_CONCAT"}
UNIT = 2  # capital letters, the end of every postcode ("AA" of "CM1 1AA")
STEP = UNIT + 1  # a unit and its group's mark


@dataclass
class Areas:
    """What is kept for each sector ("CM1 1") that has postcodes, and each outward code's."""

    generation: int
    version: int
    groups: dict[str, tuple[Group, ...]]
    # Its postcodes' units, each followed by its group's mark (`_mark`): "AA\x00AB\x01" when
    # CM1 1AA is in its first group and CM1 1AB in its second. No mark is a capital letter,
    # so a unit can only be found where one starts.
    units: dict[str, str]
    outwards: dict[str, list[str]] = field(default_factory=dict)  # "CM1": its sectors

    def __post_init__(self):
        for sector in self.groups:
            self.outwards.setdefault(sector[:-2], []).append(sector)


_kept: list[Areas] = []  # this process's copy (at most one)


def _mark(group: int) -> str:
    """A group's mark: one character, never a capital letter. A sector's postcodes are in a
    dozen groups at most (so one byte a postcode); any number would do."""
    return chr(group if group < ord("A") else group + 26)


def _group(mark: str) -> int:
    """The group a mark stands for (`_mark`)."""
    code = ord(mark)
    return code if code < ord("A") else code - 26


def _name(version: int) -> str:
    return f"portal:postcode-units:{version}"


def _read(current: int, version: int) -> Areas:
    sectors = cache.get(_name(version))  # (groups, units): nothing but built-in types
    if sectors is None:
        sectors = _read_sectors()
        cache.set(_name(version), sectors, SHARED_SECONDS)
    return Areas(current, version, *sectors)


def postcodes_changed() -> None:
    """After the current transaction commits: a new postcodes version, then a new generation
    (in that order, so no process can see the new generation and keep its old copies under it).
    Called by every writer of postcodes (the import, a staff edit)."""
    transaction.on_commit(_new_version)
    content_changed()


def _new_version() -> None:
    version = time.time_ns()
    prepare(version)  # for every worker, before any can ask for them
    try:
        prepare_positions(version)
    except DatabaseError:
        logger.exception("Could not read the postcodes' positions for the new version")
    cache.set(POSITIONS_KEY, version, None)


def prepare(version: int) -> None:
    """Work the copy out for a new postcodes version and keep it in the shared cache before the
    version is published (teams.nearest calls this after an import's or edit's commit), so that
    each worker fetches it on its next request instead of querying for it while residents
    wait (1.5 s on Great Britain). Only where the cache is shared; a failure is left to the
    workers, which then work it out themselves."""
    if not shared_between_processes():
        return
    try:
        cache.set(_name(version), _read_sectors(), SHARED_SECONDS)
    except DatabaseError:
        logger.exception("Could not work out the postcodes by sector for the new version")


def _read_sectors() -> tuple[dict[str, tuple[Group, ...]], dict[str, str]]:
    codes: dict[str | None, str | None] = {None: None}  # each code's text once, not per row
    rows: dict[str, list[tuple[str | None, str | None, str]]] = defaultdict(list)
    with connection.cursor() as cursor:
        cursor.execute(UNITS_SQL.format(RUN_TOGETHER[connection.vendor]))
        for sector, district, ward, units in cursor:
            district = codes.setdefault(district, district)
            ward = codes.setdefault(ward, ward)
            rows[sector].append((district, ward, units))
    groups, units = {}, {}
    for sector, found in rows.items():
        groups[sector] = tuple((d, w, len(run) // STEP) for d, w, run in found)
        units[sector] = "".join(
            run.replace(",", _mark(group)) for group, (_, _, run) in enumerate(found)
        )
    return groups, units


def postcode_codes(postcode: str) -> tuple[str | None, str | None] | None:
    """(district code, ward code) of a full postcode ("CM1 1AA") in the table, either None
    when Code-Point Open gives it none; None if it is not there."""
    areas = following_postcodes(_kept, _read)
    sector = postcode[:-UNIT]
    units = areas.units.get(sector)
    at = -1 if units is None else units.find(postcode[-UNIT:])
    if at < 0 or at % STEP:  # not there (or not a unit of capital letters)
        return None
    district, ward, _ = areas.groups[sector][_group(units[at + UNIT])]
    return district, ward


def sector_has_postcodes(sector: str) -> bool:
    """Whether any postcode is in a sector ("CM1 1")."""
    return sector in following_postcodes(_kept, _read).groups


def postcode_groups(*, outward: str = "", sector: str = "") -> list[Group]:
    """The postcodes of an outward code ("CM1") or a sector ("CM1 1") counted by council area
    and ward; [] when it has none."""
    areas = following_postcodes(_kept, _read)
    groups = areas.groups
    if sector:
        return list(groups.get(sector, ()))
    counts: dict[tuple[str | None, str | None], int] = defaultdict(int)
    for each in areas.outwards.get(outward, ()):
        for district, ward, postcodes in groups[each]:
            counts[district, ward] += postcodes
    return [(district, ward, postcodes) for (district, ward), postcodes in counts.items()]


def warm() -> None:
    """Work the counts out now (after an import) rather than on a resident's first search."""
    following_postcodes(_kept, _read)


def forget() -> None:
    """Drop this process's copy (the tests, between databases)."""
    _kept.clear()
