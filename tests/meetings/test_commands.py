from io import StringIO

import pytest
from django.core.management import CommandError, call_command

from meetings.models import Meeting, MeetingSchedule
from tests.factories import MeetingScheduleFactory, TeamFactory

pytestmark = pytest.mark.django_db


def run(*args) -> str:
    out = StringIO()
    call_command(*args, stdout=out)
    return out.getvalue()


def test_generate_meetings_creates_each_schedules_meetings_once():
    schedule = MeetingScheduleFactory(team=TeamFactory(name="Braintree"))
    output = run("generate_meetings", "--months", "3")
    created = Meeting.objects.filter(schedule=schedule).count()
    assert created in (3, 4)
    assert f"Created {created} meetings." in output
    assert "Created 0 meetings." in run("generate_meetings", "--months", "3")


def test_generate_meetings_for_one_team():
    MeetingScheduleFactory(team=TeamFactory(slug="tendring"))
    MeetingScheduleFactory(team=TeamFactory(slug="thurrock"))
    run("generate_meetings", "--team", "tendring")
    assert set(Meeting.objects.values_list("team__slug", flat=True)) == {"tendring"}


@pytest.mark.parametrize(
    ("args", "message"),
    [(["--months", "0"], "between 1 and 24"), (["--team", "atlantis"], "atlantis")],
)
def test_generate_meetings_explains_bad_arguments(args, message):
    with pytest.raises(CommandError, match=message):
        run("generate_meetings", *args)


def test_demo_meetings_skip_clearly_without_teams():
    assert "No teams yet" in run("load_demo_meetings")
    assert not Meeting.objects.exists()


def test_demo_meetings_give_every_team_meetings_past_and_future_once():
    teams = [TeamFactory(slug=slug) for slug in ("basildon", "braintree", "colchester", "harlow")]
    run("load_demo_meetings")
    for team in teams:
        assert Meeting.objects.for_team(team).upcoming().count() >= 6
        past = Meeting.objects.for_team(team).past()
        assert past.exists()
        assert all(meeting.notes_published and meeting.outcomes.exists() for meeting in past)
    assert Meeting.objects.filter(status=Meeting.Status.CANCELLED).count() == 1
    assert Meeting.objects.filter(status=Meeting.Status.MOVED).count() == 1
    assert all(
        "(sample venue)" in name for name in Meeting.objects.values_list("venue_name", flat=True)
    )
    counts = (MeetingSchedule.objects.count(), Meeting.objects.count())
    assert "0 new" in run("load_demo_meetings")
    assert (MeetingSchedule.objects.count(), Meeting.objects.count()) == counts
    assert Meeting.objects.filter(status=Meeting.Status.CANCELLED).count() == 1
