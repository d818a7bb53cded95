"""How many postcodes each council area and ward has in every outward code and sector of
Great Britain: what the finder needs to say who covers "CM1", or the sector of a postcode it
does not have, without a query.

The counts change only with the postcodes themselves (an import, a staff edit of a postcode),
so they follow the postcodes' version as "Use my location" does (teams.nearest): worked out
with one grouped query over every postcode (about a second for Great Britain), kept in the
shared cache under that version for the other workers, and copied into each process (about
33,000 rows, a few MB). Which team each council area and ward goes to is not here: that
follows every change to a team, district or ward through the routes (teams.routes).
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field

from django.core.cache import cache
from django.db import connection

from .models import Postcode
from .nearest import following_postcodes

# (district code, ward code, postcodes): None for a postcode Code-Point Open gives no area.
Group = tuple[str | None, str | None, int]

SHARED_SECONDS = 60 * 60 * 24  # then worked out again, once, by whichever worker asks first
SECTORS_SQL = (
    f"SELECT sector, district_id, ward_id, COUNT(*) FROM {Postcode._meta.db_table} "  # noqa: S608
    "GROUP BY sector, district_id, ward_id"
)


@dataclass
class Areas:
    generation: int
    version: int
    sectors: dict[str, tuple[Group, ...]]  # "CM1 1": its groups
    outwards: dict[str, list[str]] = field(default_factory=dict)  # "CM1": its sectors

    def __post_init__(self):
        for sector in self.sectors:
            self.outwards.setdefault(sector[:-2], []).append(sector)


_kept: list[Areas] = []  # this process's copy (at most one)


def _read(current: int, version: int) -> Areas:
    name = f"portal:postcode-areas:{version}"
    sectors = cache.get(name)
    if sectors is None:
        sectors = _count_sectors()
        cache.set(name, sectors, SHARED_SECONDS)
    return Areas(generation=current, version=version, sectors=sectors)


def _count_sectors() -> dict[str, tuple[Group, ...]]:
    codes: dict[str | None, str | None] = {None: None}  # each code's text once, not per row
    sectors: dict[str, list[Group]] = defaultdict(list)
    with connection.cursor() as cursor:
        cursor.execute(SECTORS_SQL)
        for sector, district, ward, postcodes in cursor:
            district = codes.setdefault(district, district)
            ward = codes.setdefault(ward, ward)
            sectors[sector].append((district, ward, postcodes))
    return {sector: tuple(groups) for sector, groups in sectors.items()}


def postcode_groups(*, outward: str = "", sector: str = "") -> list[Group]:
    """The postcodes of an outward code ("CM1") or a sector ("CM1 1") counted by council area
    and ward; [] when it has none."""
    areas = following_postcodes(_kept, _read)
    if sector:
        return list(areas.sectors.get(sector, ()))
    counts: dict[tuple[str | None, str | None], int] = defaultdict(int)
    for each in areas.outwards.get(outward, ()):
        for district, ward, postcodes in areas.sectors[each]:
            counts[district, ward] += postcodes
    return [(district, ward, postcodes) for (district, ward), postcodes in counts.items()]


def warm() -> None:
    """Work the counts out now (after an import) rather than on a resident's first search."""
    following_postcodes(_kept, _read)


def forget() -> None:
    """Drop this process's copy (the tests, between databases)."""
    _kept.clear()
