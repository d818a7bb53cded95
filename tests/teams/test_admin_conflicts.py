"""Two editors with one record open: the second save never silently undoes the first."""

import pytest
from django.contrib.auth.models import Group
from django.test import Client
from django.urls import reverse

from meetings.models import Meeting
from teams.models import FORCE_ADMINISTRATORS, DutyPeriod, Officer, Team
from tests.admin_pages import change_form_data, change_url
from tests.factories import (
    DutyPeriodFactory,
    MeetingFactory,
    OfficerFactory,
    TeamEditorFactory,
    TeamFactory,
    UserFactory,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def team():
    return TeamFactory(name="Tendring", slug="tendring", phone="01255 000000")


def editor_client(team, username, first_name):
    user = TeamEditorFactory(
        username=username, first_name=first_name, last_name="Editor", teams=[team]
    )
    client = Client()
    client.force_login(user)
    return client


@pytest.fixture
def alice(team):
    return editor_client(team, "alice", "Alice")


@pytest.fixture
def bob(team):
    return editor_client(team, "bob", "Bob")


def open_page(client, obj):
    response = client.get(change_url(obj))
    assert response.status_code == 200
    return change_form_data(response)


def save(client, obj, data):
    return client.post(change_url(obj), {**data, "_continue": "Save and continue editing"})


def test_a_stale_meeting_save_is_refused_and_keeps_the_cancellation(alice, bob, team):
    meeting = MeetingFactory(team=team, agenda="1. Welcome")
    alices_page = open_page(alice, meeting)
    bobs_page = open_page(bob, meeting)

    cancelled = save(
        alice,
        meeting,
        {**alices_page, "status": "cancelled", "status_reason": "The hall is flooded."},
    )
    assert cancelled.status_code == 302

    refused = save(bob, meeting, {**bobs_page, "agenda": "1. Welcome\n2. Speeding"})
    page = refused.content.decode()
    assert refused.status_code == 200
    assert "changed this record after you opened it" in page
    assert "Alice Editor" in page  # who
    assert "The hall is flooded." in page  # what
    assert "2. Speeding" in page  # Bob's typing is kept
    meeting.refresh_from_db()
    assert meeting.status == Meeting.Status.CANCELLED
    assert meeting.agenda == "1. Welcome"

    # Saving the page as shown keeps Alice's cancellation and adds Bob's agenda.
    again = save(bob, meeting, change_form_data(refused))
    assert again.status_code == 302
    meeting.refresh_from_db()
    assert meeting.status == Meeting.Status.CANCELLED
    assert meeting.status_reason == "The hall is flooded."
    assert meeting.agenda == "1. Welcome\n2. Speeding"


def test_a_field_both_changed_keeps_what_the_second_editor_typed(alice, bob, team):
    meeting = MeetingFactory(team=team, agenda="1. Welcome")
    alices_page, bobs_page = open_page(alice, meeting), open_page(bob, meeting)
    save(alice, meeting, {**alices_page, "agenda": "Alice's agenda"})
    refused = save(bob, meeting, {**bobs_page, "agenda": "Bob's agenda"})
    assert refused.status_code == 200
    data = change_form_data(refused)
    assert data["agenda"] == "Bob's agenda"
    assert "Alice&#x27;s agenda" in refused.content.decode()  # shown as what is saved now


def test_team_page_keeps_a_colleagues_phone_and_duty_hours(alice, bob, team):
    period = DutyPeriodFactory(team=team)
    alices_page, bobs_page = open_page(alice, team), open_page(bob, team)
    prefix = "duty_periods-0-"
    assert alices_page[prefix + "id"] == str(period.pk)
    alices_page.update({"phone": "01255 111111", prefix + "end": "23:00"})
    assert save(alice, team, alices_page).status_code == 302

    refused = save(bob, team, {**bobs_page, "summary": "Bob's summary"})
    assert refused.status_code == 200
    page = refused.content.decode()
    assert "01255 111111" in page
    again = save(bob, team, change_form_data(refused))
    assert again.status_code == 302, again.content.decode()
    team.refresh_from_db()
    period.refresh_from_db()
    assert team.phone == "01255 111111"
    assert team.summary == "Bob's summary"
    assert period.end.hour == 23


def test_an_officer_deleted_meanwhile_is_reported_not_an_invisible_error(alice, bob, team):
    OfficerFactory(team=team, name="Alex Staying")
    leaving = OfficerFactory(team=team, name="Drew Leaving")
    bobs_page = open_page(bob, team)
    leaving_delete = reverse("admin:teams_officer_delete", args=[leaving.pk])
    assert alice.post(leaving_delete, {"post": "yes"}).status_code == 302

    refused = save(bob, team, {**bobs_page, "summary": "Bob's summary"})
    page = refused.content.decode()
    assert refused.status_code == 200
    assert "Drew Leaving" in page and "deleted" in page
    assert "Alice Editor" in page

    again = save(bob, team, change_form_data(refused))
    assert again.status_code == 302, again.content.decode()
    team.refresh_from_db()
    assert team.summary == "Bob's summary"
    assert list(Officer.objects.filter(team=team).values_list("name", flat=True)) == [
        "Alex Staying"
    ]


def test_a_page_with_a_mistake_still_catches_a_colleagues_save(alice, bob, team):
    period = DutyPeriodFactory(team=team)
    bobs_page = open_page(bob, team)
    mistake = save(bob, team, {**bobs_page, "email": "not an address"})
    assert mistake.status_code == 200
    assert "changed this record" not in mistake.content.decode()

    alices_page = open_page(alice, team)
    save(alice, team, {**alices_page, "duty_periods-0-start": "09:00"})
    fixed = save(bob, team, {**change_form_data(mistake), "email": "tendring@example.org"})
    assert "changed this record after you opened it" in fixed.content.decode()
    period.refresh_from_db()
    assert period.start.hour == 9


def test_an_unchanged_record_saves_as_before(bob, team):
    DutyPeriodFactory(team=team)
    saved = save(bob, team, {**open_page(bob, team), "summary": "New summary"})
    assert saved.status_code == 302
    assert Team.objects.get(pk=team.pk).summary == "New summary"
    assert DutyPeriod.objects.filter(team=team).count() == 1


def test_a_force_administrator_is_checked_too(team):
    admin_user = UserFactory(username="force")
    admin_user.groups.add(Group.objects.get(name=FORCE_ADMINISTRATORS))
    first, second = Client(), Client()
    first.force_login(admin_user)
    second.force_login(admin_user)
    officer = OfficerFactory(team=team, name="Sam Officer")
    page_one, page_two = open_page(first, officer), open_page(second, officer)
    assert save(first, officer, {**page_one, "role": "Beat manager"}).status_code == 302
    refused = save(second, officer, {**page_two, "name": "Sam Officer-Smith"})
    assert refused.status_code == 200
    assert "Beat manager" in refused.content.decode()
