"""Searching places by name: towns and villages (the gazetteer, teams.places), each given
the team of its nearest postcode, or else council areas and wards whose names hold the text,
and "Did you mean" when nothing is called that."""

from __future__ import annotations

import bisect

from .answers import Answer, Place
from .models import District, Ward
from .places import GazetteerPlace, gazetteer
from .routes import district_routes, kept_here, nearest_postcode_to, route, teams_by_slug

PLACE_RESULTS = 20


def _place_names() -> list[tuple[str, Place]]:
    """(name in lower case, Place) for every council area and ward that leads somewhere (a team
    or a neighbouring force), kept in this process with the routes: a few thousand names."""
    districts, _ = district_routes()
    if kept_here.get("names") is None:
        teams = {team.pk: team for team in teams_by_slug().values()}
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
        kept_here["names"] = names
    return kept_here["names"]


def search_places(text: str) -> list[Place]:
    """Council areas and wards whose names contain `text`, best matches first.

    Only places with a team or a neighbouring force, so that every result leads somewhere.
    """
    lowered = text.casefold()
    names = _place_names()
    # All the names in one string, searched in one pass; only the matches are looked at one
    # by one (a loop over every name costs more than the rest of the answer).
    if kept_here.get("names_text") is None:
        starts, position = [], 0
        for name, _ in names:
            starts.append(position)
            position += len(name) + 1
        kept_here["names_text"] = ("\n".join(name for name, _ in names), starts)
    joined, starts = kept_here["names_text"]
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
    district_routes()  # what is kept here starts again with the routes (and so after an import)
    kept = kept_here["nearest"]
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
    teams = teams_by_slug()
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
