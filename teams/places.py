"""The towns and villages of Great Britain by name: the finder's place search and the maps' labels.

The names and positions come from GeoNames (cities500: every place of 500 people or more,
CC BY 4.0), cut to England, Wales and Scotland by `make places` into data/places_gb.csv; see
data/README.md. A few Essex places GeoNames lacks are in data/place_aliases.csv, each placed
at a postcode inside it. Every place is given to a team through the postcode nearest to it
(teams.place_search), so a place and the postcodes around it never disagree.

The list is the same for everyone and changes only with a new release of the portal, so each
process reads it once (about 6,000 names, under 2 MB).
"""

from __future__ import annotations

import csv
import functools
import re
import unicodedata
from dataclasses import dataclass
from pathlib import Path

from django.conf import settings

PLACES_CSV = "data/places_gb.csv"
ALIASES_CSV = "data/place_aliases.csv"
ATTRIBUTION = "Place names: GeoNames (geonames.org), CC BY 4.0"
SUGGESTIONS = 5
SUGGESTION_SCORE = 80  # rapidfuzz ratio, 0-100: below this a "Did you mean" misleads
# Names of a close length are all compared (in C, about 40 ns each) when there are at most this
# many times the length typed for each length (leaving most out by their letter pairs takes
# Python about half a microsecond a letter for each length): long names, and the few of them.
FEW_KEYS_PER_LETTER = 15

# The part after the name proper: "Clacton-on-Sea" is Clacton to most people who live there.
QUALIFIER_RE = re.compile(r"^(.+?) (?:on|upon|le|by|in|under|next|juxta) (?:the |sea )?\w+$")


@dataclass(frozen=True)
class GazetteerPlace:
    """A town or village: its name, its position (metres on the British National Grid, or the
    postcode it is placed at, for the aliases) and its population (0 when not known)."""

    name: str
    easting: int | None = None
    northing: int | None = None
    population: int = 0
    postcode: str | None = None


def match_key(text: str) -> str:
    """What names are compared by: 'Leigh-on-Sea', 'LEIGH ON SEA', 'leigh on sea ' -> 'leigh on
    sea'; 'St. Osyth', 'Saint Osyth' -> 'st osyth'; accents dropped."""
    text = unicodedata.normalize("NFKD", text)
    text = "".join(c for c in text if not unicodedata.combining(c)).casefold()
    text = text.replace("&", " and ").replace("'", "").replace("’", "")
    text = re.sub(r"[^a-z0-9]+", " ", text).strip()
    return re.sub(r"^saint ", "st ", text)


def short_key(key: str) -> str | None:
    """'clacton on sea' -> 'clacton', 'stanford le hope' -> 'stanford'; None if no qualifier."""
    match = QUALIFIER_RE.match(key)
    return match[1] if match else None


class Gazetteer:
    """Places by every key they answer to: the name, GeoNames' other names made of its own
    words ("Benfleet"), and the name without its qualifier ("Clacton")."""

    def __init__(self, places: list[tuple[GazetteerPlace, list[str]]]):
        self.places = [place for place, _ in places]
        self.by_key: dict[str, list[GazetteerPlace]] = {}
        for place, other_names in places:
            keys = {match_key(place.name)}
            keys.update(match_key(name) for name in other_names)
            keys.update(short for key in list(keys) if (short := short_key(key)))
            for key in keys:
                if key:
                    self.by_key.setdefault(key, []).append(place)
        # Shortest first: only the keys of a length that could come close are compared
        # (`_keys_near`), found by bisection.
        self.keys = sorted(self.by_key, key=len)
        self.key_lengths = [len(key) for key in self.keys]
        # {length: {two neighbouring characters: the indexes in `keys` of the keys of that
        # length holding them}} and {length: (first, last + 1) index of the keys of that
        # length}: the few keys `_keys_near` compares are found from these.
        self.pairs: dict[int, dict[str, list[int]]] = {}
        self.spans: dict[int, tuple[int, int]] = {}
        for index, key in enumerate(self.keys):
            pairs = self.pairs.setdefault(len(key), {})
            for pair in {key[at : at + 2] for at in range(len(key) - 1)}:
                pairs.setdefault(pair, []).append(index)
            first, _ = self.spans.get(len(key), (index, index))
            self.spans[len(key)] = (first, index + 1)

    def find(self, text: str) -> list[GazetteerPlace]:
        """The places called `text`, however it is written; the most populous first."""
        found = self.by_key.get(match_key(text), [])
        return sorted(set(found), key=lambda place: (-place.population, place.name))

    def suggest(self, text: str) -> list[str]:
        """Names close to a misspelt one ("Chelmsfrd" -> ["Chelmsford"]), best first."""
        from rapidfuzz import fuzz, process

        key = match_key(text)
        if len(key) < 3:
            return []
        # The keys are already normalised: plain edit-distance ratio, no processing per call.
        matches = process.extract(
            key,
            self._keys_near(key),
            scorer=fuzz.ratio,
            limit=SUGGESTIONS * 3,
            score_cutoff=SUGGESTION_SCORE,
        )
        names: list[str] = []
        # Best score first; among equals, the place more people live in.
        ranked = sorted(
            matches,
            key=lambda match: (-round(match[1]), -max(p.population for p in self.by_key[match[0]])),
        )
        for match_text, _, _ in ranked:
            name = max(self.by_key[match_text], key=lambda p: p.population).name
            if name not in names:
                names.append(name)
        return names[:SUGGESTIONS]

    def _keys_near(self, key: str) -> list[str]:
        """The keys that could score SUGGESTION_SCORE against `key`, in their order in `keys`
        (so that among equal scores `suggest` keeps the same ones): about a tenth of the keys
        for a misspelt town. Each comparison is in C, but leaving out the rest costs less still.

        fuzz.ratio is 200 * common / (n + m), n and m the two lengths and common the length of
        their longest common subsequence, which is at most the shorter length. So a key of
        length m can reach the cutoff only if `need` = the least whole common with 200 *
        common / (n + m) >= SUGGESTION_SCORE is at most min(n, m), which bounds m (two thirds
        to one and a half times n at 80).

        And of `key`'s n - 1 pairs of neighbouring characters, the pairs whose two characters
        are both in the common subsequence and neighbours in the other key too are pairs the
        other key holds. Each character of `key` left out of the subsequence spoils at most
        two pairs, each one of the other key's at most one (the gap it sits in), so the other
        key holds at least `least` = 3 * need - n - m - 1 of the n - 1. Then it holds one of
        any n - least of them: the keys of length m compared are those holding one of the
        n - least pairs fewest keys of length m hold (all of them when `least` is 0 or less).
        Where the keys of a close length are few for the length typed (FEW_KEYS_PER_LETTER), all
        of them are compared instead."""
        n = len(key)
        lengths = [
            m
            for m in range(max(1, 2 * n // 3), 3 * n // 2 + 2)
            if m in self.spans and -(-SUGGESTION_SCORE * (n + m) // 200) <= min(n, m)
        ]
        if not lengths:
            return []
        first, last = self.spans[lengths[0]][0], self.spans[lengths[-1]][1]
        if last - first <= FEW_KEYS_PER_LETTER * n * len(lengths):
            return self.keys[first:last]
        pairs = [key[at : at + 2] for at in range(n - 1)]
        near: list[int] = []
        for m in lengths:
            need = -(-SUGGESTION_SCORE * (n + m) // 200)  # ceiling
            least = 3 * need - n - m - 1
            if least <= 0:
                near.extend(range(*self.spans[m]))
                continue
            held = self.pairs[m]
            rarest = sorted([held.get(pair, ()) for pair in pairs], key=len)[: n - least]
            near.extend(sorted(set().union(*rarest)))
        return list(map(self.keys.__getitem__, near))

    def within(
        self, west: int, south: int, east: int, north: int, *, min_population: int = 0
    ) -> list[GazetteerPlace]:
        """The places inside a box on the British National Grid, most populous first (for
        labelling a map). Aliases have no position of their own and are left out."""
        inside = [
            place
            for place in self.places
            if place.easting is not None
            and west <= place.easting <= east
            and south <= place.northing <= north
            and place.population >= min_population
        ]
        return sorted(inside, key=lambda place: (-place.population, place.name))


def _read(path: Path) -> list[dict[str, str]]:
    with path.open(newline="", encoding="utf-8") as source:
        return list(csv.DictReader(source))


@functools.cache
def gazetteer() -> Gazetteer:
    """The shipped places and aliases, read once per process."""
    places = [
        (
            GazetteerPlace(
                name=row["name"],
                easting=int(row["easting"]),
                northing=int(row["northing"]),
                population=int(row["population"] or 0),
            ),
            [name for name in row["other_names"].split("|") if name],
        )
        for row in _read(settings.BASE_DIR / PLACES_CSV)
    ]
    places += [
        (GazetteerPlace(name=row["name"], postcode=row["postcode"]), [])
        for row in _read(settings.BASE_DIR / ALIASES_CSV)
    ]
    return Gazetteer(places)


def places_within(
    west: int, south: int, east: int, north: int, *, min_population: int = 0
) -> list[GazetteerPlace]:
    """Towns and villages inside a box on the British National Grid, most populous first: what
    a map of a team's area labels its towns with."""
    return gazetteer().within(west, south, east, north, min_population=min_population)
