"""What the finder says about a query: the `Answer` the finder page shows, with the teams
covering an outward code (`Coverage`) or the places matching a name (`Place`)."""

from __future__ import annotations

from dataclasses import dataclass, field
from functools import cached_property
from urllib.parse import quote

from django.template.loader import render_to_string
from django.urls import reverse

from .models import District, NeighbouringForce, Team


@dataclass
class Coverage:
    """A team (or a neighbouring council area) and how much of an outward code or sector."""

    postcodes: int
    share: int  # per cent, rounded
    team: Team | None = None
    district: District | None = None


@dataclass
class Place:
    """A district or ward that matched a place search, and who polices it."""

    name: str
    description: str  # "Council area" or "Ward in Chelmsford"
    team: Team | None
    district: District | None  # the council area, for places outside Essex

    @cached_property
    def html(self) -> str:
        """Its item in the finder's list of places: drawn once for each place the finder keeps
        (council areas and wards, with the routes of one generation), as it shows nothing of
        anyone's request."""
        return render_to_string("teams/includes/place.html", {"place": self})


@dataclass
class Answer:
    """What the finder has to say about a query. `kind` picks the template's section."""

    # "empty", "invalid", "team", "outside", "unknown", "area", "places", or "elsewhere" (a
    # postcode of Northern Ireland, the Channel Islands, the Isle of Man or BFPO)
    kind: str
    query: str = ""
    postcode: str = ""
    team_slug: str = ""
    district: District | None = None
    error: str = ""
    coverage: list[Coverage] = field(default_factory=list)
    places: list[Place] = field(default_factory=list)
    suggestions: list[str] = field(default_factory=list)  # "Did you mean" for a place
    where: str = ""  # "elsewhere": Northern Ireland, Guernsey...
    force: NeighbouringForce | None = None  # "elsewhere": the force to contact, if any

    @property
    def redirect_url(self) -> str | None:
        """The team page to go straight to, if there is exactly one answer."""
        if self.kind == "team":
            # The team's page says "Your team for CM1 1AA".
            url = reverse("teams:detail", kwargs={"slug": self.team_slug})
            return f"{url}?postcode={quote(self.postcode)}"
        if self.kind == "area" and len(self.coverage) == 1 and self.coverage[0].team:
            return self.coverage[0].team.get_absolute_url()
        if self.kind == "places" and self.places:
            teams = {place.team for place in self.places}
            if len(teams) == 1 and None not in teams:
                return teams.pop().get_absolute_url()
        return None

    @property
    def outside(self) -> bool:
        """An outward code or sector none of whose postcodes an Essex team covers."""
        return (
            self.kind == "area"
            and bool(self.coverage)
            and not any(item.team for item in self.coverage)
        )

    @property
    def answered(self) -> bool:
        """False when the finder had nothing at all to say (kept for staff, teams.unanswered)."""
        if self.kind in {"unknown", "area"}:
            return bool(self.coverage)
        if self.kind == "places":
            return bool(self.places)
        return self.kind != "invalid"
