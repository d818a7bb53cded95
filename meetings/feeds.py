"""RSS and Atom feeds of upcoming meetings, for all of Essex or one team."""

from django.contrib.syndication.views import Feed
from django.shortcuts import get_object_or_404
from django.urls import reverse
from django.utils.feedgenerator import Atom1Feed

from teams.models import Team

from .models import Meeting

FEED_LENGTH = 50


class UpcomingMeetingsFeed(Feed):
    """Upcoming meetings, soonest first. A cancelled or moved meeting stays in the feed with
    that at the front of its title, so readers see the change."""

    def get_object(self, request, slug=None):
        return get_object_or_404(Team, slug=slug) if slug else None

    def title(self, team):
        where = team.name if team else "Essex"
        return f"Local Community Meetings: {where}"

    def link(self, team):
        url = reverse("meetings:list")
        return f"{url}?team={team.slug}" if team else url

    def description(self, team):
        where = f"the {team.name} Community Policing Team" if team else "Essex Police"
        return f"Upcoming Local Community Meetings held by {where}."

    def items(self, team):
        meetings = Meeting.objects.upcoming().select_related("team")
        if team:
            meetings = meetings.for_team(team)
        return meetings[:FEED_LENGTH]

    def item_title(self, meeting):
        title = f"{meeting.name}: {meeting.when}"
        if meeting.is_cancelled:
            return f"Cancelled: {title}"
        if meeting.is_moved:
            return f"Moved: {title}"
        return title

    def item_description(self, meeting):
        parts = []
        if meeting.notice:
            parts.append(meeting.notice)
        parts.append(f"{meeting.when} at {meeting.location}.")
        return "\n\n".join(parts)

    def item_guid(self, meeting):
        return f"urn:uuid:{meeting.uid}"

    item_guid_is_permalink = False

    def item_pubdate(self, meeting):
        return meeting.created_at

    def item_updateddate(self, meeting):
        return meeting.updated_at


class UpcomingMeetingsAtomFeed(UpcomingMeetingsFeed):
    feed_type = Atom1Feed
    subtitle = UpcomingMeetingsFeed.description
