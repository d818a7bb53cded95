"""data.police.uk's shapes as Django Ninja schemas: field names and types as police.uk documents
them (strings for coordinates, hyphens in priorities' dates, null where it sends null), plus the
few fields this portal adds, each marked "Added by this portal"."""

from typing import Literal

from ninja import Field, Schema


class Force(Schema):
    id: str
    name: str


class EngagementMethod(Schema):
    type: str
    title: str
    description: str | None
    url: str


class ForceDetail(Force):
    description: str | None
    url: str
    telephone: str
    engagement_methods: list[EngagementMethod]


class Person(Schema):
    name: str
    rank: str
    bio: str | None
    contact_details: dict[str, str]


class Neighbourhood(Schema):
    id: str
    name: str


class Point(Schema):
    latitude: str | None
    longitude: str | None


class Link(Schema):
    url: str
    title: str
    description: str | None


class Location(Schema):
    name: str
    type: str
    description: str | None
    address: str
    postcode: str
    latitude: str | None
    longitude: str | None


class NeighbourhoodDetail(Neighbourhood):
    description: str | None
    url_force: str
    population: str
    welcome_message: str | None
    contact_details: dict[str, str]
    centre: Point
    links: list[Link]
    locations: list[Location]


class Event(Schema):
    title: str
    type: str
    description: str | None
    address: str
    start_date: str = Field(description="UK local time, without an offset, as police.uk sends")
    end_date: str
    contact_details: dict[str, str]
    status: Literal["scheduled", "cancelled", "moved"] = Field(
        description="Added by this portal: cancelled meetings are listed only with ?status=all"
    )
    status_reason: str | None = Field(description="Added by this portal: why it was cancelled")
    url: str = Field(description="Added by this portal: the meeting's page")
    calendar: str = Field(description="Added by this portal: the team's calendar (.ics)")


class Priority(Schema):
    issue: str
    issue_date: str = Field(alias="issue-date")
    action: str | None
    action_date: str | None = Field(alias="action-date")
    status: Literal["raised", "in-progress", "closed"] = Field(
        description="Added by this portal: the priority's stage (raised, what the team is "
        "doing, outcome); police.uk lists the raised and in-progress ones"
    )
    outcome: str | None = Field(description="Added by this portal: what came of it, once closed")
    outcome_date: str | None = Field(
        alias="outcome-date", description="Added by this portal: when it was dealt with"
    )


class Geometry(Schema):
    type: Literal["MultiPolygon"]
    coordinates: list[list[list[list[float]]]]


class AreaProperties(Schema):
    id: str
    name: str
    url: str
    approximate: bool
    method: str


class Feature(Schema):
    type: Literal["Feature"]
    geometry: Geometry
    properties: AreaProperties


class Located(Schema):
    force: str
    neighbourhood: str


class Problem(Schema):
    detail: str
