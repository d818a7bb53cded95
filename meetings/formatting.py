"""Dates and times the GOV.UK way: "Tuesday 1 December 2026", "7pm to 8:30pm"."""

import datetime

from django.utils import timezone

from teams.duty import format_time


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


def meeting_date(value: datetime.datetime | datetime.date) -> str:
    """ "Tuesday 1 December 2026"."""
    local = _local(value)
    return f"{local:%A} {local.day} {local:%B %Y}"
