import datetime

import pytest
from django.contrib.auth.models import Group

from meetings.models import Meeting, WeekOfMonth
from meetings.services import (
    meeting_cancel,
    meeting_permissions_grant,
    meetings_generate,
    meetings_generate_all,
)
from portal.clock import Weekday
from teams.models import FORCE_ADMINISTRATORS, TEAM_EDITORS
from tests.factories import MeetingFactory, MeetingScheduleFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def schedule():
    return MeetingScheduleFactory(
        week_of_month=WeekOfMonth.FIRST,
        weekday=Weekday.TUESDAY,
        start_time=datetime.time(19),
        end_time=datetime.time(20, 30),
        agenda="Your concerns",
    )


def test_creates_the_next_months_meetings_from_the_schedule(schedule, london):
    created = meetings_generate(schedule=schedule, months=3, now=london(2027, 2, 10, 9))
    meetings = list(Meeting.objects.order_by("start"))
    assert len(created) == 3
    assert [meeting.start for meeting in meetings] == [
        london(2027, 3, 2, 19),
        london(2027, 4, 6, 19),
        london(2027, 5, 4, 19),
    ]
    first = meetings[0]
    assert first.team == schedule.team
    assert first.venue_name == schedule.venue_name
    assert first.agenda == "Your concerns"
    assert first.end == london(2027, 3, 2, 20, 30)


def test_7pm_stays_7pm_after_the_clocks_go_forward(schedule, london):
    meetings_generate(schedule=schedule, months=3, now=london(2027, 2, 10, 9))
    in_winter, in_summer, _ = Meeting.objects.order_by("start")
    assert in_winter.start.astimezone(datetime.UTC).hour == 19
    assert in_summer.start.astimezone(datetime.UTC).hour == 18


def test_running_again_adds_nothing(schedule, london):
    now = london(2027, 2, 10, 9)
    meetings_generate(schedule=schedule, months=3, now=now)
    assert meetings_generate(schedule=schedule, months=3, now=now) == []
    assert Meeting.objects.count() == 3


def test_a_cancelled_meeting_stays_cancelled(schedule, london):
    now = london(2027, 2, 10, 9)
    first, *_ = meetings_generate(schedule=schedule, months=3, now=now)
    meeting = Meeting.objects.get(start=first.start)
    meeting_cancel(meeting=meeting, reason="The hall is closed.")
    meetings_generate(schedule=schedule, months=3, now=now)
    assert Meeting.objects.count() == 3
    assert Meeting.objects.get(pk=meeting.pk).status == Meeting.Status.CANCELLED


def test_a_moved_meeting_is_not_created_again_at_its_old_time(schedule, london):
    now = london(2027, 2, 10, 9)
    meetings_generate(schedule=schedule, months=1, now=now)
    meeting = Meeting.objects.get()
    meeting.start = london(2027, 3, 3, 18)
    meeting.end = london(2027, 3, 3, 19, 30)
    meeting.status = Meeting.Status.MOVED
    meeting.status_reason = "Moved to Wednesday."
    meeting.save()
    meetings_generate(schedule=schedule, months=1, now=now)
    assert Meeting.objects.count() == 1


def test_a_meeting_added_by_hand_at_the_same_time_is_not_duplicated(schedule, london):
    Meeting.objects.create(
        team=schedule.team,
        start=london(2027, 3, 2, 19),
        end=london(2027, 3, 2, 21),
        venue_name="Hall",
        address="High Street",
        postcode="CM1 1AA",
    )
    created = meetings_generate(schedule=schedule, months=2, now=london(2027, 2, 10, 9))
    assert [meeting.start for meeting in created] == [london(2027, 4, 6, 19)]


def test_todays_meeting_is_created_until_it_starts(schedule, london):
    assert len(meetings_generate(schedule=schedule, months=0, now=london(2027, 3, 2, 12))) == 1
    Meeting.objects.all().delete()
    assert meetings_generate(schedule=schedule, months=0, now=london(2027, 3, 2, 19, 1)) == []


def test_inactive_schedules_create_nothing(schedule, london):
    schedule.active = False
    schedule.save()
    created = meetings_generate_all(months=6, now=london(2027, 2, 10, 9))
    assert created == {}
    assert not Meeting.objects.exists()


def test_cancelling_records_the_reason_and_tells_calendars():
    meeting = Meeting.objects.get(pk=MeetingFactory().pk)
    meeting_cancel(meeting=meeting, reason="The hall flooded.")
    meeting.refresh_from_db()
    assert meeting.status == Meeting.Status.CANCELLED
    assert meeting.notice == "The hall flooded."
    assert meeting.sequence == 1


def test_staff_groups_may_keep_meetings():
    meeting_permissions_grant()
    for name in (TEAM_EDITORS, FORCE_ADMINISTRATORS):
        codenames = set(Group.objects.get(name=name).permissions.values_list("codename", flat=True))
        assert {"change_meeting", "add_meetingschedule", "delete_outcome"} <= codenames
