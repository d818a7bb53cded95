import datetime

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone

from meetings.models import Meeting, MeetingSchedule, WeekOfMonth
from portal.clock import Weekday
from tests.factories import MeetingFactory, MeetingScheduleFactory, TeamFactory

pytestmark = pytest.mark.django_db


def test_a_meeting_cannot_end_before_it_starts(london):
    with pytest.raises(IntegrityError), transaction.atomic():
        MeetingFactory(start=london(2027, 3, 2, 19), end=london(2027, 3, 2, 18))


def test_a_team_cannot_have_two_meetings_at_the_same_time(london):
    team = TeamFactory()
    MeetingFactory(team=team, start=london(2027, 3, 2, 19))
    with pytest.raises(IntegrityError), transaction.atomic():
        MeetingFactory(team=team, start=london(2027, 3, 2, 19))
    # Another team may meet then.
    MeetingFactory(start=london(2027, 3, 2, 19))


def test_clean_explains_an_end_before_the_start_and_a_missing_reason(london):
    meeting = MeetingFactory.build(
        team=TeamFactory(),
        start=london(2027, 3, 2, 19),
        end=london(2027, 3, 2, 19),
        status=Meeting.Status.CANCELLED,
    )
    with pytest.raises(ValidationError) as error:
        meeting.full_clean()
    assert error.value.message_dict["end"] == ["The meeting must end after it starts."]
    assert "why the meeting is cancelled" in error.value.message_dict["status_reason"][0]


def test_sequence_goes_up_when_the_time_place_or_status_changes():
    meeting = MeetingFactory()
    assert meeting.sequence == 0
    meeting = Meeting.objects.get(pk=meeting.pk)
    meeting.start += datetime.timedelta(minutes=30)
    meeting.end += datetime.timedelta(minutes=30)
    meeting.save()
    assert Meeting.objects.get(pk=meeting.pk).sequence == 1
    meeting.venue_name = "Library (sample venue)"
    meeting.save()
    meeting.status = Meeting.Status.CANCELLED
    meeting.status_reason = "The hall flooded."
    meeting.save(update_fields=["status", "status_reason"])
    assert Meeting.objects.get(pk=meeting.pk).sequence == 3


def test_sequence_stays_when_only_the_notes_change():
    meeting = Meeting.objects.get(pk=MeetingFactory().pk)
    meeting.notes = "Twenty residents came."
    meeting.save()
    meeting.save()
    assert Meeting.objects.get(pk=meeting.pk).sequence == 0


def test_the_address_reads_as_words_and_numbers(london):
    meeting = MeetingFactory(
        team=TeamFactory(slug="colchester"),
        start=london(2027, 7, 6, 19, 30),
        end=london(2027, 7, 6, 21),
    )
    assert meeting.when == "Tuesday 6 July 2027, 7:30pm to 9pm"
    assert meeting.get_absolute_url() == f"/meetings/{meeting.pk}/colchester-2027-07-06/"
    assert meeting.location == "Community Hall (sample venue), 1 High Street, Chelmsford, CM1 1AA"


def test_a_schedule_lists_the_first_tuesday_of_each_month():
    schedule = MeetingScheduleFactory(week_of_month=WeekOfMonth.FIRST, weekday=Weekday.TUESDAY)
    days = schedule.occurrences(datetime.date(2027, 1, 1), datetime.date(2027, 4, 30))
    assert days == [
        datetime.date(2027, 1, 5),
        datetime.date(2027, 2, 2),
        datetime.date(2027, 3, 2),
        datetime.date(2027, 4, 6),
    ]
    assert schedule.description == "First Tuesday of each month, 7pm to 8:30pm"


def test_a_schedule_can_be_the_last_wednesday_and_respects_its_dates():
    schedule = MeetingScheduleFactory(
        week_of_month=WeekOfMonth.LAST,
        weekday=Weekday.WEDNESDAY,
        starts_on=datetime.date(2027, 2, 1),
        ends_on=datetime.date(2027, 3, 31),
    )
    days = schedule.occurrences(datetime.date(2027, 1, 1), datetime.date(2027, 12, 31))
    assert days == [datetime.date(2027, 2, 24), datetime.date(2027, 3, 31)]


def test_schedule_times_stay_on_the_wall_clock_across_the_clock_change():
    schedule = MeetingScheduleFactory(start_time=datetime.time(19), end_time=datetime.time(20, 30))
    winter, _ = schedule.start_and_end(datetime.date(2027, 3, 2))
    summer, summer_end = schedule.start_and_end(datetime.date(2027, 4, 6))
    assert timezone.localtime(winter).hour == 19
    assert timezone.localtime(summer).hour == 19
    assert winter.astimezone(datetime.UTC).hour == 19
    assert summer.astimezone(datetime.UTC).hour == 18
    assert summer_end - summer == datetime.timedelta(minutes=90)


def test_a_schedule_must_end_after_it_starts():
    schedule = MeetingScheduleFactory.build(
        team=TeamFactory(), start_time=datetime.time(19), end_time=datetime.time(18)
    )
    with pytest.raises(ValidationError):
        schedule.full_clean()
    with pytest.raises(IntegrityError), transaction.atomic():
        schedule.save()


def test_upcoming_past_and_for_team(london):
    now = london(2027, 3, 10, 12)
    team = TeamFactory()
    past = MeetingFactory(team=team, start=london(2027, 3, 2, 19))
    later = MeetingFactory(team=team, start=london(2027, 5, 4, 19))
    sooner = MeetingFactory(start=london(2027, 4, 6, 19))
    assert list(Meeting.objects.upcoming(now)) == [sooner, later]
    assert list(Meeting.objects.past(now)) == [past]
    assert list(Meeting.objects.for_team(team).upcoming(now)) == [later]


def test_a_meeting_in_progress_is_still_upcoming(london):
    meeting = MeetingFactory(start=london(2027, 3, 2, 19))
    assert list(Meeting.objects.upcoming(london(2027, 3, 2, 20))) == [meeting]


def test_next_for_team_gives_the_teams_next_meetings_soonest_first():
    team = TeamFactory()
    meetings = [MeetingFactory(team=team) for _ in range(3)]
    MeetingFactory()  # another team's
    assert Meeting.objects.next_for_team(team) == meetings[:2]


def test_next_expected_comes_from_the_active_schedules(london):
    MeetingScheduleFactory(week_of_month=WeekOfMonth.FIRST, weekday=Weekday.TUESDAY)
    MeetingScheduleFactory(week_of_month=WeekOfMonth.SECOND, weekday=Weekday.MONDAY)
    MeetingScheduleFactory(week_of_month=WeekOfMonth.FIRST, weekday=Weekday.MONDAY, active=False)
    expected = MeetingSchedule.objects.next_expected(london(2027, 3, 2, 20))
    assert expected == london(2027, 3, 8, 19)
