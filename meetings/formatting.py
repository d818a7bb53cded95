"""Dates and times the GOV.UK way: "Tuesday 1 December 2026", "7pm to 8:30pm"."""

import datetime

from django.utils import timezone


def _local(value: datetime.datetime | datetime.time) -> datetime.datetime | datetime.time:
    if isinstance(value, datetime.datetime) and timezone.is_aware(value):
        return timezone.localtime(value)
    return value


def clock_time(value: datetime.datetime | datetime.time) -> str:
    """ "7pm", "7:30pm", "midday" or "midnight", on the Essex wall clock."""
    local = _local(value)
    if local.minute == 0 and local.hour == 12:
        return "midday"
    if local.minute == 0 and local.hour == 0:
        return "midnight"
    hour = local.hour % 12 or 12
    suffix = "am" if local.hour < 12 else "pm"
    minutes = "" if local.minute == 0 else f":{local.minute:02d}"
    return f"{hour}{minutes}{suffix}"


def time_range(start: datetime.datetime | datetime.time, end: datetime.datetime | datetime.time):
    return f"{clock_time(start)} to {clock_time(end)}"


def meeting_date(value: datetime.datetime | datetime.date) -> str:
    """ "Tuesday 1 December 2026"."""
    local = _local(value)
    return f"{local:%A} {local.day} {local:%B %Y}"
