"""When a team is on duty, worked out in Europe/London time.

Pure functions over anything with `weekday` (0 = Monday), `start` and `end` (times; an end at or
before the start runs past midnight), given `now`, so that every moment of the week, and both
clock changes, can be tested.

Wall-clock times are turned into real instants (UTC) before any comparison or subtraction:
Python compares two datetimes that share a tzinfo by their wall-clock reading, which is wrong
across a clock change.
"""

import datetime
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Protocol

from portal.clock import LONDON, Weekday, format_time

UTC = datetime.UTC
MINUTES_IN_DAY = 24 * 60
MINUTES_IN_WEEK = 7 * MINUTES_IN_DAY


class Period(Protocol):
    weekday: int
    start: datetime.time
    end: datetime.time


@dataclass(frozen=True)
class Shift:
    """One real occurrence of a duty period, as instants in UTC."""

    start: datetime.datetime
    end: datetime.datetime


@dataclass(frozen=True)
class DutyStatus:
    on_duty: bool
    until: datetime.datetime | None  # when on duty: when this stretch ends (London time)
    next_start: datetime.datetime | None  # when off duty: when the next stretch starts
    text: str  # "On duty now until 2am", "Next on duty at 8am on Monday"

    @property
    def headline(self) -> str:
        """A short label for a tag: "On duty now" or "Off duty"."""
        return "On duty now" if self.on_duty else "Off duty"

    @property
    def detail(self) -> str:
        """What follows the label: "until 2am", or "Next on duty at 8am on Monday"."""
        if self.on_duty:
            return self.text.removeprefix(self.headline).strip()
        return self.text


def runs_past_midnight(period: Period) -> bool:
    return period.end <= period.start


def shift_on(period: Period, date: datetime.date) -> Shift:
    """The occurrence of `period` that starts on `date` (which must be its weekday)."""
    end_date = date + datetime.timedelta(days=1) if runs_past_midnight(period) else date
    # fold=0: a time that happens twice (01:30 in late October) is its first, summer-time
    # occurrence; a time that never happens (01:30 in late March) is read in winter time, so
    # it falls an hour later in summer time.
    start = datetime.datetime.combine(date, period.start, tzinfo=LONDON)
    end = datetime.datetime.combine(end_date, period.end, tzinfo=LONDON)
    return Shift(start=start.astimezone(UTC), end=end.astimezone(UTC))


def shifts_between(
    periods: Iterable[Period], first: datetime.date, last: datetime.date
) -> list[Shift]:
    """Every shift starting on a day from `first` to `last`, earliest first."""
    periods = list(periods)
    shifts = []
    day = first
    while day <= last:
        shifts.extend(
            shift_on(period, day) for period in periods if period.weekday == day.weekday()
        )
        day += datetime.timedelta(days=1)
    return sorted(shifts, key=lambda shift: shift.start)


def duty_status(periods: Iterable[Period], now: datetime.datetime) -> DutyStatus | None:
    """Whether the team is on duty at `now` (aware), and until when or from when.

    None when the team has no published hours.
    """
    periods = list(periods)
    if not periods:
        return None
    instant = now.astimezone(UTC)
    today = now.astimezone(LONDON).date()
    # A week and a day either side covers a shift that began yesterday and the next week's.
    shifts = shifts_between(
        periods, today - datetime.timedelta(days=1), today + datetime.timedelta(days=8)
    )
    current = [shift for shift in shifts if shift.start <= instant < shift.end]
    if current:
        until = max(shift.end for shift in current)
        # Shifts that meet or overlap run on as one stretch (bounded by the shifts we have).
        for shift in shifts:
            if shift.start <= until < shift.end:
                until = shift.end
        if until - instant >= datetime.timedelta(days=7):
            return DutyStatus(on_duty=True, until=None, next_start=None, text="On duty now")
        until_local = until.astimezone(LONDON)
        return DutyStatus(
            on_duty=True,
            until=until_local,
            next_start=None,
            text=f"On duty now until {format_time(until_local.time())}"
            + _day_phrase(until_local.date(), today, same_day_is_silent=True),
        )
    upcoming = [shift for shift in shifts if shift.start > instant]
    next_start = upcoming[0].start.astimezone(LONDON)
    return DutyStatus(
        on_duty=False,
        until=None,
        next_start=next_start,
        text=f"Next on duty at {format_time(next_start.time())}"
        + _day_phrase(next_start.date(), today, same_day_is_silent=False),
    )


def _day_phrase(date: datetime.date, today: datetime.date, *, same_day_is_silent: bool) -> str:
    days = (date - today).days
    if days == 0:
        return "" if same_day_is_silent else " today"
    if days == 1:
        # "until 2am" after 10pm needs no "tomorrow": the night runs on.
        return "" if same_day_is_silent else " tomorrow"
    return f" on {Weekday(date.weekday()).label}"


def describe_period(period: Period) -> str:
    """'8am to 10pm', or '8am to 2am on Saturday' when the period runs past midnight."""
    text = f"{format_time(period.start)} to {format_time(period.end)}"
    if runs_past_midnight(period) and not (period.end.hour == 0 and period.end.minute == 0):
        text += f" on {Weekday((period.weekday + 1) % 7).label}"
    return text


def week_minutes(period: Period) -> tuple[int, int]:
    """(start, length) in minutes from Monday 00:00 of a wall-clock week."""
    start = period.weekday * MINUTES_IN_DAY + period.start.hour * 60 + period.start.minute
    end_of_day = period.end.hour * 60 + period.end.minute
    length = (end_of_day - (period.start.hour * 60 + period.start.minute)) % MINUTES_IN_DAY
    return start, length or MINUTES_IN_DAY


def periods_overlap(first: Period, second: Period) -> bool:
    """Whether two weekly periods share any minute (Sunday night runs into Monday)."""
    first_start, first_length = week_minutes(first)
    second_start, second_length = week_minutes(second)
    return (second_start - first_start) % MINUTES_IN_WEEK < first_length or (
        first_start - second_start
    ) % MINUTES_IN_WEEK < second_length


def overlap_message(periods: Iterable[Period]) -> str | None:
    """Why these periods cannot all be a team's hours, in the days and times staff use (the
    first two that overlap, in the order given); None when no two of them overlap."""
    periods = list(periods)
    for index, period in enumerate(periods):
        for other in periods[index + 1 :]:
            if periods_overlap(period, other):
                return (
                    f"The {Weekday(period.weekday).label} hours ({describe_period(period)}) "
                    f"overlap the {Weekday(other.weekday).label} hours ({describe_period(other)}). "
                    "Change one of them so they do not overlap."
                )
    return None
