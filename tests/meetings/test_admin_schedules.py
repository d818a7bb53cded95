"""Changing a schedule's day or time deals with the meetings made from the old one, in one save."""

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from meetings.models import Meeting, WeekOfMonth
from meetings.services import (
    FutureMeetings,
    meetings_generate,
    schedule_change_meetings,
)
from portal.clock import Weekday
from tests.admin_pages import change_form_data, change_url
from tests.factories import (
    MeetingScheduleFactory,
    OutcomeFactory,
    TeamEditorFactory,
    TeamFactory,
    UserFactory,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def tendring():
    return TeamFactory(name="Tendring", slug="tendring")


@pytest.fixture
def schedule(tendring):
    return MeetingScheduleFactory(
        team=tendring,
        week_of_month=WeekOfMonth.FOURTH,
        weekday=Weekday.TUESDAY,
        start_time=datetime.time(19),
        end_time=datetime.time(20, 30),
    )


@pytest.fixture
def editor(client, tendring):
    user = TeamEditorFactory(username="tendring-editor", teams=[tendring])
    client.force_login(user)
    return user


def weekdays(meetings):
    return {timezone.localtime(meeting.start).strftime("%A") for meeting in meetings}


def test_moving_to_the_second_wednesday_replaces_the_old_meetings_in_one_save(
    client, editor, schedule
):
    meetings_generate(schedule=schedule, months=6)
    made = list(Meeting.objects.order_by("start"))
    assert len(made) >= 5
    moved, cancelled, with_notes = made[0], made[1], made[2]
    moved.start += datetime.timedelta(days=1)
    moved.end += datetime.timedelta(days=1)
    moved.save()
    cancelled.status, cancelled.status_reason = Meeting.Status.CANCELLED, "The hall is closed."
    cancelled.save()
    OutcomeFactory(meeting=with_notes)

    page = client.get(change_url(schedule))
    assert "not changed by hand since" in page.content.decode()
    data = change_form_data(page)
    assert data["future_meetings"] == FutureMeetings.REPLACE
    data.update({"week_of_month": str(WeekOfMonth.SECOND), "weekday": str(Weekday.WEDNESDAY)})
    response = client.post(change_url(schedule), data, follow=True)
    assert response.status_code == 200
    assert "on the old pattern" in response.content.decode()

    remaining = Meeting.objects.filter(team=schedule.team, start__gt=timezone.now())
    untouched_old = remaining.filter(status=Meeting.Status.SCHEDULED, outcomes__isnull=True)
    # Only the new pattern's meetings are scheduled, beside the three someone had worked on.
    assert weekdays(untouched_old.exclude(pk=moved.pk)) == {"Wednesday"}
    assert set(remaining.values_list("pk", flat=True)) >= {moved.pk, cancelled.pk, with_notes.pk}
    per_month = {}
    for meeting in untouched_old.exclude(pk=moved.pk):
        month = timezone.localtime(meeting.start).strftime("%Y-%m")
        per_month[month] = per_month.get(month, 0) + 1
    assert set(per_month.values()) == {1}  # never two a month

    # Running "Create meetings" afterwards adds nothing twice.
    schedule.refresh_from_db()
    assert meetings_generate(schedule=schedule, months=6) == []


def test_cancelling_tells_residents_where_the_meetings_are_now(schedule, london):
    now = london(2027, 1, 1, 9)
    old_pattern = type(schedule).objects.get(pk=schedule.pk)
    meetings_generate(schedule=schedule, months=3, now=now)
    made = list(Meeting.objects.all())
    schedule.start_time, schedule.end_time = datetime.time(18, 30), datetime.time(20)
    schedule.save()

    old, new = schedule_change_meetings(
        schedule=schedule, pattern=old_pattern, future=FutureMeetings.CANCEL, months=3, now=now
    )
    assert {meeting.pk for meeting in old} == {meeting.pk for meeting in made}
    for meeting in Meeting.objects.filter(pk__in=[meeting.pk for meeting in made]):
        assert meeting.status == Meeting.Status.CANCELLED
        assert "fourth Tuesday of each month, 6:30pm" in meeting.status_reason
    # Same days, new time: the new meetings are made even though the cancelled ones share the day.
    assert [timezone.localtime(meeting.start).time() for meeting in new] == [
        datetime.time(18, 30)
    ] * 3


def test_leaving_them_changes_nothing(schedule, london):
    now = london(2027, 1, 1, 9)
    old_pattern = type(schedule).objects.get(pk=schedule.pk)
    meetings_generate(schedule=schedule, months=3, now=now)
    schedule.weekday = Weekday.WEDNESDAY
    schedule.save()
    assert schedule_change_meetings(
        schedule=schedule, pattern=old_pattern, future=FutureMeetings.KEEP, months=3, now=now
    ) == ([], [])
    assert Meeting.objects.filter(status=Meeting.Status.SCHEDULED).count() == 3


def test_a_change_of_venue_only_leaves_the_meetings_alone(client, editor, schedule):
    made = list(meetings_generate(schedule=schedule, months=3))
    data = {**change_form_data(client.get(change_url(schedule))), "venue_name": "New hall"}
    assert client.post(change_url(schedule), data).status_code == 302
    assert Meeting.objects.filter(schedule=schedule).count() == len(made)


def test_the_admin_lists_schedules_by_team_then_week_and_day(client, schedule):
    basildon = TeamFactory(name="Basildon", slug="basildon")
    fourth, third = WeekOfMonth.FOURTH, WeekOfMonth.THIRD
    MeetingScheduleFactory(team=basildon, venue_name="Later hall", week_of_month=fourth)
    MeetingScheduleFactory(team=basildon, venue_name="Earlier hall", week_of_month=third)
    # First in the month, but Tendring comes after Basildon.
    schedule.venue_name, schedule.week_of_month = "Tendring hall", WeekOfMonth.FIRST
    schedule.save()
    client.force_login(UserFactory(is_superuser=True))
    page = client.get(reverse("admin:meetings_meetingschedule_changelist")).content.decode()
    halls = ["Earlier hall", "Later hall", "Tendring hall"]
    assert sorted(halls, key=page.index) == halls
