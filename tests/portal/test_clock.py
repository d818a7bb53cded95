"""Times and dates as every page writes them, on the Essex wall clock."""

import datetime

import pytest

from portal.clock import LONDON, Weekday, format_time, long_date, quarter_span, time_range


@pytest.mark.parametrize(
    ("value", "text"),
    [((8,), "8am"), ((14, 30), "2:30pm"), ((0,), "midnight"), ((12,), "midday"), ((2,), "2am")],
)
def test_times_read_the_gov_uk_way(value, text):
    assert format_time(datetime.time(*value)) == text


def test_an_evening_meeting_reads_as_on_the_wall_clock_in_summer_and_winter():
    summer = datetime.datetime(2026, 7, 7, 18, tzinfo=datetime.UTC)
    winter = datetime.datetime(2026, 12, 1, 19, tzinfo=datetime.UTC)
    assert time_range(summer, summer + datetime.timedelta(minutes=90)) == "7pm to 8:30pm"
    assert time_range(winter, winter + datetime.timedelta(minutes=90)) == "7pm to 8:30pm"
    assert long_date(winter) == "Tuesday 1 December 2026"


def test_a_late_evening_in_utc_is_already_the_next_day_in_london_in_summer():
    moment = datetime.datetime(2026, 7, 6, 23, 30, tzinfo=datetime.UTC)
    assert moment.astimezone(LONDON).weekday() == Weekday.TUESDAY
    assert long_date(moment) == "Tuesday 7 July 2026"


def test_weekdays_are_numbered_as_python_numbers_them_with_their_names():
    assert Weekday(datetime.date(2026, 11, 30).weekday()).label == "Monday"
    assert [day.label for day in Weekday][-1] == "Sunday"


@pytest.mark.parametrize(
    ("quarter", "span"),
    [
        ((2026, 1), (datetime.date(2026, 1, 1), datetime.date(2026, 4, 1))),
        ((2026, 4), (datetime.date(2026, 10, 1), datetime.date(2027, 1, 1))),
    ],
)
def test_a_quarter_runs_to_the_first_day_of_the_next(quarter, span):
    assert quarter_span(*quarter) == span
