"""The portal's teams, officers, meetings and priorities in data.police.uk's shapes.

Each function returns plain data (lists and dicts, with police.uk's field names, which
`api.schemas` checks and documents) for one endpoint, from the teams and meetings the public may
see.
`absolute` turns a path into a full address on the host the request came to.
"""

import datetime
from collections.abc import Callable

from django.db.models import Prefetch
from django.urls import reverse
from django.utils import timezone

from meetings.models import Meeting
from portal.text import markdown_html
from teams.models import Officer, Postcode, Priority, Team
from teams.presenters import officers_by_rank
from teams.routes import route_at

from . import geography

FORCE_ID = "essex"
FORCE = {
    "id": FORCE_ID,
    "name": "Essex Police",
    "description": (
        "<p>Essex Police's Community Policing Teams: the officers, PCSOs and Special "
        "Constables who police each part of the county, what they are working on and when "
        "they meet residents.</p>"
    ),
    "url": "https://www.essex.police.uk/",
    "telephone": "101",
}
ENGAGEMENT_METHODS = [
    ("facebook", "Facebook", "https://www.facebook.com/essexpoliceuk"),
    ("twitter", "X (Twitter)", "https://x.com/essex_police"),
]
EVENT_TYPE = "meeting"  # police.uk's type for a public meeting
LOCAL_DATETIME = "%Y-%m-%dT%H:%M:%S"  # UK local time without an offset, as police.uk sends

Absolute = Callable[[str], str]


def local_datetime(moment: datetime.datetime) -> str:
    return timezone.localtime(moment).strftime(LOCAL_DATETIME)


def police_uk_date(day: datetime.date | None) -> str | None:
    """A date as police.uk sends one: midnight, no offset ("2026-09-01T00:00:00")."""
    return f"{day.isoformat()}T00:00:00" if day else None


def _text(value: str) -> str | None:
    return value or None


def forces() -> list[dict]:
    return [{"id": FORCE["id"], "name": FORCE["name"]}]


def force(absolute: Absolute) -> dict:
    methods = [
        {"type": kind, "title": title, "description": None, "url": url}
        for kind, title, url in ENGAGEMENT_METHODS
    ]
    methods.append(
        {
            "type": "web",
            "title": "Find your Community Policing Team",
            "description": "<p>Type a postcode to find the team that polices it.</p>",
            "url": absolute(reverse("teams:find")),
        }
    )
    return {**FORCE, "engagement_methods": methods}


def _person(officer: Officer) -> dict:
    return {
        "name": officer.name,
        "rank": officer.get_rank_display(),
        "bio": _text(markdown_html(officer.bio)),
        "contact_details": {},
    }


def senior_officers() -> list[dict]:
    """The Chief Inspectors, then each team's Inspector in command: the portal keeps no chief
    officers, and these are the most senior officers residents deal with."""
    chiefs = Officer.objects.filter(active=True, rank=Officer.Rank.CHIEF_INSPECTOR)
    inspectors = Officer.objects.filter(
        active=True, pk__in=Team.objects.filter(inspector__isnull=False).values("inspector")
    ).exclude(rank=Officer.Rank.CHIEF_INSPECTOR)
    return [_person(officer) for officer in [*chiefs, *inspectors.order_by("team__name")]]


def neighbourhoods() -> list[dict]:
    return [{"id": slug, "name": name} for slug, name in Team.objects.values_list("slug", "name")]


def contact_details(team: Team, absolute: Absolute) -> dict[str, str]:
    """Police.uk's keys, only those the team has."""
    details = {
        "email": team.email,
        "telephone": team.phone,
        "web": absolute(team.get_absolute_url()),
        "facebook": team.facebook_url,
        "twitter": team.x_url,
        "rss": absolute(reverse("meetings:team-feed", kwargs={"slug": team.slug})),
    }
    return {key: value for key, value in details.items() if value}


def _postcode_positions(postcodes: set[str]) -> dict[str, tuple[float, float]]:
    rows = Postcode.objects.filter(postcode__in=postcodes, quality__lt=90).values_list(
        "postcode", "easting", "northing"
    )
    return {code: geography.to_wgs84(easting, northing) for code, easting, northing in rows}


def _coordinate(value: float | None) -> str | None:
    return None if value is None else f"{value:.6f}"


def neighbourhood(team: Team, *, area: dict | None, absolute: Absolute) -> dict:
    """The team with its partnerships (links) and meeting places (locations); `area` from
    `geography.team_areas`."""
    schedules = [schedule for schedule in team.meeting_schedules.all() if schedule.active]
    positions = _postcode_positions({schedule.postcode for schedule in schedules})
    venues = {}
    for schedule in schedules:
        latitude, longitude = positions.get(schedule.postcode, (None, None))
        venues.setdefault(
            (schedule.venue_name, schedule.postcode),
            {
                "name": schedule.venue_name,
                "type": "meeting-place",
                "description": _text(schedule.description),
                "address": ", ".join(schedule.address_lines),
                "postcode": schedule.postcode,
                "latitude": _coordinate(latitude),
                "longitude": _coordinate(longitude),
            },
        )
    partnerships = {
        district.partnership.pk: district.partnership
        for district in team.districts.all()
        if district.partnership and district.partnership.website
    }
    centre = area["centre"] if area else (None, None)
    return {
        "id": team.slug,
        "name": team.name,
        "description": _text(markdown_html(team.description)),
        "url_force": absolute(team.get_absolute_url()),
        "population": "0",  # police.uk's "not known"
        "welcome_message": _text(team.summary),
        "contact_details": contact_details(team, absolute),
        "centre": {"latitude": _coordinate(centre[0]), "longitude": _coordinate(centre[1])},
        "links": [
            {"url": partnership.website, "title": partnership.name, "description": None}
            for partnership in sorted(partnerships.values(), key=lambda p: p.name)
        ],
        "locations": list(venues.values()),
    }


NEIGHBOURHOOD_RELATED = ("meeting_schedules", "districts__partnership")


def people(team: Team) -> list[dict]:
    """Active officers, the Inspector in command first, then by seniority as on the team page."""
    inspector, groups = officers_by_rank(team)
    officers = ([inspector] if inspector else []) + [o for g in groups for o in g.officers]
    return [_person(officer) for officer in officers]


PEOPLE_RELATED = (Prefetch("officers", queryset=Officer.objects.filter(active=True)),)


def events(team: Team, *, include_cancelled: bool, absolute: Absolute) -> list[dict]:
    meetings = Meeting.objects.for_team(team).upcoming()
    if not include_cancelled:
        meetings = meetings.exclude(status=Meeting.Status.CANCELLED)
    calendar = absolute(reverse("meetings:team-calendar", kwargs={"slug": team.slug}))
    contact = {
        key: value for key, value in {"email": team.email, "telephone": team.phone}.items() if value
    }
    return [
        {
            "title": meeting.title,
            "type": EVENT_TYPE,
            "description": _text(markdown_html(meeting.agenda)),
            "address": meeting.location,
            "start_date": local_datetime(meeting.start),
            "end_date": local_datetime(meeting.end),
            "contact_details": contact,
            "status": meeting.status,
            "status_reason": _text(meeting.status_reason),
            "url": absolute(meeting.get_absolute_url()),
            "calendar": calendar,
        }
        for meeting in meetings
    ]


# "open" is what police.uk lists: the priorities raised or being worked on.
PRIORITY_STATUSES = {
    "open": [Priority.Status.RAISED, Priority.Status.IN_PROGRESS],
    "closed": [Priority.Status.CLOSED],
}
PRIORITY_STATUSES["all"] = [*PRIORITY_STATUSES["open"], *PRIORITY_STATUSES["closed"]]


def priorities(team: Team, *, status: str) -> list[dict]:
    """The team's priorities with `status` ("open", as police.uk lists, "closed" or "all"),
    newest first; open ones first with "all". Police.uk's four fields (issue, issue date,
    action, action date), then this portal's stage ("raised", "in-progress", "closed"), outcome
    and outcome date."""
    return [
        {
            "issue": priority.title,
            "issue-date": police_uk_date(priority.raised_on),
            "action": _text(markdown_html(priority.action)),
            "action-date": police_uk_date(priority.actioned_on),
            "status": priority.status,
            "outcome": _text(markdown_html(priority.outcome)),
            "outcome-date": police_uk_date(priority.outcome_on),
        }
        for priority in team.priorities.filter(status__in=PRIORITY_STATUSES[status])
    ]


def boundary(area: dict | None) -> list[dict]:
    """The outline of the team's largest area, as police.uk's list of string points."""
    if not area or not area["polygons"]:
        return []
    outline = area["polygons"][0][0]
    return [
        {"latitude": _coordinate(latitude), "longitude": _coordinate(longitude)}
        for longitude, latitude in outline
    ]


def boundary_geojson(team: Team, area: dict | None, absolute: Absolute) -> dict:
    return {
        "type": "Feature",
        "geometry": {"type": "MultiPolygon", "coordinates": area["polygons"] if area else []},
        "properties": {
            "id": team.slug,
            "name": team.name,
            "url": absolute(team.get_absolute_url()),
            "approximate": True,
            "method": "Union of the 1 km grid squares in which the team polices most postcodes "
            "(OS Code-Point Open), simplified to within 100 m.",
        },
    }


def team_slug_at(latitude: float, longitude: float) -> str | None:
    """The team for a point: the finder's route for the nearest postcode (the one place this
    app asks teams.routes, which owns how a position becomes a team)."""
    found = route_at(latitude, longitude)
    return found[0] if found else None
