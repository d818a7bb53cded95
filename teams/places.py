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

NOT_LETTERS_RE = re.compile(r"[^a-z0-9]+")
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
    if not text.isascii():  # 'é' is 'e' and a combining accent once decomposed: left out
        text = unicodedata.normalize("NFKD", text)
        text = "".join(c for c in text if not unicodedata.combining(c))
    text = text.casefold().replace("&", " and ").replace("'", "").replace("’", "")
    text = NOT_LETTERS_RE.sub(" ", text).strip()
    return f"st {text[6:]}" if text.startswith("saint ") else text


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
        # Shortest first: the keys of one length are a run of indexes (`spans`: {length: (first,
        # last + 1)}), and `_keys_near` returns the keys it finds in this order, so that among
        # equal scores `suggest` keeps the same ones.
        self.keys = sorted(self.by_key, key=len)
        self.spans: dict[int, tuple[int, int]] = {}
        # {two neighbouring characters: a number whose bit i is set when keys[i] holds them}: the
        # keys that could come close to a misspelt one are counted from these (`_keys_near`).
        pair_bytes: dict[str, bytearray] = {}
        for index, key in enumerate(self.keys):
            for pair in {key[at : at + 2] for at in range(len(key) - 1)}:
                if pair not in pair_bytes:
                    pair_bytes[pair] = bytearray(len(self.keys) // 8 + 1)
                pair_bytes[pair][index // 8] |= 1 << index % 8
            first, _ = self.spans.get(len(key), (index, index))
            self.spans[len(key)] = (first, index + 1)
        self.pair_bits = {pair: int.from_bytes(held, "little") for pair, held in pair_bytes.items()}
        # {key: the name of the most populous place it answers to, and its population}.
        self.best: dict[str, tuple[str, int]] = {}
        for key, found in self.by_key.items():
            place = max(found, key=lambda p: p.population)
            self.best[key] = (place.name, place.population)
        # {length typed: what `_keys_near` needs for it}, for every length any key could match.
        self.near_lengths = {
            n: found
            for n in range(1, max(self.spans, default=0) * 3 // 2 + 2)
            if (found := self._near_lengths(n))
        }

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
        # Best score first; among equals, the place more people live in.
        ranked = sorted(matches, key=lambda match: (-round(match[1]), -self.best[match[0]][1]))
        names: list[str] = []
        for match_text, _, _ in ranked:
            name = self.best[match_text][0]
            if name not in names:
                names.append(name)
        return names[:SUGGESTIONS]

    def _keys_near(self, key: str) -> list[str]:
        """The keys that could score SUGGESTION_SCORE against `key`, in their order in `keys`:
        a few dozen for a misspelt town, of 5,700. Each comparison is in C, but leaving out the
        rest costs less still.

        fuzz.ratio is 200 * common / (n + m), n and m the two lengths and common the length of
        their longest common subsequence, which is at most the shorter length. So a key of
        length m can reach the cutoff only if `need` = the least whole common with 200 *
        common / (n + m) >= SUGGESTION_SCORE is at most min(n, m), which bounds m (two thirds
        to one and a half times n at 80).

        And of `key`'s n - 1 pairs of neighbouring characters, the pairs whose two characters
        are both in the common subsequence and neighbours in the other key too are pairs the
        other key holds. Each character of `key` left out of the subsequence spoils at most
        two pairs, each one of the other key's at most one (the gap it sits in), so the other
        key holds at least `least` = 3 * need - n - m - 1 of the n - 1.

        How many each key holds is counted for every key at once, in binary: one number per
        binary digit of the counts, bit i for keys[first + i], added up from `pair_bits`, then
        compared with each key's `least`, written the same way (`near_lengths`). A few dozen
        operations on numbers of a few thousand bits, each in C."""
        if len(key) not in self.near_lengths:
            return []
        first, near, least = self.near_lengths[len(key)]
        counts: list[int] = []  # counts[d]: the keys whose count has binary digit d set
        for at in range(len(key) - 1):
            carry = self.pair_bits.get(key[at : at + 2], 0) >> first
            for d, digit in enumerate(counts):
                if not carry:
                    break
                counts[d], carry = digit ^ carry, digit & carry
            else:
                if carry:
                    counts.append(carry)
        # From the highest binary digit down, as on paper: the keys whose count is above their
        # `least`, and those level with it so far (at first every key of a length that could).
        above, level = 0, near
        for d in reversed(range(max(len(counts), len(least)))):
            count = counts[d] if d < len(counts) else 0
            bound = least[d] if d < len(least) else 0
            above |= level & count & ~bound
            level &= ~(count ^ bound)
        found, bits, index = [], above | level, first - 1
        while bits:  # lowest bit first: in the order of `keys`
            lowest = (bits & -bits).bit_length()
            index += lowest
            found.append(self.keys[index])
            bits >>= lowest
        return found

    def _near_lengths(self, n: int) -> tuple[int, int, list[int]] | None:
        """For a key of n characters (`_keys_near`): the index in `keys` of the first key of a
        length that could come close, a number whose bit i is set when keys[first + i] is of
        such a length, and each of those keys' `least`, one number per binary digit."""
        lengths = [
            (m, 3 * need - n - m - 1)
            for m in range(max(1, 2 * n // 3), 3 * n // 2 + 2)
            if m in self.spans and (need := -(-SUGGESTION_SCORE * (n + m) // 200)) <= min(n, m)
        ]
        if not lengths:
            return None
        first = self.spans[lengths[0][0]][0]
        near, digits = 0, []
        for m, least in lengths:
            start, end = self.spans[m]
            run = ((1 << (end - start)) - 1) << (start - first)
            near |= run
            for d in range(max(least, 0).bit_length()):
                if d == len(digits):
                    digits.append(0)
                if least >> d & 1:
                    digits[d] |= run
        return first, near, digits

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
