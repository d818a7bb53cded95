"""Turning what a resident types (or where they are) into their team.

`normalise_postcode` and `team_for_postcode` are used by other apps; `answer` is what the
finder page shows for any text at all.
"""

from __future__ import annotations

import functools
import re
import unicodedata
import uuid
from dataclasses import dataclass, field
from urllib.parse import quote

from django.core.cache import cache
from django.db import connection
from django.db.models import Count, F, Q
from django.urls import reverse

from .models import District, Postcode, Team, Ward
from .services import PAGES_VERSION_KEY

# The UK postcode format (BS 7666), with the outward and inward parts captured.
POSTCODE_RE = re.compile(r"^([A-Z]{1,2}[0-9][A-Z0-9]?)([0-9][A-Z]{2})$")
OUTWARD_RE = re.compile(r"^[A-Z]{1,2}[0-9][A-Z0-9]?$")
SECTOR_RE = re.compile(r"^([A-Z]{1,2}[0-9][A-Z0-9]?) +([0-9])$")  # "CM1 1" (the space matters)
# A town, village or ward: letters with spaces, hyphens, apostrophes, full stops, ampersands.
PLACE_RE = re.compile(r"^[^\W\d_](?:[^\W\d_]|[ '’.&-])*$")

MAX_LENGTH = 100
ROUTES_SECONDS = 60
ROUTES_STAMP_KEY = "teams:finder:routes-stamp"
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

    kind: str  # "empty", "invalid", "team", "outside", "unknown", "area", "places"
    query: str = ""
    postcode: str = ""
    team_slug: str = ""
    district: District | None = None
    error: str = ""
    coverage: list[Coverage] = field(default_factory=list)
    places: list[Place] = field(default_factory=list)

    @property
    def redirect_url(self) -> str | None:
        """The team page to go straight to, if there is exactly one answer."""
        if self.kind == "team":
            # The team's page says "Your team for CM1 1AA".
            url = reverse("teams:detail", kwargs={"slug": self.team_slug})
            return f"{url}?postcode={quote(self.postcode)}"
        if self.kind == "area" and len(self.coverage) == 1 and self.coverage[0].team:
            return self.coverage[0].team.get_absolute_url()
        return None


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


# This process's copy of the routes, and the (version, stamp) it was made under.
_kept: dict[str, object] = {}


def _routes() -> tuple[dict[str, District], dict[str, str]]:
    """({district code: District, with its team and force}, {ward code: team slug} for the
    wards given to a team other than their district's).

    A few hundred rows at most, kept in this process so that a postcode needs one single-table
    query and nothing to unpickle. The copy is remade when any team, district or ward changes
    (teams.signals start a new version of the team pages) and when the shared stamp expires,
    so another worker's change shows here within ROUTES_SECONDS even with a per-process cache.
    """
    cache.add(ROUTES_STAMP_KEY, uuid.uuid4().hex, ROUTES_SECONDS)
    kept = cache.get_many([PAGES_VERSION_KEY, ROUTES_STAMP_KEY])
    key = (kept.get(PAGES_VERSION_KEY, 1), kept.get(ROUTES_STAMP_KEY))
    if _kept.get("key") != key or key[1] is None:
        districts = {d.code: d for d in District.objects.select_related("team", "force")}
        wards = dict(Ward.objects.filter(team__isnull=False).values_list("code", "team__slug"))
        _kept.update(key=key, routes=(districts, wards))
    return _kept["routes"]


def answer_postcode(postcode: str, query: str = "") -> Answer:
    """The team for a full postcode, or why there is none."""
    # The finder's busiest query, written out: the ORM would take longer to build it than
    # PostgreSQL takes to answer it (bench/finder_load.py).
    with connection.cursor() as cursor:
        cursor.execute(POSTCODE_CODES_SQL, [postcode])
        codes = cursor.fetchone()
    if codes is None or codes[0] is None:  # unknown, or no council area in Code-Point Open
        return Answer("unknown", query=query, postcode=postcode)
    districts, wards = _routes()
    district = districts.get(codes[0])
    if district is None:  # imported since this process's routes were made
        district = District.objects.select_related("team", "force").filter(code=codes[0]).first()
        if district is None:
            return Answer("unknown", query=query, postcode=postcode)
    slug = wards.get(codes[1]) or (district.team.slug if district.team else None)
    if slug:
        return Answer("team", query=query, postcode=postcode, team_slug=slug)
    return Answer("outside", query=query, postcode=postcode, district=district)


def coverage(**filters) -> list[Coverage]:
    """`_coverage`, kept in the cache for a few minutes (and until any team, district or ward
    changes): outward codes cover thousands of postcodes."""
    version = cache.get_or_set(PAGES_VERSION_KEY, 1, None)
    area = "".join(filters.get("outward", "") or filters.get("sector", "").replace(" ", "_"))
    key = f"teams:finder:coverage:v{version}:{area}"
    result = cache.get(key)
    if result is None:
        result = _coverage(**filters)
        cache.set(key, result, COVERAGE_SECONDS)
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


def search_places(text: str) -> list[Place]:
    """Districts and wards whose names contain `text`, best matches first.

    Only places with a team or a neighbouring force, so that every result leads somewhere.
    """
    districts = District.objects.filter(
        Q(team__isnull=False) | Q(force__isnull=False), name__icontains=text
    ).select_related("team", "force")[:PLACE_RESULTS]
    wards = (
        Ward.objects.filter(name__icontains=text)
        .filter(
            Q(team__isnull=False)
            | Q(district__team__isnull=False)
            | Q(district__force__isnull=False)
        )
        .select_related("team", "district__team", "district__force")[: PLACE_RESULTS * 2]
    )
    places = [Place(d.name, "Council area", d.team, d) for d in districts]
    places += [
        Place(
            w.name,
            f"Ward in {w.district.name}" if w.district else "Ward",
            w.team or (w.district.team if w.district else None),
            w.district,
        )
        for w in wards
    ]
    lowered = text.casefold()

    def rank(place: Place):
        name = place.name.casefold()
        return (name != lowered, not name.startswith(lowered), place.team is None, name)

    return sorted(places, key=rank)[:PLACE_RESULTS]


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
    if match := SECTOR_RE.match(text.upper()):
        return _answer_area(shown, sector=f"{match[1]} {match[2]}")
    squashed = "".join(text.split()).upper()
    if OUTWARD_RE.match(squashed):
        return _answer_area(shown, outward=squashed)
    if PLACE_RE.match(text) and len(text) >= 2:
        return Answer("places", query=shown, places=search_places(text))
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


def nearest_postcode(latitude: float, longitude: float) -> str | None:
    """The postcode nearest a point (WGS84), within a few kilometres; None if none is."""
    if not (
        GB_LATITUDE[0] <= latitude <= GB_LATITUDE[1]
        and GB_LONGITUDE[0] <= longitude <= GB_LONGITUDE[1]
    ):
        return None
    easting, northing = _to_grid().transform(longitude, latitude)
    easting, northing = round(easting), round(northing)
    for radius in NEAREST_RADII:
        candidates = Postcode.objects.filter(
            easting__range=(easting - radius, easting + radius),
            northing__range=(northing - radius, northing + radius),
            quality__lt=90,  # 90: no position at all
        ).values_list("postcode", "easting", "northing")[:5000]
        best = min(
            candidates,
            key=lambda row: (row[1] - easting) ** 2 + (row[2] - northing) ** 2,
            default=None,
        )
        if best is not None:
            return best[0]
    return None
