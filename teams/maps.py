"""Maps of the teams' areas, drawn on the server as inline SVG from the postcodes' coordinates.

Essex is cut into 1 km squares of the British National Grid; each square is coloured by the team
that polices most of the postcodes in it (the ward's team when the ward has one, else the
district's). The squares are counted by the database in one GROUP BY, and the drawings are kept
in the cache under the portal's generation, which any change to a team, district or ward and any
postcode import moves on (portal.cache).

The SVG has no style attributes (the Content Security Policy forbids them): colours are fill
attributes. Every colour has at least 3:1 contrast with white (WCAG 1.4.11), and the Essex map
numbers each area, so that colour is never the only way to tell areas apart.
"""

from collections import Counter, defaultdict
from dataclasses import dataclass

from django.core.cache import cache
from django.db.models import Count, F, Q
from django.db.models.functions import Coalesce
from django.utils.html import escape

from portal.cache import key as cache_key

from .models import District, Postcode, Team, Ward
from .places import GazetteerPlace, places_within

CELL_METRES = 1000
# Until the generation moves on (portal.cache); the bound only frees memory.
CACHE_SECONDS = 60 * 60 * 24

# GOV.UK Frontend colours, each at least 3:1 against white. Teams are numbered in name order;
# with the ten Essex teams this order gives neighbouring areas clearly different colours.
PALETTE = [
    "#1d70b8",  # blue
    "#00703c",  # green
    "#d4351c",  # red
    "#4c2c92",  # purple
    "#b1560f",  # dark orange
    "#912b88",  # bright purple
    "#505a5f",  # dark grey
    "#006f73",  # dark turquoise
    "#7c2855",  # maroon
    "#594d00",  # olive
]
OTHER_AREA = "#dbdad9"  # squares of other teams around a team's own area
LABEL_TEXT = "#0b0c0c"


@dataclass(frozen=True)
class MapFrame:
    """Where a team's map sits on the grid: the squares at its left and top edges (in km) and
    its size in squares. Layers drawn over the map (`draw_layer`) use it to put a point where
    the map has it."""

    left: int
    top: int
    width: int
    height: int

    def project(self, easting: int, northing: int) -> tuple[float, float] | None:
        """(x, y) in the drawing of a point in metres, or None if it falls outside."""
        x = easting / CELL_METRES - self.left
        y = self.top + 1 - northing / CELL_METRES
        if 0 <= x <= self.width and 0 <= y <= self.height:
            return x, y
        return None


@dataclass(frozen=True)
class MapPoint:
    """A place to mark on a map: what it is (a postcode, a venue's name) and where, in metres on
    the British National Grid."""

    label: str
    easting: int
    northing: int


@dataclass(frozen=True)
class TeamArea:
    number: int
    team_id: int
    name: str
    url: str
    colour: str
    cells: int


# Kept in the cache under the portal's generation: any change to a team, district or ward, and
# any postcode import, starts a new one (portal.cache).


def _cache_key(name: str) -> str:
    return cache_key("map", name)


# The data.


def count_cells() -> dict[tuple[int, int], int]:
    """{(column, row) in km: id of the team holding most postcodes there}, from one GROUP BY."""
    # Only the postcodes of the teams' districts and wards: all of Great Britain is loaded, and
    # grouping every one of its postcodes would take seconds.
    # (Lists of codes: PostgreSQL filters by a list twice as fast as by a subquery here.)
    districts = list(District.objects.filter(team__isnull=False).values_list("code", flat=True))
    wards = list(Ward.objects.filter(team__isnull=False).values_list("code", flat=True))
    policed = Q(district_id__in=districts) | Q(ward_id__in=wards)
    rows = (
        Postcode.objects.filter(policed, easting__gt=0, northing__gt=0)
        .annotate(
            column=F("easting") / CELL_METRES,
            row=F("northing") / CELL_METRES,
            team_id=Coalesce("ward__team_id", "district__team_id"),
        )
        .filter(team_id__isnull=False)
        .values("column", "row", "team_id")
        .annotate(postcodes=Count("pk"))
        .order_by()
    )
    counts: dict[tuple[int, int], Counter] = defaultdict(Counter)
    for row in rows:
        counts[(int(row["column"]), int(row["row"]))][row["team_id"]] += row["postcodes"]
    # Ties go to the lower team id, so the drawing is the same every time.
    return {
        cell: min(counter.items(), key=lambda item: (-item[1], item[0]))[0]
        for cell, counter in counts.items()
    }


def team_areas(cells: dict[tuple[int, int], int]) -> list[TeamArea]:
    sizes = Counter(cells.values())
    areas = []
    for number, team in enumerate(Team.objects.order_by("name"), start=1):
        areas.append(
            TeamArea(
                number=number,
                team_id=team.pk,
                name=team.name,
                url=team.get_absolute_url(),
                colour=PALETTE[(number - 1) % len(PALETTE)],
                cells=sizes.get(team.pk, 0),
            )
        )
    return areas


def _grid():
    key = _cache_key("grid")
    grid = cache.get(key)
    if grid is None:
        cells = count_cells()
        grid = {"cells": cells, "areas": team_areas(cells)}
        cache.set(key, grid, CACHE_SECONDS)
    return grid


# The drawings.


def _runs(cells: set[tuple[int, int]]) -> list[tuple[int, int, int]]:
    """Squares merged into horizontal runs (column, row, length): far fewer shapes to draw."""
    runs = []
    by_row: dict[int, list[int]] = defaultdict(list)
    for column, row in cells:
        by_row[row].append(column)
    for row, columns in by_row.items():
        columns.sort()
        start = previous = columns[0]
        for column in columns[1:]:
            if column != previous + 1:
                runs.append((start, row, previous - start + 1))
                start = column
            previous = column
        runs.append((start, row, previous - start + 1))
    return sorted(runs, key=lambda run: (-run[1], run[0]))


def _path(cells, left: int, top: int) -> str:
    """One SVG path for a set of squares; the grid's north is the drawing's top."""
    return "".join(
        f"M{column - left} {top - row}h{length}v1h-{length}z"
        for column, row, length in _runs(cells)
    )


def _label_cell(cells: set[tuple[int, int]]) -> tuple[int, int]:
    """The square nearest the middle of an area, where its number goes."""
    middle_x = sum(column for column, _ in cells) / len(cells)
    middle_y = sum(row for _, row in cells) / len(cells)
    return min(cells, key=lambda cell: (cell[0] - middle_x) ** 2 + (cell[1] - middle_y) ** 2)


def _bounds(cells, margin: int = 0) -> tuple[int, int, int, int]:
    columns = [column for column, _ in cells]
    rows = [row for _, row in cells]
    return min(columns) - margin, max(columns) + margin, min(rows) - margin, max(rows) + margin


def draw_essex(cells: dict[tuple[int, int], int], areas: list[TeamArea]) -> str:
    """The whole force area, each team's area in its colour, named, linking to its team.

    The map is hidden from assistive technology and its links are left out of the tab order:
    the numbered key beside it has the same links, as text.
    """
    if not cells:
        return ""
    left, right, bottom, top = _bounds(cells, margin=1)
    width, height = right - left + 1, top - bottom + 1
    by_team: dict[int, set] = defaultdict(set)
    for cell, team_id in cells.items():
        by_team[team_id].add(cell)
    parts = [
        f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {width} {height}" '
        f'aria-hidden="true" focusable="false">'
    ]
    for area in areas:
        team_cells = by_team.get(area.team_id)
        if team_cells:
            parts.append(
                f'<a href="{escape(area.url)}" tabindex="-1">'
                f"<title>{escape(area.name)}</title>"
                f'<path d="{_path(team_cells, left, top)}" fill="{area.colour}"/></a>'
            )
    # Names go on top of every area, and let clicks through to the area beneath.
    font = LABEL_PX * width / PHONE_MAP_PX
    parts.extend(_area_labels(areas, by_team, left, top, width, height, font))
    parts.append("</svg>")
    return "".join(parts)


def _name_lines(name: str) -> list[str]:
    """A long team name on two lines, before its "&": "Castle Point" / "& Rochford"."""
    if len(name) > 12 and " & " in name:
        first, second = name.split(" & ", 1)
        return [first, f"& {second}"]
    return [name]


def _overlaps(box, placed, gap: float) -> bool:
    return any(
        box[0] - gap < other[2]
        and other[0] - gap < box[2]
        and box[1] - gap < other[3]
        and other[1] - gap < box[3]
        for other in placed
    )


@dataclass(frozen=True)
class AreaName:
    """Where a team's name goes on the Essex map: its lines, their middle, the box they fill."""

    area: TeamArea
    lines: list[str]
    x: float
    y: float
    box: tuple[float, float, float, float]


def place_area_names(areas, by_team, left: int, top: int, width: int, height: int, font: float):
    """Each team's name near the middle of its area, nudged until no two names overlap.

    Smaller areas are placed first (they have fewer places to go). A name goes on the square of
    its area nearest the area's middle where it fits; failing that, on the nearest free place
    around it; failing that (never with the Essex teams), the area's number, as in the key, or
    nothing where even that does not fit (the list beside the map names every team).
    """
    line_height = font * 1.15
    placed: list[AreaName] = []
    for area in sorted(areas, key=lambda area: area.cells):
        team_cells = by_team.get(area.team_id)
        if not team_cells:
            continue
        middle_x = sum(column for column, _ in team_cells) / len(team_cells) - left + 0.5
        middle_y = top - sum(row for _, row in team_cells) / len(team_cells) + 0.5
        inside = sorted(
            ((column - left + 0.5, top - row + 0.5) for column, row in team_cells),
            key=lambda at: (at[0] - middle_x) ** 2 + (at[1] - middle_y) ** 2,
        )
        around = sorted(
            (
                (middle_x + dx, middle_y + dy)
                for dx in range(-width // 3, width // 3 + 1)
                for dy in range(-height // 3, height // 3 + 1)
            ),
            key=lambda at: (at[0] - middle_x) ** 2 + (at[1] - middle_y) ** 2,
        )
        for lines, spots in (
            (_name_lines(area.name), (*inside, *around)),
            ([str(area.number)], inside),
        ):
            # Bold Arial is about 0.6 of its size wide per character, on average, in names.
            half_w = max(len(line) for line in lines) * font * 0.31
            half_h = len(lines) * line_height / 2
            name = _first_free(spots, half_w, half_h, width, height, placed, font * 0.2)
            if name:
                x, y = name
                box = (x - half_w, y - half_h, x + half_w, y + half_h)
                placed.append(AreaName(area, lines, x, y, box))
                break
    return placed


def _first_free(spots, half_w, half_h, width, height, placed, gap):
    for x, y in spots:
        x = min(max(x, half_w), width - half_w)  # keep the name inside the map
        y = min(max(y, half_h), height - half_h)
        box = (x - half_w, y - half_h, x + half_w, y + half_h)
        if not _overlaps(box, [name.box for name in placed], gap):
            return x, y
    return None


def _area_labels(areas, by_team, left: int, top: int, width: int, height: int, font: float):
    line_height = font * 1.15
    labels = []
    for name in place_area_names(areas, by_team, left, top, width, height, font):
        first_y = name.y - (len(name.lines) - 1) * line_height / 2
        tspans = " ".join(  # a space between the lines, for their text as a whole
            f'<tspan x="{name.x:.2f}" y="{first_y + index * line_height:.2f}">{escape(line)}'
            "</tspan>"
            for index, line in enumerate(name.lines)
        )
        labels.append(
            f'<text class="app-map__area-name" font-size="{font:.2f}" font-weight="bold" '
            f'text-anchor="middle" dominant-baseline="central" fill="{LABEL_TEXT}" '
            f'stroke="#ffffff" stroke-width="{font * 0.25:.2f}" paint-order="stroke" '
            f'pointer-events="none">{tspans}</text>'
        )
    return labels


# Labels are sized for a phone: the map is about 360 px wide on a 390 px screen, and its
# labels must be at least 14 px there (wider screens draw them larger).
PHONE_MAP_PX = 360
LABEL_PX = 15
MAX_TOWN_LABELS = 8
SCALE_STEPS_KM = (1, 2, 5, 10, 20, 50)


def towns_in(own: set[tuple[int, int]]) -> list[GazetteerPlace]:
    """The towns and villages whose square is in `own`, most populous first."""
    left, right, bottom, top = _bounds(own)
    found = places_within(
        left * CELL_METRES,
        bottom * CELL_METRES,
        (right + 1) * CELL_METRES,
        (top + 1) * CELL_METRES,
    )
    return [
        place
        for place in found
        if (place.easting // CELL_METRES, place.northing // CELL_METRES) in own
    ]


def _town_labels(towns, left: int, top: int, width: int, font: float) -> list[str]:
    """A dot and a name for the biggest towns whose names do not overlap one another."""
    placed: list[tuple[float, float, float, float]] = []
    parts = []
    for town in towns:
        if len(placed) == MAX_TOWN_LABELS:
            break
        x = town.easting / CELL_METRES - left
        y = top + 1 - town.northing / CELL_METRES
        half = len(town.name) * font * 0.3  # about half the name's width in the site font
        anchor_x = min(max(x, half), width - half)  # keep the name inside the map
        box = (anchor_x - half, y - font * 1.4, anchor_x + half, y)
        if any(
            box[0] < other[2] and other[0] < box[2] and box[1] < other[3] and other[1] < box[3]
            for other in placed
        ):
            continue
        placed.append(box)
        parts.append(
            f'<circle cx="{x:.2f}" cy="{y:.2f}" r="{font * 0.22:.2f}" fill="{LABEL_TEXT}"/>'
            f'<text x="{anchor_x:.2f}" y="{y - font * 0.45:.2f}" font-size="{font:.2f}" '
            f'font-family="inherit" text-anchor="middle" fill="{LABEL_TEXT}" stroke="#ffffff" '
            f'stroke-width="{font * 0.25:.2f}" paint-order="stroke">{escape(town.name)}</text>'
        )
    return parts


def _scale_bar(width: int, height: int, font: float) -> str:
    """A bar about a quarter of the map's width, in whole kilometres, bottom left."""
    km = max((step for step in SCALE_STEPS_KM if step <= width / 4), default=1)
    x, y = 0.5, height - 0.6
    return (
        f'<rect x="{x - 0.3}" y="{y - font * 1.5:.2f}" width="{km + 0.6 + font * 2.6:.2f}" '
        f'height="{font * 1.5 + 0.4:.2f}" fill="#ffffff"/>'
        f'<path d="M{x} {y - 0.5}v0.5h{km}v-0.5" fill="none" stroke="{LABEL_TEXT}" '
        f'stroke-width="0.15"/>'
        f'<text x="{x + km + 0.3}" y="{y:.2f}" font-size="{font:.2f}" font-family="inherit" '
        f'fill="{LABEL_TEXT}">{km} km</text>'
    )


def team_frame(own: set[tuple[int, int]]) -> MapFrame:
    """The frame of a team's map: its squares and three more all round."""
    left, right, bottom, top = _bounds(own, margin=3)
    return MapFrame(left=left, top=top, width=right - left + 1, height=top - bottom + 1)


def draw_team(cells: dict[tuple[int, int], int], area: TeamArea, title_id: str) -> tuple[str, str]:
    """(the map, its labels): one team's area in its colour, among its neighbours' squares in
    grey; and, drawn apart to lie on top of every other layer (markers go between the two),
    its biggest towns named and a scale bar. ("", "") for a team without squares."""
    own = {cell for cell, team_id in cells.items() if team_id == area.team_id}
    if not own:
        return "", ""
    frame = team_frame(own)
    left, top, width, height = frame.left, frame.top, frame.width, frame.height
    right, bottom = left + width - 1, top - height + 1
    around = {
        cell
        for cell, team_id in cells.items()
        if team_id != area.team_id and left <= cell[0] <= right and bottom <= cell[1] <= top
    }
    font = LABEL_PX * width / PHONE_MAP_PX
    drawing = (
        f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {width} {height}" role="img" '
        f'aria-labelledby="{title_id}">'
        f'<title id="{title_id}">Map of the area {escape(area.name)} covers, in '
        f"{_colour_name(area.colour)}, among neighbouring teams' areas in grey</title>"
        + (f'<path d="{_path(around, left, top)}" fill="{OTHER_AREA}"/>' if around else "")
        + f'<path d="{_path(own, left, top)}" fill="{area.colour}"/></svg>'
    )
    # The towns are listed in words beside the map (team_map's "towns").
    labels = (
        f'<svg xmlns="http://www.w3.org/2000/svg" class="app-map__layer app-map__layer--labels" '
        f'viewBox="0 0 {width} {height}" aria-hidden="true" focusable="false" '
        f'pointer-events="none">'
        + "".join(_town_labels(towns_in(own), left, top, width, font))
        + _scale_bar(width, height, font)
        + "</svg>"
    )
    return drawing, labels


COLOUR_NAMES = dict(
    zip(
        PALETTE,
        [
            "blue",
            "green",
            "red",
            "purple",
            "orange",
            "purple",
            "grey",
            "turquoise",
            "maroon",
            "olive",
        ],
        strict=True,
    )
)


def _colour_name(colour: str) -> str:
    return COLOUR_NAMES.get(colour, "colour")


# What the views call.


def essex_map() -> dict:
    """{"svg": the drawing, "areas": [TeamArea]} for the list of teams; cached."""
    key = _cache_key("essex")
    drawn = cache.get(key)
    if drawn is None:
        grid = _grid()
        drawn = {"svg": draw_essex(grid["cells"], grid["areas"]), "areas": grid["areas"]}
        cache.set(key, drawn, CACHE_SECONDS)
    return drawn


def team_map(team: Team) -> dict | None:
    """{"svg": the drawing, "labels": the layer of its town names and scale bar, "area":
    TeamArea, "towns": names of the towns and villages in the area, A to Z, "frame": the
    MapFrame to draw layers over it} for one team's page, or None without postcodes."""
    key = _cache_key(f"team-framed{team.pk}")  # with its frame: not the last release's entry
    drawn = cache.get(key)
    if drawn is None:
        grid = _grid()
        area = next((area for area in grid["areas"] if area.team_id == team.pk), None)
        svg, labels = draw_team(grid["cells"], area, f"team-map-{team.pk}") if area else ("", "")
        own = {cell for cell, team_id in grid["cells"].items() if team_id == team.pk}
        drawn = {}
        if svg:
            towns = sorted(town.name for town in towns_in(own))
            drawn = {
                "svg": svg,
                "labels": labels,
                "area": area,
                "towns": towns,
                "frame": team_frame(own),
            }
        cache.set(key, drawn, CACHE_SECONDS)
    return drawn or None


# Layers over a team's map: what is not the same for as long as the map is (the venues of the
# next meetings) or not the same for everyone (where the resident is). Each is an SVG of the
# map's size, laid over it by CSS (.app-map__layer), so the map itself stays in the cache as
# it is.

MARKER_INK = "#0b0c0c"
HERE_FILL = "#ffdd00"  # GOV.UK's focus yellow: unlike any area's colour
VENUE_FILL = "#ffffff"


def _here_marker(x: float, y: float, px: float) -> str:
    """A yellow disc ringed in black with a black centre, 22 px across on a phone."""
    return (
        f'<circle cx="{x:.2f}" cy="{y:.2f}" r="{px * 9:.2f}" fill="{HERE_FILL}" '
        f'stroke="{MARKER_INK}" stroke-width="{px * 3:.2f}"/>'
        f'<circle cx="{x:.2f}" cy="{y:.2f}" r="{px * 3:.2f}" fill="{MARKER_INK}"/>'
    )


def _venue_marker(x: float, y: float, px: float) -> str:
    """A white square edged in black with a black centre, 18 px across on a phone."""
    side, inner = px * 15, px * 5
    return (
        f'<rect x="{x - side / 2:.2f}" y="{y - side / 2:.2f}" width="{side:.2f}" '
        f'height="{side:.2f}" fill="{VENUE_FILL}" stroke="{MARKER_INK}" '
        f'stroke-width="{px * 3:.2f}"/>'
        f'<rect x="{x - inner / 2:.2f}" y="{y - inner / 2:.2f}" width="{inner:.2f}" '
        f'height="{inner:.2f}" fill="{MARKER_INK}"/>'
    )


MARKERS = {"here": _here_marker, "venue": _venue_marker}


def draw_layer(frame: MapFrame, points: list[MapPoint], kind: str) -> str:
    """An SVG marking `points` ("here": where the resident is; "venue": a meeting place) to lay
    over the map of `frame`; "" when none falls inside it. Hidden from assistive technology: the
    page says in words what it marks."""
    px = frame.width / PHONE_MAP_PX  # one CSS pixel on a phone, in the drawing's units
    marks = []
    for point in points:
        at = frame.project(point.easting, point.northing)
        if at is not None:
            marks.append(MARKERS[kind](*at, px))
    if not marks:
        return ""
    return (
        f'<svg xmlns="http://www.w3.org/2000/svg" class="app-map__layer app-map__layer--{kind}" '
        f'viewBox="0 0 {frame.width} {frame.height}" aria-hidden="true" focusable="false" '
        f'pointer-events="none">{"".join(marks)}</svg>'
    )


def postcode_points(postcodes: dict[str, str]) -> list[MapPoint]:
    """{postcode: label} as points on the map, in one query; postcodes we do not have, or have
    without a position, are left out."""
    if not postcodes:
        return []
    found = Postcode.objects.filter(pk__in=postcodes, easting__gt=0, northing__gt=0).values_list(
        "postcode", "easting", "northing"
    )
    return [
        MapPoint(postcodes[postcode], easting, northing) for postcode, easting, northing in found
    ]
