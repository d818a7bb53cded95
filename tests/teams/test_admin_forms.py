"""Admin forms speak like people: times as "7pm", plain messages, errors linked from the top."""

import datetime

import pytest
from django.utils import timezone

from meetings.models import Meeting
from portal.clock import format_time, parse_time
from teams.models import DutyPeriod, Priority
from tests.admin_pages import change_form_data, change_url
from tests.factories import (
    DutyPeriodFactory,
    MeetingFactory,
    PriorityFactory,
    TeamEditorFactory,
    TeamFactory,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def team():
    return TeamFactory(name="Tendring", slug="tendring")


@pytest.fixture
def editor(client, team):
    user = TeamEditorFactory(username="tendring-editor", teams=[team])
    client.force_login(user)
    return user


@pytest.mark.parametrize(
    ("typed", "expected"),
    [
        ("7pm", datetime.time(19)),
        ("7:30pm", datetime.time(19, 30)),
        ("7.30 p.m.", datetime.time(19, 30)),
        ("19:00", datetime.time(19)),
        ("19:00:00", datetime.time(19)),
        ("12am", datetime.time(0)),
        ("12pm", datetime.time(12)),
        ("midnight", datetime.time(0)),
        ("7", None),
        ("13pm", None),
        ("24:00", None),
        ("seven", None),
    ],
)
def test_times_are_read_as_people_write_them(typed, expected):
    assert parse_time(typed) == expected


def test_every_shown_time_reads_back_as_itself():
    for minutes in range(0, 24 * 60, 5):
        time = datetime.time(minutes // 60, minutes % 60)
        assert parse_time(format_time(time)) == time


def test_duty_hours_are_shown_and_taken_as_7pm(client, editor, team):
    period = DutyPeriodFactory(team=team, start=datetime.time(8), end=datetime.time(22))
    page = client.get(change_url(team))
    text = page.content.decode()
    assert 'value="8am"' in text and 'value="10pm"' in text
    assert "runs past midnight" in text

    data = {**change_form_data(page), "duty_periods-0-start": "10pm", "duty_periods-0-end": "2am"}
    assert client.post(change_url(team), data).status_code == 302
    period.refresh_from_db()
    assert (period.start, period.end) == (datetime.time(22), datetime.time(2))


def test_an_unreadable_time_is_explained_and_linked_from_the_top(client, editor, team):
    DutyPeriodFactory(team=team)
    page = client.get(change_url(team))
    data = {**change_form_data(page), "duty_periods-0-end": "7"}
    response = client.post(change_url(team), data)
    text = response.content.decode()
    assert "There is a problem" in text
    assert "Enter a time, such as 7pm, 7:30pm or 19:00." in text
    assert 'href="#duty_periods-group"' in text or 'href="#id_duty_periods-0-end"' in text
    # The summary comes before the first fieldset, not 2,500 pixels below it.
    assert text.index("There is a problem") < text.index('<fieldset class="module')
    assert DutyPeriod.objects.get(team=team).end == datetime.time(22)


def test_a_closed_priority_needs_its_outcome_and_dates(client, editor, team):
    priority = PriorityFactory(team=team)
    page = client.get(change_url(priority))
    data = {**change_form_data(page), "status": Priority.Status.CLOSED, "actioned_on": ""}
    response = client.post(change_url(priority), data)
    text = response.content.decode()
    assert "Enter the date of the outcome" in text
    assert 'href="#id_outcome_on"' in text
    assert "Tell residents what came of it." in text
    assert 'href="#id_actioned_on"' in text  # there is an action: when did it start?
    priority.refresh_from_db()
    assert priority.status == Priority.Status.RAISED


def test_a_priority_goes_from_raised_to_its_outcome(client, editor, team):
    priority = PriorityFactory(team=team, action="", raised_on=datetime.date(2026, 9, 1))
    page = client.get(change_url(priority))
    working = {
        **change_form_data(page),
        "status": Priority.Status.IN_PROGRESS,
        "action": "Patrols <b>every</b> evening.",
        "actioned_on": "2026-09-10",
    }
    assert client.post(change_url(priority), working).status_code == 302
    page = client.get(change_url(priority))
    done = {
        **change_form_data(page),
        "status": Priority.Status.CLOSED,
        "outcome": "Thefts fell by half.",
        "outcome_on": "2026-08-01",
    }
    text = client.post(change_url(priority), done).content.decode()
    assert "The date of the outcome must be on or after the date raised." in text
    assert (
        client.post(change_url(priority), {**done, "outcome_on": "2026-11-01"}).status_code == 302
    )
    priority.refresh_from_db()
    assert (priority.status, priority.actioned_on, priority.outcome_on) == (
        Priority.Status.CLOSED,
        datetime.date(2026, 9, 10),
        datetime.date(2026, 11, 1),
    )


def test_a_second_meeting_at_the_same_moment_is_refused_in_plain_words(client, editor, team):
    existing = MeetingFactory(team=team)
    other = MeetingFactory(team=team)
    when = timezone.localtime(existing.start)
    page = client.get(change_url(other))
    data = {
        **change_form_data(page),
        "start_0": when.strftime("%d/%m/%Y"),
        "start_1": "7pm",
        "end_0": when.strftime("%d/%m/%Y"),
        "end_1": "8:30pm",
    }
    response = client.post(change_url(other), data)
    text = response.content.decode()
    assert f"Tendring already has a meeting at 7pm on {when:%A %-d %B %Y}" in text
    assert "Meeting with this Team and Start already exists" not in text


def test_a_meeting_time_can_be_typed_as_7_30pm(client, editor, team):
    meeting = MeetingFactory(team=team)
    page = client.get(change_url(meeting))
    assert 'value="7pm"' in page.content.decode()
    data = {**change_form_data(page), "start_1": "7:30pm", "end_1": "9pm"}
    assert client.post(change_url(meeting), data).status_code == 302
    meeting.refresh_from_db()
    assert timezone.localtime(meeting.start).time() == datetime.time(19, 30)
    assert Meeting.objects.count() == 1
