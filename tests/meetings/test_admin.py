"""Team editors keep their own teams' meetings and schedules, and no one else's."""

import pytest
from django.contrib.auth.models import Permission
from django.urls import reverse

from meetings.models import Meeting, MeetingSchedule
from tests.factories import MeetingFactory, MeetingScheduleFactory, TeamFactory, UserFactory

pytestmark = pytest.mark.django_db

MEETING_PERMISSIONS = [
    f"{action}_{model}"
    for model in ("meeting", "meetingschedule", "outcome")
    for action in ("view", "add", "change", "delete")
]


@pytest.fixture
def mine():
    return TeamFactory(name="Basildon", slug="basildon")


@pytest.fixture
def theirs():
    return TeamFactory(name="Southend", slug="southend")


@pytest.fixture
def editor(client, mine):
    user = UserFactory()
    user.user_permissions.add(
        *Permission.objects.filter(
            content_type__app_label="meetings", codename__in=MEETING_PERMISSIONS
        )
    )
    mine.editors.add(user)
    client.force_login(user)
    return user


def meeting_form(team, **changes):
    """The admin's meeting form as a browser would post it."""
    data = {
        "team": team.pk,
        "title": "Local Community Meeting",
        "start_0": "03/03/2099",
        "start_1": "19:00",
        "end_0": "03/03/2099",
        "end_1": "20:30",
        "agenda": "",
        "status": "scheduled",
        "status_reason": "",
        "venue_name": "Hall",
        "address": "High Street",
        "postcode": "SS1 1AA",
        "step_free_access": "unknown",
        "hearing_loop": "unknown",
        "parking": "",
        "accessibility_notes": "",
        "online_link": "",
        "notes": "",
        "outcomes-TOTAL_FORMS": "0",
        "outcomes-INITIAL_FORMS": "0",
        "outcomes-MIN_NUM_FORMS": "0",
        "outcomes-MAX_NUM_FORMS": "1000",
    }
    return {**data, **changes}


def test_an_editor_sees_only_their_teams_meetings(client, editor, mine, theirs):
    MeetingFactory(team=mine, venue_name="Basildon Hall")
    MeetingFactory(team=theirs, venue_name="Southend Hall")
    response = client.get(reverse("admin:meetings_meeting_changelist"))
    assert response.status_code == 200
    html = response.content.decode()
    assert "Basildon: Local Community Meeting" in html
    assert "Southend: Local Community Meeting" not in html


def test_an_editor_cannot_open_another_teams_meeting(client, editor, theirs):
    meeting = MeetingFactory(team=theirs)
    response = client.get(reverse("admin:meetings_meeting_change", args=[meeting.pk]))
    # Django's "doesn't exist" answer: back to the admin home with a message.
    assert response.status_code == 302
    assert reverse("admin:meetings_meeting_change", args=[meeting.pk]) not in response["Location"]


def test_an_editor_cannot_change_another_teams_meeting_by_post(client, editor, mine, theirs):
    meeting = MeetingFactory(team=theirs, venue_name="Southend Hall")
    client.post(
        reverse("admin:meetings_meeting_change", args=[meeting.pk]),
        meeting_form(theirs, venue_name="Taken over"),
    )
    client.post(
        reverse("admin:meetings_meeting_change", args=[meeting.pk]),
        meeting_form(mine, venue_name="Moved to my team"),
    )
    meeting.refresh_from_db()
    assert meeting.team == theirs
    assert meeting.venue_name == "Southend Hall"


def test_an_editor_cannot_add_a_meeting_for_another_team(client, editor, theirs):
    response = client.post(reverse("admin:meetings_meeting_add"), meeting_form(theirs))
    assert response.status_code == 200
    assert "Select a valid choice" in response.content.decode()
    assert not Meeting.objects.exists()


def test_an_editor_can_add_and_change_their_own_teams_meeting(client, editor, mine):
    response = client.post(reverse("admin:meetings_meeting_add"), meeting_form(mine))
    assert response.status_code == 302, response.content.decode()
    meeting = Meeting.objects.get()
    assert meeting.team == mine
    response = client.post(
        reverse("admin:meetings_meeting_change", args=[meeting.pk]),
        meeting_form(mine, status="cancelled", status_reason="The hall flooded."),
    )
    assert response.status_code == 302
    meeting.refresh_from_db()
    assert meeting.is_cancelled
    assert meeting.sequence == 1


def test_cancelling_without_a_reason_is_refused_with_a_message(client, editor, mine):
    meeting = MeetingFactory(team=mine)
    response = client.post(
        reverse("admin:meetings_meeting_change", args=[meeting.pk]),
        meeting_form(mine, status="cancelled"),
    )
    assert response.status_code == 200
    assert "Tell residents why the meeting is cancelled" in response.content.decode()


def test_the_schedule_action_creates_meetings_only_for_the_editors_teams(
    client, editor, mine, theirs
):
    my_schedule = MeetingScheduleFactory(team=mine)
    their_schedule = MeetingScheduleFactory(team=theirs)
    response = client.post(
        reverse("admin:meetings_meetingschedule_changelist"),
        {"action": "create_meetings", "_selected_action": [my_schedule.pk, their_schedule.pk]},
        follow=True,
    )
    created = Meeting.objects.filter(team=mine).count()
    assert created >= 6
    assert f"Created {created} meetings" in response.content.decode()
    assert not Meeting.objects.filter(team=theirs).exists()
    # Running it again adds nothing.
    response = client.post(
        reverse("admin:meetings_meetingschedule_changelist"),
        {"action": "create_meetings", "_selected_action": [my_schedule.pk]},
        follow=True,
    )
    assert "Created 0 meetings" in response.content.decode()


def test_an_editor_sees_only_their_teams_schedules(client, editor, mine, theirs):
    MeetingScheduleFactory(team=mine)
    theirs_schedule = MeetingScheduleFactory(team=theirs)
    html = client.get(reverse("admin:meetings_meetingschedule_changelist")).content.decode()
    assert "Basildon: First Tuesday" in html
    assert "Southend: First Tuesday" not in html
    response = client.get(
        reverse("admin:meetings_meetingschedule_change", args=[theirs_schedule.pk])
    )
    assert response.status_code == 302
    assert MeetingSchedule.objects.count() == 2


def test_a_superuser_sees_every_team(client, mine, theirs):
    client.force_login(UserFactory(is_superuser=True))
    MeetingFactory(team=mine)
    MeetingFactory(team=theirs)
    html = client.get(reverse("admin:meetings_meeting_changelist")).content.decode()
    assert "Basildon: Local Community Meeting" in html
    assert "Southend: Local Community Meeting" in html
