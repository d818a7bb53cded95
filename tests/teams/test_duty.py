"""On-duty status at any moment of the week, past midnight and across both clock changes."""

import datetime
from dataclasses import dataclass

import pytest
from hypothesis import given
from hypothesis import strategies as st

from portal.clock import LONDON
from teams.duty import (
    describe_period,
    duty_status,
    overlap_message,
    periods_overlap,
    shift_on,
)

UTC = datetime.UTC


@dataclass
class Period:
    weekday: int
    start: datetime.time
    end: datetime.time


def hours(weekday, start, end):
    return Period(weekday, datetime.time(*start), datetime.time(*end))


# The force's usual hours: Sunday to Thursday 08:00-22:00, Friday and Saturday 08:00-02:00.
USUAL = [hours(day, (8,), (22,)) for day in (6, 0, 1, 2, 3)] + [
    hours(day, (8,), (2,)) for day in (4, 5)
]


def london(*args, fold=0):
    return datetime.datetime(*args, tzinfo=LONDON, fold=fold)


def utc(*args):
    return datetime.datetime(*args, tzinfo=UTC)


# 2026-11-23 is a Monday.
@pytest.mark.parametrize(
    ("now", "expected"),
    [
        (london(2026, 11, 23, 7, 59), "Next on duty at 8am today"),
        (london(2026, 11, 23, 8, 0), "On duty now until 10pm"),
        (london(2026, 11, 23, 21, 59), "On duty now until 10pm"),
        (london(2026, 11, 23, 22, 0), "Next on duty at 8am tomorrow"),
        # Friday night runs past midnight.
        (london(2026, 11, 27, 23, 30), "On duty now until 2am"),
        (london(2026, 11, 28, 1, 59), "On duty now until 2am"),
        (london(2026, 11, 28, 2, 0), "Next on duty at 8am today"),
        # Saturday night, then Sunday's day shift.
        (london(2026, 11, 29, 0, 30), "On duty now until 2am"),
        (london(2026, 11, 29, 12, 0), "On duty now until 10pm"),
    ],
)
def test_the_usual_hours_at_moments_through_the_week(now, expected):
    assert duty_status(USUAL, now).text == expected


def test_a_team_with_only_weekday_hours_names_the_day_it_is_next_on_duty():
    weekdays_only = [hours(day, (8,), (16,)) for day in range(5)]
    status = duty_status(weekdays_only, london(2026, 11, 28, 10, 0))  # Saturday
    assert not status.on_duty
    assert status.text == "Next on duty at 8am on Monday"
    assert status.next_start == london(2026, 11, 30, 8, 0)


def test_a_sunday_night_shift_runs_into_monday_morning():
    status = duty_status([hours(6, (20,), (4,))], london(2026, 11, 23, 3, 0))  # Monday 3am
    assert status.on_duty
    assert status.text == "On duty now until 4am"


def test_back_to_back_periods_read_as_one_stretch():
    periods = [hours(0, (8,), (16,)), hours(0, (16,), (23, 30))]
    assert duty_status(periods, london(2026, 11, 23, 9)).text == "On duty now until 11:30pm"


def test_the_status_splits_into_a_short_label_and_the_rest():
    on = duty_status(USUAL, london(2026, 11, 27, 23, 30))
    assert (on.headline, on.detail) == ("On duty now", "until 2am")
    off = duty_status(USUAL, london(2026, 11, 24, 23, 0))
    assert (off.headline, off.detail) == ("Off duty", "Next on duty at 8am tomorrow")


def test_no_published_hours_gives_no_status():
    assert duty_status([], london(2026, 11, 23, 9)) is None


class TestOctoberClockChange:
    """2026-10-25: at 02:00 BST clocks go back to 01:00 GMT; Saturday night is an hour longer."""

    def test_saturday_night_lasts_an_extra_hour(self):
        shift = shift_on(hours(5, (8,), (2,)), datetime.date(2026, 10, 24))
        assert shift.end - shift.start == datetime.timedelta(hours=19)

    def test_on_duty_during_both_one_thirties(self):
        first = utc(2026, 10, 25, 0, 30)  # 01:30 BST
        second = utc(2026, 10, 25, 1, 30)  # 01:30 GMT, an hour later
        assert first.astimezone(LONDON).hour == second.astimezone(LONDON).hour == 1
        for now in (first, second):
            status = duty_status(USUAL, now)
            assert status.on_duty
            assert status.text == "On duty now until 2am"
            assert status.until == utc(2026, 10, 25, 2, 0)

    def test_off_duty_at_two_in_the_morning_gmt(self):
        status = duty_status(USUAL, utc(2026, 10, 25, 2, 0))
        assert not status.on_duty
        assert status.text == "Next on duty at 8am today"
        assert status.next_start == utc(2026, 10, 25, 8, 0)  # 08:00 GMT

    def test_a_shift_ending_in_the_repeated_hour_ends_at_its_first_occurrence(self):
        shift = shift_on(hours(5, (20,), (1, 30)), datetime.date(2026, 10, 24))
        assert shift.end == utc(2026, 10, 25, 0, 30)


class TestMarchClockChange:
    """2026-03-29: at 01:00 GMT the clocks go forward to 02:00 BST; Saturday night is shorter."""

    def test_saturday_night_is_an_hour_shorter(self):
        shift = shift_on(hours(5, (8,), (2,)), datetime.date(2026, 3, 28))
        assert shift.end - shift.start == datetime.timedelta(hours=17)

    def test_on_duty_just_before_the_clocks_go_forward(self):
        status = duty_status(USUAL, utc(2026, 3, 29, 0, 59))  # 00:59 GMT
        assert status.on_duty
        assert status.text == "On duty now until 2am"

    def test_off_duty_as_soon_as_the_clocks_go_forward(self):
        status = duty_status(USUAL, utc(2026, 3, 29, 1, 0))  # 02:00 BST
        assert not status.on_duty
        assert status.next_start == london(2026, 3, 29, 8, 0)
        assert status.next_start.utcoffset() == datetime.timedelta(hours=1)

    def test_sunday_day_shift_starts_at_eight_summer_time(self):
        assert not duty_status(USUAL, utc(2026, 3, 29, 6, 59)).on_duty
        assert duty_status(USUAL, utc(2026, 3, 29, 7, 0)).on_duty  # 08:00 BST


CLOCK_CHANGE_NIGHTS = st.sampled_from(
    [datetime.datetime(2026, 3, 28, 22), datetime.datetime(2026, 10, 24, 22)]
).flatmap(
    lambda start: st.datetimes(
        min_value=start, max_value=start + datetime.timedelta(hours=12), timezones=st.just(UTC)
    )
)


@given(
    st.datetimes(
        min_value=datetime.datetime(2026, 1, 1),
        max_value=datetime.datetime(2027, 12, 31),
        timezones=st.just(UTC),
    )
    | CLOCK_CHANGE_NIGHTS
)
def test_every_moment_is_on_duty_exactly_when_a_period_covers_it(now):
    """Checked against the wall clock in Essex, which the hours are written in."""
    status = duty_status(USUAL, now)
    local = now.astimezone(LONDON)
    minutes = local.hour * 60 + local.minute
    weekday = local.weekday()
    yesterday = (weekday - 1) % 7
    late_night = yesterday in (4, 5) and minutes < 120
    day_shift = 8 * 60 <= minutes < 22 * 60
    evening = weekday in (4, 5) and minutes >= 22 * 60
    assert status.on_duty == (late_night or day_shift or evening)
    if status.on_duty:
        assert status.until > now
    else:
        assert status.next_start > now


def test_a_period_past_midnight_names_the_next_day():
    assert describe_period(hours(4, (8,), (2,))) == "8am to 2am on Saturday"
    assert describe_period(hours(6, (8,), (22,))) == "8am to 10pm"
    assert describe_period(hours(6, (16,), (0,))) == "4pm to midnight"


@pytest.mark.parametrize(
    ("first", "second", "overlap"),
    [
        (hours(0, (8,), (16,)), hours(0, (15,), (20,)), True),
        (hours(0, (8,), (16,)), hours(0, (16,), (20,)), False),
        (hours(4, (20,), (2,)), hours(5, (1,), (3,)), True),
        (hours(4, (20,), (2,)), hours(5, (2,), (8,)), False),
        (hours(6, (22,), (6,)), hours(0, (5,), (9,)), True),  # Sunday night into Monday
        (hours(0, (8,), (16,)), hours(1, (8,), (16,)), False),
    ],
)
def test_overlapping_periods_are_found(first, second, overlap):
    assert periods_overlap(first, second) is overlap
    assert periods_overlap(second, first) is overlap


def test_overlapping_hours_are_explained_in_the_days_and_times_staff_use():
    friday_night = hours(4, (8,), (2,))
    early_saturday = hours(5, (1,), (3,))
    assert overlap_message([hours(0, (8,), (16,)), friday_night, early_saturday]) == (
        "The Friday hours (8am to 2am on Saturday) overlap the Saturday hours (1am to 3am). "
        "Change one of them so they do not overlap."
    )


def test_hours_that_only_meet_are_allowed():
    assert overlap_message([hours(4, (8,), (2,)), hours(5, (2,), (8,))]) is None
