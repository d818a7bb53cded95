import datetime

import pytest
from django.urls import reverse
from django.utils import timezone
from playwright.sync_api import expect

from meetings.services import meeting_cancel
from tests.factories import MeetingFactory, OutcomeFactory, TeamFactory

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture
def teams():
    return [
        TeamFactory(name="Basildon", slug="basildon"),
        TeamFactory(name="Colchester", slug="colchester"),
    ]


def test_a_resident_finds_their_teams_next_meeting(page, url, check_page, teams):
    basildon, colchester = teams
    for _ in range(6):
        MeetingFactory(team=basildon)
        MeetingFactory(team=colchester)
    page.goto(url(reverse("meetings:list")))
    expect(page.locator("h1")).to_have_text("Local Community Meetings")
    expect(page).to_have_title("Local Community Meetings – Essex Police Community Policing")
    expect(page.get_by_role("navigation", name="Pages of meetings")).to_be_visible()
    check_page(page, "meetings-list")

    page.get_by_label("Team").select_option(label="Colchester")
    page.get_by_role("button", name="Show meetings").click()
    expect(page.locator("h1")).to_contain_text("Colchester")
    expect(page.get_by_role("heading", name="Upcoming meetings for Colchester")).to_be_visible()
    expect(page.get_by_text("Basildon Local Community Meeting")).to_have_count(0)
    check_page(page, "meetings-list-team")

    page.get_by_role("link", name="Colchester Local Community Meeting").first.click()
    expect(page.get_by_role("button", name="Add to calendar")).to_be_visible()


def test_an_unknown_team_is_explained(page, url, check_page, teams):
    page.goto(url(reverse("meetings:list") + "?team=atlantis"))
    expect(page).to_have_title("Error: Local Community Meetings – Essex Police Community Policing")
    expect(page.get_by_role("alert")).to_contain_text("We don’t know that team.")
    check_page(page, "meetings-list-error")


def test_a_meeting_page(page, url, check_page, teams):
    meeting = MeetingFactory(
        team=teams[0],
        step_free_access=True,
        hearing_loop=True,
        parking="Free car park behind the hall",
        agenda="1. Welcome\n2. Your concerns\n3. What the team has done",
    )
    page.goto(url(meeting.get_absolute_url()))
    expect(page.locator("h1")).to_contain_text("Local Community Meeting")
    expect(page.get_by_text("7pm to 8:30pm", exact=True)).to_be_visible()
    expect(page.get_by_text("Free car park behind the hall")).to_be_visible()
    link = page.get_by_role("button", name="Add to calendar")
    expect(link).to_have_attribute("href", reverse("meetings:calendar", args=[meeting.pk]))
    check_page(page, "meeting")


def test_a_cancelled_meeting(page, url, check_page, teams):
    meeting = MeetingFactory(team=teams[0])
    meeting_cancel(meeting=meeting, reason="The hall is closed for repairs.")
    page.goto(url(meeting.get_absolute_url()))
    banner = page.get_by_role("region", name="Important")
    expect(banner).to_contain_text("This meeting has been cancelled.")
    expect(banner).to_contain_text("The hall is closed for repairs.")
    expect(page.get_by_role("button", name="Add to calendar")).to_have_count(0)
    check_page(page, "meeting-cancelled")

    page.goto(url(reverse("meetings:list")))
    expect(page.locator(".govuk-tag--red")).to_have_text("Cancelled")


def test_a_teams_past_meetings(page, url, check_page, teams):
    meeting = MeetingFactory(
        team=teams[0],
        start=timezone.now() - datetime.timedelta(days=20),
        notes="Twenty residents came.",
        notes_published=True,
    )
    OutcomeFactory(meeting=meeting, concern="Speeding by the school.", action="Speedwatch.")
    page.goto(url(reverse("meetings:team-past", args=["basildon"])))
    expect(page.locator("h1")).to_contain_text("Past Local Community Meetings")
    expect(page.get_by_role("table", name="You said, we did")).to_contain_text("Speedwatch.")
    check_page(page, "meetings-past")
