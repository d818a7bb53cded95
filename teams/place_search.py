"""Searching places by name: towns and villages (the gazetteer, teams.places), each given
the team of its nearest postcode, or else council areas and wards whose names hold the text,
and "Did you mean" when nothing is called that."""

from __future__ import annotations

from itertools import islice

from .answers import Answer, Place
from .models import Ward
from .places import GazetteerPlace, gazetteer
from .routes import district_routes, kept_here, nearest_postcode_to, route, teams_by_slug

PLACE_RESULTS = 20


def _place_names() -> list[tuple[str, Place]]:
    """(name in lower case, Place) for every council area and ward that leads somewhere (a team
    or a neighbouring force), kept in this process with the routes: a few thousand names. In
    the order `search_places` lists them in after those named or starting with the text: Essex
    first, council areas before wards, then by name."""
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
        names.sort(
            key=lambda item: (item[1].team is None, item[1].description != "Council area", item[0])
        )
        kept_here["names"] = names
    return kept_here["names"]


GRAM = 3


def _name_grams() -> dict[str, list[int]]:
    """{three letters: the indexes in `_place_names` of the names holding them, in order},
    kept with the names."""
    if kept_here.get("names_grams") is None:
        grams: dict[str, list[int]] = {}
        for index, (name, _) in enumerate(_place_names()):
            for gram in {name[at : at + GRAM] for at in range(len(name) - GRAM + 1)}:
                grams.setdefault(gram, []).append(index)
        kept_here["names_grams"] = grams
    return kept_here["names_grams"]


def prepare_place_search() -> None:
    """Build what the place search keeps in this process before anyone searches: the towns and
    villages, the council and ward names and their index, and the postcodes' positions in and
    around Essex (teams.nearest), which give a town its team. Built by the first search that
    needs them otherwise: 0.5 s or more on all of Great Britain's postcodes, which that visitor,
    and everyone queued behind them, waits for."""
    from .nearest import positions

    gazetteer()
    _name_grams()
    positions()


def search_places(text: str) -> list[Place]:
    """Council areas and wards whose names contain `text`, best matches first.

    Only places with a team or a neighbouring force, so that every result leads somewhere.
    """
    lowered = text.casefold()
    names = _place_names()
    if not lowered:
        found = names
    elif len(lowered) < GRAM:
        found = [(name, place) for name, place in names if lowered in name]
    else:
        # A name holding the text holds each of its three-letter runs: only the names under
        # its rarest run are looked at (none at all when a run is in no name: most typos).
        grams = _name_grams()
        postings = [grams.get(lowered[at : at + GRAM], ()) for at in range(len(lowered) - 2)]
        rarest = min(postings, key=len)
        found = [names[index] for index in rarest if lowered in names[index][0]]

    # The names equal to the text, then those starting with it, then the rest, each in the
    # order of `names`: no more of the rest than are shown ("west" is in 500 ward names).
    ranked = [place for name, place in found if name == lowered]
    ranked += [place for name, place in found if name != lowered and name.startswith(lowered)]
    rest = (place for name, place in found if not name.startswith(lowered))
    return ranked[:PLACE_RESULTS] + list(islice(rest, max(0, PLACE_RESULTS - len(ranked))))


def town(place: GazetteerPlace) -> Place | None:
    """A town or village as the finder lists it, with the team of its nearest postcode or else
    its council and force; None when no postcode near it has a council. Kept in this process
    with the routes, so that its item in the list is drawn once (`Place.html`)."""
    district_routes()  # what is kept here starts again with the routes (and so after an import)
    kept = kept_here["nearest"]
    if place not in kept:
        postcode = place.postcode or nearest_postcode_to(place.easting, place.northing)
        routed = route(postcode) if postcode else None
        if routed is None:
            kept[place] = None
        else:
            slug, district = routed
            description = f"Town or village in {district.name}"
            kept[place] = Place(place.name, description, teams_by_slug().get(slug), district)
    return kept[place]


def answer_place(text: str, shown: str) -> Answer:
    """Towns and villages called `text` (or else council areas and wards whose names hold it),
    each with its team or its council and force; "Did you mean" when nothing is called that."""
    towns = (town(place) for place in gazetteer().find(text)[:PLACE_RESULTS])
    places = [place for place in towns if place is not None]
    if not places:  # no town or village of that name: council areas and wards
        places = search_places(text)
    places.sort(key=lambda place: place.team is None)  # Essex first, otherwise as found
    places = places[:PLACE_RESULTS]
    suggestions = [] if places else gazetteer().suggest(text)
    return Answer("places", query=shown, places=places, suggestions=suggestions)
