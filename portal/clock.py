"""The Essex wall clock, for every app: Europe/London, the days of the week, and times and dates
written the GOV.UK way ("7pm to 8:30pm", "Tuesday 1 December 2026")."""

import datetime
import re
from zoneinfo import ZoneInfo

from django.db import models
from django.utils import timezone

LONDON = ZoneInfo("Europe/London")


class Weekday(models.IntegerChoices):
    """Numbered as Python's date.weekday() and dateutil's rrule number them (Monday is 0)."""

    MONDAY = 0, "Monday"
    TUESDAY = 1, "Tuesday"
    WEDNESDAY = 2, "Wednesday"
    THURSDAY = 3, "Thursday"
    FRIDAY = 4, "Friday"
    SATURDAY = 5, "Saturday"
    SUNDAY = 6, "Sunday"


def format_time(value: datetime.time) -> str:
    """08:00 -> '8am', 14:30 -> '2:30pm', 00:00 -> 'midnight', 12:00 -> 'midday' (GOV.UK style)."""
    if value.hour == 0 and value.minute == 0:
        return "midnight"
    if value.hour == 12 and value.minute == 0:
        return "midday"
    hour = value.hour % 12 or 12
    suffix = "am" if value.hour < 12 else "pm"
    if value.minute:
        return f"{hour}:{value.minute:02d}{suffix}"
    return f"{hour}{suffix}"


TIME_PATTERN = re.compile(
    r"^(?P<hour>\d{1,2})(?:[:.](?P<minute>\d{2}))?(?::(?P<second>\d{2}))?\s*(?P<half>[ap]\.?m\.?)?$"
)


def parse_time(text: str) -> datetime.time | None:
    """'7pm', '7:30pm', '7.30 p.m.', '19:00', 'midnight', 'midday' -> a time; None if unreadable.

    The inverse of `format_time`, so what staff see in a form can be saved back as it is.
    """
    cleaned = text.strip().lower()
    named = {"midnight": datetime.time(0), "midday": datetime.time(12), "noon": datetime.time(12)}
    if cleaned in named:
        return named[cleaned]
    match = TIME_PATTERN.match(cleaned)
    if not match:
        return None
    hour, minute = int(match["hour"]), int(match["minute"] or 0)
    half = (match["half"] or "").replace(".", "")
    if half:
        if not 1 <= hour <= 12:
            return None
        hour = hour % 12 + (12 if half == "pm" else 0)
    elif match["minute"] is None:
        return None  # a bare "7" could be morning or evening
    if hour > 23 or minute > 59:
        return None
    return datetime.time(hour, minute)


def _local(value: datetime.datetime | datetime.time) -> datetime.datetime | datetime.time:
    if isinstance(value, datetime.datetime) and timezone.is_aware(value):
        return timezone.localtime(value)
    return value


def clock_time(value: datetime.datetime | datetime.time) -> str:
    """ "7pm", "7:30pm", "midday" or "midnight", on the Essex wall clock."""
    local = _local(value)
    return format_time(local.time() if isinstance(local, datetime.datetime) else local)


def time_range(start: datetime.datetime | datetime.time, end: datetime.datetime | datetime.time):
    return f"{clock_time(start)} to {clock_time(end)}"


def long_date(value: datetime.datetime | datetime.date) -> str:
    """ "Tuesday 1 December 2026"."""
    local = _local(value)
    return f"{local:%A} {local.day} {local:%B %Y}"


def quarter_span(year: int, quarter: int) -> tuple[datetime.date, datetime.date]:
    """The first day of the quarter and the first day after it."""
    start = datetime.date(year, 3 * quarter - 2, 1)
    end = datetime.date(year + 1, 1, 1) if quarter == 4 else datetime.date(year, start.month + 3, 1)
    return start, end
