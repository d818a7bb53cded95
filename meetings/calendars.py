"""iCalendar files: one meeting to add to a calendar, or a team's feed to subscribe to."""

import datetime
from collections.abc import Callable, Iterable

from dateutil.relativedelta import relativedelta
from django.utils import timezone
from icalendar import Calendar, Event, Timezone, vDuration

from portal.clock import LONDON

from .models import Meeting

PRODID = "-//Essex Police//Community Policing meetings//EN"
# Subscribed calendars check back this often (RFC 7986, and the older Microsoft property).
REFRESH = datetime.timedelta(hours=6)


def meeting_to_ical(meeting: Meeting, absolute_url: Callable[[str], str]) -> Event:
    """The meeting as a VEVENT. Times carry the Europe/London TZID, so 7pm stays 7pm for
    residents whichever side of the clock change it falls."""
    event = Event()
    # The UID never changes, and SEQUENCE goes up with each change that matters, so calendars
    # replace the event they hold rather than adding a second one.
    event.add("uid", f"{meeting.uid}@community-policing.essex")
    event.add("sequence", meeting.sequence)
    event.add("dtstamp", meeting.updated_at)
    event.add("last-modified", meeting.updated_at)
    event.add("created", meeting.created_at)
    event.add("dtstart", timezone.localtime(meeting.start))
    event.add("dtend", timezone.localtime(meeting.end))
    summary = meeting.name
    if meeting.is_cancelled:
        summary = f"Cancelled: {summary}"
        event.add("status", "CANCELLED")
    else:
        event.add("status", "CONFIRMED")
    event.add("summary", summary)
    event.add("location", meeting.location)
    url = absolute_url(meeting.get_absolute_url())
    event.add("url", url)
    description = []
    if meeting.notice:
        description.append(meeting.notice)
    if meeting.online_link:
        description.append(f"Join online: {meeting.online_link}")
    if meeting.agenda:
        description.append(meeting.agenda)
    description.append(f"Details: {url}")
    event.add("description", "\n\n".join(description))
    return event


def meetings_calendar(
    meetings: Iterable[Meeting], *, name: str, absolute_url: Callable[[str], str]
) -> bytes:
    """A calendar of these meetings, with the VTIMEZONE their times refer to."""
    calendar = Calendar()
    calendar.add("prodid", PRODID)
    calendar.add("version", "2.0")
    calendar.add("calscale", "GREGORIAN")
    calendar.add("name", name)
    calendar.add("x-wr-calname", name)
    calendar.add("x-wr-timezone", "Europe/London")
    calendar.add("refresh-interval", REFRESH, parameters={"VALUE": "DURATION"})
    calendar.add("x-published-ttl", vDuration(REFRESH))
    meetings = list(meetings)
    starts = [timezone.localdate(meeting.start) for meeting in meetings]
    # The VTIMEZONE comes first, as calendar programs expect. Its transitions need only span the
    # meetings, with a year either side; a feed with no meetings yet still carries it, so that it
    # is never an empty calendar.
    first = min(starts, default=timezone.localdate())
    last = max(starts, default=first)
    calendar.add_component(
        Timezone.from_tzinfo(
            LONDON,
            tzid="Europe/London",
            first_date=first - relativedelta(years=1),
            last_date=last + relativedelta(years=1),
        )
    )
    for meeting in meetings:
        calendar.add_component(meeting_to_ical(meeting, absolute_url))
    return calendar.to_ical()
