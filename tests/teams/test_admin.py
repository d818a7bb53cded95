"""Per-team editors reach only their own teams' records; force administrators reach all."""

import pytest
from django.contrib.auth.models import Group
from django.urls import reverse

from teams.models import (
    FORCE_ADMINISTRATORS,
    TEAM_EDITORS,
    DutyPeriod,
    NeighbouringForce,
    Officer,
    Priority,
    Team,
)
from tests.admin_pages import admin_form_data, change_url
from tests.factories import (
    DistrictFactory,
    DutyPeriodFactory,
    OfficerFactory,
    PostcodeFactory,
    PriorityFactory,
    TeamEditorFactory,
    TeamFactory,
    UserFactory,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def teams():
    return TeamFactory(name="Colchester", slug="colchester"), TeamFactory(
        name="Tendring", slug="tendring"
    )


@pytest.fixture
def editor(client, teams):
    user = TeamEditorFactory(username="colchester-editor", teams=[teams[0]])
    client.force_login(user)
    return user


def test_the_staff_groups_exist_after_migrate():
    editors = Group.objects.get(name=TEAM_EDITORS)
    assert editors.permissions.filter(codename="change_officer").exists()
    assert not editors.permissions.filter(codename="change_district").exists()
    assert Group.objects.filter(name=FORCE_ADMINISTRATORS).exists()


def test_an_editor_lists_only_their_teams_records(client, editor, teams):
    mine, theirs = teams
    OfficerFactory(team=mine, name="Alex Mine")
    OfficerFactory(team=theirs, name="Blake Theirs")
    PriorityFactory(team=mine, title="Speeding on the High Street")
    PriorityFactory(team=theirs, title="Dog fouling on the seafront")

    officers = client.get(reverse("admin:teams_officer_changelist")).content.decode()
    assert "Alex Mine" in officers
    assert "Blake Theirs" not in officers

    priorities = client.get(reverse("admin:teams_priority_changelist")).content.decode()
    assert "Speeding on the High Street" in priorities
    assert "Dog fouling" not in priorities

    team_list = client.get(reverse("admin:teams_team_changelist")).content.decode()
    assert "Colchester" in team_list
    assert "Tendring" not in team_list


@pytest.mark.parametrize("factory", [OfficerFactory, DutyPeriodFactory, PriorityFactory])
def test_an_editor_cannot_open_another_teams_record_by_its_url(client, editor, teams, factory):
    record = factory(team=teams[1])
    for address in (change_url(record), change_url(teams[1])):
        response = client.get(address)
        assert response.status_code == 403
        html = response.content.decode()
        assert "This belongs to another team" in html
        assert "doesn’t exist" not in html
    meta = record._meta
    delete = reverse(f"admin:{meta.app_label}_{meta.model_name}_delete", args=[record.pk])
    assert client.get(delete).status_code == 403
    assert type(record).objects.filter(pk=record.pk).exists()


def test_a_record_that_does_not_exist_still_says_so(client, editor):
    response = client.get(reverse("admin:teams_officer_change", args=[999999]), follow=True)
    assert "doesn’t exist" in response.content.decode()


def test_an_editor_cannot_change_another_teams_officer_by_post(client, editor, teams):
    officer = OfficerFactory(team=teams[1], name="Blake Theirs")
    client.post(
        change_url(officer),
        {"team": teams[1].pk, "name": "Changed", "rank": "constable", "order": 0},
    )
    officer.refresh_from_db()
    assert officer.name == "Blake Theirs"


def test_an_editor_cannot_delete_another_teams_priority(client, editor, teams):
    priority = PriorityFactory(team=teams[1])
    url = reverse("admin:teams_priority_delete", args=[priority.pk])
    client.post(url, {"post": "yes"})
    assert Priority.objects.filter(pk=priority.pk).exists()


def test_an_editor_cannot_add_an_officer_to_another_team(client, editor, teams):
    response = client.post(
        reverse("admin:teams_officer_add"),
        {"team": teams[1].pk, "name": "Sneaky", "rank": "constable", "order": 0},
    )
    assert response.status_code == 200
    assert "Select a valid choice" in response.content.decode()
    assert not Officer.objects.filter(name="Sneaky").exists()


def test_an_editor_adds_an_officer_to_their_own_team(client, editor, teams):
    response = client.post(
        reverse("admin:teams_officer_add"),
        {
            "team": teams[0].pk,
            "name": "New Starter",
            "rank": "pcso",
            "order": 3,
            "active": "on",
            "reviewed_on": "2026-11-01",
        },
    )
    assert response.status_code == 302
    assert Officer.objects.get(name="New Starter").team == teams[0]


def test_an_editors_team_choices_list_only_their_teams(client, editor, teams):
    TeamFactory(name="Harwich", slug="harwich").editors.add(editor)
    page = client.get(reverse("admin:teams_dutyperiod_add")).content.decode()
    assert "Colchester" in page and "Harwich" in page
    assert "Tendring" not in page


@pytest.mark.parametrize("model", ["officer", "dutyperiod", "priority"])
def test_an_editor_of_one_team_finds_the_team_already_set(client, editor, teams, model):
    response = client.get(reverse(f"admin:teams_{model}_add"))
    field = response.context["adminform"].form["team"]
    assert field.is_hidden
    assert field.value() == teams[0].pk
    assert "Tendring" not in response.content.decode()


def test_a_force_administrator_still_chooses_the_team(client, teams):
    client.force_login(UserFactory(is_superuser=True, is_staff=True))
    response = client.get(reverse("admin:teams_officer_add"))
    field = response.context["adminform"].form["team"]
    assert not field.is_hidden
    assert "Colchester" in response.content.decode() and "Tendring" in response.content.decode()


def test_an_editor_adds_a_priority_raised_today_without_typing_the_date(client, editor, teams):
    from django.utils import timezone

    response = client.get(reverse("admin:teams_priority_add"))
    assert response.context["adminform"].form["raised_on"].value() == timezone.localdate()


def test_an_editor_cannot_add_teams_or_change_districts(client, editor, teams):
    assert client.get(reverse("admin:teams_team_add")).status_code == 403
    district = DistrictFactory(team=teams[0])
    assert client.get(change_url(district)).status_code == 403
    page = client.get(change_url(teams[0])).content.decode()
    assert district.name in page  # shown, but not as a field the editor can change
    assert 'name="editors"' not in page
    assert 'name="slug"' not in page


def test_an_editor_edits_their_teams_hours_in_the_team_page(client, editor, teams):
    team = teams[0]
    page = client.get(change_url(team))
    assert page.status_code == 200
    data = admin_form_data(
        {
            "summary": "New summary",
            "description": "",
            "email": "",
            "phone": "",
            "duty_note": "",
            "inspector": "",
        },
        officers=[],
        duty_periods=[{"weekday": "4", "start": "08:00", "end": "02:00"}],
        priorities=[],
    )
    response = client.post(change_url(team), data)
    assert response.status_code == 302, response.content.decode()
    team.refresh_from_db()
    assert team.summary == "New summary"
    assert DutyPeriod.objects.get(team=team).end.hour == 2


def test_a_force_administrator_sees_every_team(client, teams):
    user = UserFactory(username="admin-officer")
    user.groups.add(Group.objects.get(name=FORCE_ADMINISTRATORS))
    client.force_login(user)
    page = client.get(reverse("admin:teams_team_changelist")).content.decode()
    assert "Colchester" in page and "Tendring" in page
    assert client.get(reverse("admin:teams_team_add")).status_code == 200


def test_staff_outside_any_team_see_no_teams(client, teams):
    user = TeamEditorFactory(username="no-team")
    client.force_login(user)
    page = client.get(reverse("admin:teams_team_changelist")).content.decode()
    assert "Colchester" not in page
    assert Team.objects.for_editor(user).count() == 0


def duty_post(team, periods):
    return admin_form_data(
        {"summary": team.summary, "duty_note": team.duty_note},
        officers=[],
        duty_periods=[
            {"weekday": str(weekday), "start": start, "end": end} for weekday, start, end in periods
        ],
        priorities=[],
    )


def test_overlapping_hours_are_refused_with_a_clear_message(client, editor, teams):
    team = teams[0]
    response = client.post(
        change_url(team), duty_post(team, [(4, "08:00", "02:00"), (5, "01:00", "09:00")])
    )
    assert response.status_code == 200
    assert (
        "The Friday hours (8am to 2am on Saturday) overlap the Saturday hours (1am to 9am)"
        in response.content.decode()
    )
    assert not DutyPeriod.objects.filter(team=team).exists()


def test_hours_ending_when_they_start_are_refused(client, editor, teams):
    team = teams[0]
    response = client.post(change_url(team), duty_post(team, [(0, "08:00", "08:00")]))
    assert "The end time must be different from the start time" in response.content.decode()
    assert not DutyPeriod.objects.filter(team=team).exists()


def test_an_officer_without_a_rank_is_refused_with_a_clear_message(client, editor, teams):
    response = client.post(
        reverse("admin:teams_officer_add"),
        {"team": teams[0].pk, "name": "No Rank", "rank": "", "order": 0},
    )
    assert "Choose the officer&#x27;s rank, such as Police Constable." in response.content.decode()
    assert not Officer.objects.filter(name="No Rank").exists()


def test_an_editor_sees_their_change_in_the_history(client, editor, teams):
    officer = OfficerFactory(team=teams[0], name="Alex Mine")
    client.post(
        change_url(officer),
        {
            "team": teams[0].pk,
            "name": "Alex Mine",
            "rank": "sergeant",
            "order": 0,
            "active": "on",
            "reviewed_on": f"{officer.reviewed_on:%Y-%m-%d}",
        },
    )
    history = client.get(reverse("admin:teams_officer_history", args=[officer.pk]))
    assert "Changed Rank" in history.content.decode()


@pytest.mark.parametrize(
    "model", ["team", "communitysafetypartnership", "neighbouringforce", "district", "ward"]
)
def test_a_force_administrator_can_open_every_add_form(client, model):
    client.force_login(UserFactory(username="super", is_superuser=True))
    assert client.get(reverse(f"admin:teams_{model}_add")).status_code == 200


@pytest.mark.parametrize(
    "model",
    [
        "team",
        "officer",
        "dutyperiod",
        "priority",
        "district",
        "ward",
        "postcode",
        "communitysafetypartnership",
        "neighbouringforce",
    ],
)
def test_a_force_administrator_can_list_and_search_every_model(client, model):
    PostcodeFactory()
    OfficerFactory()
    client.force_login(UserFactory(username="super", is_superuser=True))
    url = reverse(f"admin:teams_{model}_changelist")
    assert client.get(url).status_code == 200
    assert client.get(url, {"q": "CM1"}).status_code == 200


def test_the_admin_home_shows_what_is_stale_or_missing_in_the_editors_team(client, editor, teams):
    import datetime

    from django.utils import timezone

    today = timezone.localdate()
    old = today - datetime.timedelta(days=91)
    colchester, tendring = teams
    colchester.phone = colchester.email = ""
    colchester.save()
    OfficerFactory(team=colchester, name="Sam Stale", reviewed_on=old)
    OfficerFactory(team=colchester, name="Fran Fresh", reviewed_on=today)
    PriorityFactory(team=colchester, title="Parking at the school gate", reviewed_on=old)
    OfficerFactory(team=tendring, name="Theirs Stale", reviewed_on=old)
    html = client.get(reverse("admin:index")).content.decode()
    attention = html[html.index('id="needs-attention"') :]
    assert "Sam Stale: not reviewed since" in attention
    assert "Fran Fresh" not in attention
    assert "“Parking at the school gate”: not reviewed since" in attention
    assert "No upcoming Local Community Meeting" in attention
    assert "No duty hours" in attention
    assert "No phone number or email for residents" in attention
    assert "Theirs Stale" not in html and "Tendring" not in attention


def test_a_force_administrator_sees_every_teams_gaps(client, teams):
    client.force_login(UserFactory(is_superuser=True, is_staff=True))
    html = client.get(reverse("admin:index")).content.decode()
    attention = html[html.index('id="needs-attention"') :]
    assert "<h3>Colchester</h3>" in attention and "<h3>Tendring</h3>" in attention


def test_a_looked_after_team_needs_nothing(client, editor, teams):
    from tests.factories import MeetingFactory

    DutyPeriodFactory(team=teams[0])
    MeetingFactory(team=teams[0])
    teams[0].phone = "01632 960 001"
    teams[0].save()
    html = client.get(reverse("admin:index")).content.decode()
    assert 'id="needs-attention"' not in html


def test_a_web_address_typed_without_https_is_saved_with_it(client):
    client.force_login(UserFactory(is_superuser=True))
    response = client.post(
        reverse("admin:teams_neighbouringforce_add"),
        {"name": "Kent Police", "website": "www.kent.police.uk"},
    )
    assert response.status_code == 302
    assert NeighbouringForce.objects.get(name="Kent Police").website == "https://www.kent.police.uk"
