"""Calendar files, parsed back as a calendar program would read them."""

import datetime

import pytest
from django.urls import reverse
from icalendar import Calendar

from meetings.models import Meeting
from meetings.services import meeting_cancel
from tests.factories import MeetingFactory, TeamFactory

pytestmark = pytest.mark.django_db


def parse(response) -> Calendar:
    assert response.status_code == 200
    assert response["Content-Type"] == "text/calendar; charset=utf-8"
    return Calendar.from_ical(response.content)


@pytest.fixture
def team():
    return TeamFactory(name="Chelmsford and Maldon", slug="chelmsford-maldon")


def test_one_meeting_imports_with_its_time_zone_and_details(client, team, london):
    meeting = MeetingFactory(
        team=team, start=london(2099, 3, 3, 19), online_link="https://example.org/join"
    )
    response = client.get(reverse("meetings:calendar", args=[meeting.pk]))
    assert response["Content-Disposition"] == (
        'attachment; filename="chelmsford-maldon-2099-03-03.ics"'
    )
    calendar = parse(response)
    (timezone,) = calendar.walk("VTIMEZONE")
    assert timezone["TZID"] == "Europe/London"
    (event,) = calendar.events
    assert event.start == london(2099, 3, 3, 19)
    assert event.start.tzinfo.key == "Europe/London"
    assert event.end == london(2099, 3, 3, 20, 30)
    assert str(event["SUMMARY"]) == "Chelmsford and Maldon Local Community Meeting"
    assert "CM1 1AA" in str(event["LOCATION"])
    assert "https://example.org/join" in str(event["DESCRIPTION"])
    assert str(event["URL"]).endswith(meeting.get_absolute_url())
    assert str(event["STATUS"]) == "CONFIRMED"
    assert calendar.get_missing_tzids() == set()


def test_times_are_right_on_both_sides_of_the_clock_changes(client, team, london):
    # 2099: the clocks go forward on 29 March and back on 25 October.
    for day in [(3, 3), (4, 7), (10, 6), (11, 3)]:
        MeetingFactory(team=team, start=london(2099, *day, 19))
    calendar = parse(client.get(reverse("meetings:team-calendar", args=[team.slug])))
    events = sorted(calendar.events, key=lambda event: event.start)
    assert [event.start.hour for event in events] == [19, 19, 19, 19]
    assert [event.start.astimezone(datetime.UTC).hour for event in events] == [19, 18, 18, 19]
    # The VTIMEZONE itself says when British Summer Time begins and ends.
    (timezone,) = calendar.timezones
    tzinfo = timezone.to_tz()
    assert tzinfo.utcoffset(datetime.datetime(2099, 4, 7, 19)) == datetime.timedelta(hours=1)
    assert tzinfo.utcoffset(datetime.datetime(2099, 11, 3, 19)) == datetime.timedelta(0)


def test_uid_stays_and_sequence_rises_when_a_meeting_changes(client, team, london):
    meeting = MeetingFactory(team=team, start=london(2099, 3, 3, 19))
    url = reverse("meetings:calendar", args=[meeting.pk])
    (before,) = parse(client.get(url)).events
    meeting = Meeting.objects.get(pk=meeting.pk)
    meeting.start = london(2099, 3, 3, 18, 30)
    meeting.save()
    (after,) = parse(client.get(url)).events
    assert after["UID"] == before["UID"]
    assert before["SEQUENCE"] == 0
    assert after["SEQUENCE"] == 1
    assert after.start == london(2099, 3, 3, 18, 30)


def test_a_cancelled_meeting_stays_in_the_feed_marked_cancelled(client, team, london):
    meeting = MeetingFactory(team=team, start=london(2099, 3, 3, 19))
    MeetingFactory(team=team, start=london(2099, 4, 7, 19))
    meeting_cancel(meeting=Meeting.objects.get(pk=meeting.pk), reason="The hall flooded.")
    calendar = parse(client.get(reverse("meetings:team-calendar", args=[team.slug])))
    cancelled, going_ahead = sorted(calendar.events, key=lambda event: event.start)
    assert str(cancelled["STATUS"]) == "CANCELLED"
    assert cancelled["SEQUENCE"] == 1
    assert str(cancelled["SUMMARY"]).startswith("Cancelled:")
    assert "The hall flooded." in str(cancelled["DESCRIPTION"])
    assert str(going_ahead["STATUS"]) == "CONFIRMED"


def test_the_team_feed_is_for_subscribing(client, team):
    MeetingFactory(team=team)
    MeetingFactory()  # another team's
    response = client.get(reverse("meetings:team-calendar", args=[team.slug]))
    assert response["Content-Disposition"].startswith("inline")
    calendar = parse(response)
    assert len(calendar.events) == 1
    assert str(calendar["X-WR-CALNAME"]) == "Chelmsford and Maldon Local Community Meetings"
    assert calendar["REFRESH-INTERVAL"].dt == datetime.timedelta(hours=6)


def test_a_team_with_no_meetings_still_gives_a_valid_calendar(client, team):
    calendar = parse(client.get(reverse("meetings:team-calendar", args=[team.slug])))
    assert calendar.events == []
    assert len(calendar.timezones) == 1


def test_meetings_long_past_drop_out_of_the_feed(client, team, london):
    MeetingFactory(team=team, start=london(2020, 3, 3, 19))
    calendar = parse(client.get(reverse("meetings:team-calendar", args=[team.slug])))
    assert calendar.events == []


def test_an_unknown_team_or_meeting_is_not_found(client):
    assert client.get(reverse("meetings:team-calendar", args=["nowhere"])).status_code == 404
    assert client.get(reverse("meetings:calendar", args=[999])).status_code == 404


def test_the_team_feed_takes_two_queries_however_many_meetings(
    client, team, django_assert_max_num_queries
):
    for _ in range(20):
        MeetingFactory(team=team)
    with django_assert_max_num_queries(2):
        client.get(reverse("meetings:team-calendar", args=[team.slug]))
