"""Team editors keep their own teams' meetings and schedules, and no one else's."""

import datetime

import pytest
from django.contrib.auth.models import Permission
from django.urls import reverse
from django.utils import timezone

from meetings.models import Meeting, MeetingSchedule
from tests.admin_pages import admin_form_data
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
    }
    return admin_form_data({**data, **changes}, outcomes=[])


def test_an_editor_sees_only_their_teams_meetings(client, editor, mine, theirs):
    MeetingFactory(team=mine, venue_name="Basildon Hall")
    MeetingFactory(team=theirs, venue_name="Southend Hall")
    response = client.get(reverse("admin:meetings_meeting_changelist"))
    assert response.status_code == 200
    shown = {meeting.team.name for meeting in response.context["cl"].result_list}
    assert shown == {"Basildon"}


def test_an_editor_cannot_open_another_teams_meeting(client, editor, theirs):
    meeting = MeetingFactory(team=theirs, venue_name="Southend Hall")
    response = client.get(reverse("admin:meetings_meeting_change", args=[meeting.pk]))
    assert response.status_code == 403
    html = response.content.decode()
    assert "This belongs to another team" in html
    assert "doesn’t exist" not in html and "Southend Hall" not in html
    # One that really does not exist is still Django's "doesn't exist".
    missing = client.get(reverse("admin:meetings_meeting_change", args=[meeting.pk + 100]))
    assert missing.status_code == 302


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
    assert response.status_code == 403
    assert "This belongs to another team" in response.content.decode()
    assert MeetingSchedule.objects.count() == 2


def test_a_superuser_sees_every_team(client, mine, theirs):
    client.force_login(UserFactory(is_superuser=True))
    MeetingFactory(team=mine)
    MeetingFactory(team=theirs)
    response = client.get(reverse("admin:meetings_meeting_changelist"))
    shown = {meeting.team.name for meeting in response.context["cl"].result_list}
    assert shown == {"Basildon", "Southend"}


def test_a_postcode_typed_in_lower_case_is_saved_as_residents_read_it(client, editor, mine):
    response = client.post(
        reverse("admin:meetings_meeting_add"),
        meeting_form(mine, postcode="cm1 7ae", title="Street meeting: Moulsham Street"),
    )
    assert response.status_code == 302, response.content.decode()
    meeting = Meeting.objects.get()
    assert meeting.postcode == "CM1 7AE"
    page = client.get(meeting.get_absolute_url()).content.decode()
    assert "CM1 7AE" in page and "cm1 7ae" not in page
    calendar = client.get(reverse("meetings:calendar", args=[meeting.pk])).content.decode()
    assert "CM1 7AE" in calendar
    # The title as typed: no team name stuck on the front.
    assert "Street meeting: Moulsham Street" in page
    assert "Basildon Street meeting" not in page and "Basildon Street meeting" not in calendar


def test_a_postcode_that_is_not_one_is_refused_with_a_clear_message(client, editor, mine):
    response = client.post(
        reverse("admin:meetings_meeting_add"), meeting_form(mine, postcode="church")
    )
    assert response.status_code == 200
    assert "Enter a full UK postcode, like CM1 7AE." in response.content.decode()
    assert not Meeting.objects.exists()


def test_a_schedules_postcode_is_normalised_too(mine):
    schedule = MeetingScheduleFactory(team=mine, postcode=" ss1 1aa ")
    schedule.refresh_from_db()
    assert schedule.postcode == "SS1 1AA"


def test_the_meeting_list_shows_upcoming_soonest_first_then_the_most_recent_past(
    client, editor, mine
):
    now = timezone.now()
    for days, title in [(-30, "Long ago"), (20, "Later"), (-2, "Just gone"), (3, "Soon")]:
        start = now + datetime.timedelta(days=days)
        MeetingFactory(team=mine, title=title, start=start, end=start + datetime.timedelta(hours=1))
    response = client.get(reverse("admin:meetings_meeting_changelist"))
    titles = [meeting.title for meeting in response.context["cl"].result_list]
    assert titles == ["Soon", "Later", "Just gone", "Long ago"]


def test_the_meeting_page_shows_no_technical_fields(client, editor, mine):
    meeting = MeetingFactory(team=mine)
    html = client.get(reverse("admin:meetings_meeting_change", args=[meeting.pk])).content.decode()
    assert "Sequence" not in html
    assert 'name="team"' in html and 'type="hidden"' in html
