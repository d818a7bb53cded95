"""Where teams are: their areas drawn from postcode data, in latitude and longitude.

A team's area is the union of the 1 km squares of the British National Grid in which it polices
most postcodes: the same squares as the map on the list of teams (`teams.maps.count_cells`), so
the open data and the map agree. It is approximate by up to about a kilometre at every edge: a
square shared with another team goes wholly to the one with more postcodes in it, and squares
without postcodes (fields, estuaries) are left out unless surrounded. The outline is simplified
to within 100 m of the squares before it is published.
"""

import functools
from collections import defaultdict

from shapely import MultiPolygon, Polygon, box, unary_union
from shapely.geometry.polygon import orient

from teams.maps import CELL_METRES, count_cells

SIMPLIFY_METRES = 100
DECIMALS = 6  # about 10 cm, finer than the data


@functools.cache
def _to_wgs84():
    from pyproj import Transformer

    return Transformer.from_crs("EPSG:27700", "EPSG:4326", always_xy=True)


def to_wgs84(easting: float, northing: float) -> tuple[float, float]:
    """(latitude, longitude) of a point on the British National Grid."""
    longitude, latitude = _to_wgs84().transform(easting, northing)
    return round(latitude, DECIMALS), round(longitude, DECIMALS)


def _ring(coordinates) -> list[list[float]]:
    """A ring of grid points as GeoJSON positions ([longitude, latitude])."""
    return [list(reversed(to_wgs84(x, y))) for x, y in coordinates]


def _as_multipolygon(shape) -> MultiPolygon:
    if isinstance(shape, Polygon):
        return MultiPolygon([shape])
    if isinstance(shape, MultiPolygon):
        return shape
    return MultiPolygon([part for part in getattr(shape, "geoms", []) if part.area])


def team_areas() -> dict[int, dict]:
    """{team id: {"polygons": GeoJSON MultiPolygon coordinates, "centre": (lat, lng)}} for every
    team that polices at least one postcode with a position."""
    squares = defaultdict(list)
    for (column, row), team_id in count_cells().items():
        x, y = column * CELL_METRES, row * CELL_METRES
        squares[team_id].append(box(x, y, x + CELL_METRES, y + CELL_METRES))
    areas = {}
    for team_id, cells in squares.items():
        merged = unary_union(cells)
        shape = _as_multipolygon(merged.simplify(SIMPLIFY_METRES, preserve_topology=True))
        # Largest first: police.uk's boundary has one outline, and gets this one.
        # Outlines anticlockwise, holes clockwise, as GeoJSON (RFC 7946) asks.
        parts = [orient(part) for part in sorted(shape.geoms, key=lambda part: -part.area)]
        centre = merged.point_on_surface()  # inside the area, unlike a centroid
        areas[team_id] = {
            "polygons": [
                [_ring(part.exterior.coords), *(_ring(hole.coords) for hole in part.interiors)]
                for part in parts
            ],
            "centre": to_wgs84(centre.x, centre.y),
        }
    return areas
