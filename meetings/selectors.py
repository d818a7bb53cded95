"""Reads for pages outside the meetings app."""

import datetime

from teams.models import Team
from teams.presenters import TeamPagePart

from .models import Meeting


def next_meetings_on_team_page(team: Team, now: datetime.datetime) -> TeamPagePart:
    """A team's page shows its next meetings ("at a glance" and a section of their own) and marks
    their venues on its map, and is kept until the first of them ends. Added to every team's
    page at MeetingsConfig.ready()."""
    meetings = Meeting.objects.next_for_team(team)
    return TeamPagePart(
        context={"next_meetings": meetings},
        changes_at=tuple(meeting.end for meeting in meetings[:1]),
        # Not those called off or moved: the page says so, and the map would send residents to
        # the wrong place.
        venues={
            meeting.postcode: meeting.venue_name
            for meeting in meetings
            if meeting.postcode and meeting.status == Meeting.Status.SCHEDULED
        },
    )
