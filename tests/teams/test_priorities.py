"""Priorities from issue to outcome: the team page, the archive of those dealt with, and the
meeting where each was raised."""

import datetime

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import timezone

from meetings.models import Outcome
from teams.models import Priority
from tests.factories import MeetingFactory, OutcomeFactory, PriorityFactory, TeamFactory

pytestmark = pytest.mark.django_db
HOSTILE = '<script>alert("x")</script>'


@pytest.fixture
def team():
    return TeamFactory(name="Colchester", slug="colchester")


def dealt_with(team, title, day, **fields):
    return PriorityFactory(
        team=team,
        title=title,
        raised_on=datetime.date(2025, 1, 1),
        action="Patrols.",
        actioned_on=datetime.date(2025, 1, 5),
        outcome=f"The outcome of {title}.",
        outcome_on=day,
        status=Priority.Status.CLOSED,
        **fields,
    )


def archive_url(team):
    return reverse("teams:past-priorities", kwargs={"slug": team.slug})


def test_each_stage_shows_with_its_date(client, team):
    PriorityFactory(team=team, title="Speeding", action="", raised_on=datetime.date(2026, 9, 1))
    PriorityFactory(
        team=team,
        title="Shed thefts",
        raised_on=datetime.date(2026, 8, 1),
        action="Shed alarms.",
        actioned_on=datetime.date(2026, 8, 14),
        status=Priority.Status.IN_PROGRESS,
    )
    dealt_with(team, "Graffiti", datetime.date(2026, 7, 30))
    text = client.get(team.get_absolute_url()).content.decode()
    assert "We are looking into it." in text  # raised, nothing done yet
    assert "Shed alarms." in text and "Since 14 August 2026" in text
    assert "The outcome of Graffiti." in text and "Dealt with on 30 July 2026" in text
    assert text.index("Speeding") < text.index("Shed thefts") < text.index("Graffiti")


def test_the_team_page_shows_the_latest_dealt_with_and_links_to_the_rest(client, team):
    for month in range(1, 6):
        dealt_with(team, f"Issue of month {month}", datetime.date(2026, month, 28))
    text = client.get(team.get_absolute_url()).content.decode()
    assert "Issue of month 5" in text and "Issue of month 3" in text
    assert "Issue of month 2" not in text
    assert f'href="{archive_url(team)}">All 5 issues Colchester has dealt with' in text

    archive = client.get(archive_url(team)).content.decode()
    titles = [f"Issue of month {month}" for month in range(5, 0, -1)]
    positions = [archive.index(title) for title in titles]
    assert positions == sorted(positions)  # latest outcome first
    assert archive.count("<h1") == 1


def test_the_archive_leaves_out_current_priorities_and_other_teams(client, team):
    PriorityFactory(team=team, title="Still speeding")
    dealt_with(
        TeamFactory(name="Tendring", slug="tendring"), "Seafront litter", datetime.date(2026, 1, 1)
    )
    archive = client.get(archive_url(team)).content.decode()
    assert "Still speeding" not in archive and "Seafront litter" not in archive
    assert "has not published any issues it has dealt with yet" in archive
    assert (
        client.get(reverse("teams:past-priorities", kwargs={"slug": "nowhere"})).status_code == 404
    )


def test_a_priority_shows_the_meeting_where_it_was_raised_and_its_you_said_we_did(client, team):
    priority = PriorityFactory(team=team, title="Speeding on the High Street")
    past = timezone.now() - datetime.timedelta(days=30)
    meeting = MeetingFactory(
        team=team, start=past, end=past + datetime.timedelta(hours=1), notes_published=True
    )
    row = OutcomeFactory(meeting=meeting, priority=priority)
    text = client.get(team.get_absolute_url()).content.decode()
    assert f'href="{meeting.get_absolute_url()}">the meeting on' in text
    assert f'href="{meeting.get_absolute_url()}#you-said-{row.pk}"' in text
    meeting_page = client.get(meeting.get_absolute_url()).content.decode()
    assert f'id="you-said-{row.pk}"' in meeting_page


def test_you_said_we_did_is_linked_only_once_the_notes_are_published(client, team):
    priority = PriorityFactory(team=team)
    meeting = MeetingFactory(team=team)  # still to come
    OutcomeFactory(meeting=meeting, priority=priority)
    text = client.get(team.get_absolute_url()).content.decode()
    assert f'href="{meeting.get_absolute_url()}">the meeting on' in text
    assert "#you-said-" not in text


def test_a_meeting_cannot_name_another_teams_priority(team):
    theirs = PriorityFactory(team=TeamFactory(name="Tendring", slug="tendring"))
    outcome = Outcome(meeting=MeetingFactory(team=team), concern="Litter", priority=theirs)
    with pytest.raises(ValidationError, match="priorities of the team that held the meeting"):
        outcome.full_clean()


def test_hostile_text_in_every_stage_shows_as_text(client, team):
    priority = dealt_with(team, HOSTILE, datetime.date(2026, 1, 1))
    Priority.objects.filter(pk=priority.pk).update(action=HOSTILE, outcome=HOSTILE)
    OutcomeFactory(meeting=MeetingFactory(team=team), priority=priority, concern=HOSTILE)
    for url in (team.get_absolute_url(), archive_url(team)):
        text = client.get(url).content.decode()
        assert "<script>alert" not in text
        assert "&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt;" in text


def test_a_closed_priority_needs_an_outcome_and_its_date():
    priority = Priority(
        title="Speeding", raised_on=datetime.date(2026, 1, 1), status=Priority.Status.CLOSED
    )
    with pytest.raises(ValidationError) as refused:
        priority.clean()
    assert set(refused.value.message_dict) == {"outcome", "outcome_on"}


def test_one_issue_dealt_with_is_named_as_one(client, team):
    dealt_with(team, "Shed thefts", datetime.date(2026, 5, 28))
    text = client.get(team.get_absolute_url()).content.decode()
    assert f'href="{archive_url(team)}">The issue Colchester has dealt with</a>' in text
    assert "All 1 issue" not in text
