import datetime

import pytest
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone

from meetings.models import Meeting, WeekOfMonth
from meetings.services import meeting_cancel
from portal.clock import Weekday
from tests.factories import MeetingFactory, MeetingScheduleFactory, OutcomeFactory, TeamFactory

pytestmark = pytest.mark.django_db

LIST = reverse("meetings:list")


def html_of(response) -> str:
    assert response.status_code == 200
    return response.content.decode()


def test_the_list_shows_upcoming_meetings_across_essex_soonest_first(client):
    later = MeetingFactory(team=TeamFactory(name="Southend"))
    sooner = MeetingFactory(team=TeamFactory(name="Basildon"))
    sooner.start = later.start - datetime.timedelta(days=3)
    sooner.end = sooner.start + datetime.timedelta(hours=1)
    sooner.save()
    MeetingFactory(
        team=TeamFactory(name="Harlow"),
        start=timezone.now() - datetime.timedelta(days=3),
    )
    html = html_of(client.get(LIST))
    assert html.count("<h1") == 1
    assert html.index("Basildon Local Community Meeting") < html.index("Southend Local")
    assert "Harlow Local" not in html
    assert sooner.get_absolute_url() in html
    assert "All teams in Essex" in html


def test_the_list_can_be_filtered_to_one_team(client):
    team = TeamFactory(name="Tendring", slug="tendring")
    MeetingFactory(team=team)
    MeetingFactory(team=TeamFactory(name="Thurrock"))
    html = html_of(client.get(LIST, {"team": "tendring"}))
    assert "Tendring Local Community Meeting" in html
    assert "Thurrock Local Community Meeting" not in html
    assert '<option value="tendring" selected>' in html
    assert reverse("meetings:team-past", args=["tendring"]) in html
    assert reverse("meetings:team-calendar", args=["tendring"]) in html


def test_an_unknown_team_gets_a_clear_message_not_an_error_page(client):
    MeetingFactory(team=TeamFactory(name="Tendring"))
    html = html_of(client.get(LIST, {"team": "atlantis"}))
    assert "<title>Error: Local Community Meetings" in html
    assert "There is a problem" in html
    assert "We don’t know that team. Choose a team from the list." in html
    assert 'href="#team"' in html
    # Every meeting is still listed below.
    assert "Tendring Local Community Meeting" in html


@pytest.mark.parametrize("page", ["99", "abc", "-1", "0"])
def test_a_page_that_does_not_exist_gets_a_clear_message(client, page):
    for _ in range(12):
        MeetingFactory()
    html = html_of(client.get(LIST, {"page": page}))
    assert "That page doesn’t exist" in html
    assert "Local Community Meeting" in html


def test_the_list_is_paginated_keeping_the_team_choice(client):
    team = TeamFactory(slug="colchester")
    meetings = [MeetingFactory(team=team) for _ in range(12)]
    first = html_of(client.get(LIST, {"team": "colchester"}))
    assert "12 meetings, page 1 of 2" in first
    assert 'href="?team=colchester&amp;page=2"' in first
    second = html_of(client.get(LIST, {"team": "colchester", "page": 2}))
    assert meetings[-1].get_absolute_url() in second
    assert meetings[0].get_absolute_url() not in second


def test_with_no_meetings_the_list_says_when_the_next_is_expected(client):
    team = TeamFactory(slug="braintree", name="Braintree")
    MeetingScheduleFactory(team=team, week_of_month=WeekOfMonth.FIRST, weekday=Weekday.MONDAY)
    html = html_of(client.get(LIST, {"team": "braintree"}))
    assert "No upcoming meetings for Braintree yet" in html
    assert "The next meeting is expected on Monday" in html


def test_with_no_meetings_or_schedules_the_list_still_says_what_to_expect(client):
    html = html_of(client.get(LIST))
    assert "Teams meet every month" in html


def test_cancelled_meetings_are_marked_in_the_list(client):
    meeting = MeetingFactory()
    meeting_cancel(meeting=meeting, reason="The hall flooded.")
    html = html_of(client.get(LIST))
    assert "govuk-tag--red" in html
    assert "The hall flooded." in html


def test_the_list_takes_a_bounded_number_of_queries(client, django_assert_max_num_queries):
    for _ in range(30):
        MeetingFactory()
    # The meetings, their count, and the teams to choose from.
    with django_assert_max_num_queries(3):
        client.get(LIST, {"page": 2})
    team = Meeting.objects.first().team
    with django_assert_max_num_queries(4):
        client.get(LIST, {"team": team.slug})


def test_a_meeting_page_has_everything_a_resident_needs(client):
    meeting = MeetingFactory(
        team=TeamFactory(name="Epping Forest and Brentwood"),
        step_free_access=True,
        hearing_loop=False,
        parking="Free car park behind the hall",
        online_link="https://example.org/join",
        agenda="1. Welcome\n2. *Your* concerns",
    )
    html = html_of(client.get(meeting.get_absolute_url()))
    assert html.count("<h1") == 1
    assert meeting.when.split(",")[0] in html
    assert "7pm to 8:30pm" in html
    assert "1 High Street<br>Chelmsford<br>CM1 1AA" in html
    assert "Free car park behind the hall" in html
    assert "Join the meeting online" in html
    assert "<em>Your</em> concerns" in html
    assert reverse("meetings:calendar", args=[meeting.pk]) in html
    assert "Add to calendar" in html
    assert "webcal://testserver" + reverse("meetings:team-calendar", args=[meeting.team.slug]) in (
        html
    )
    assert "govuk-notification-banner" not in html


def test_a_cancelled_meeting_says_so_at_the_top(client):
    meeting = MeetingFactory()
    meeting_cancel(meeting=meeting, reason="The hall flooded.")
    html = html_of(client.get(meeting.get_absolute_url()))
    assert "<title>Cancelled:" in html
    banner = html.index("govuk-notification-banner")
    assert banner < html.index("<h1")
    assert "This meeting has been cancelled." in html
    assert "The hall flooded." in html
    assert "Add to calendar" not in html


def test_a_moved_meeting_says_so_at_the_top(client):
    meeting = MeetingFactory(status=Meeting.Status.MOVED, status_reason="Now at the library.")
    html = html_of(client.get(meeting.get_absolute_url()))
    assert "This meeting has moved." in html
    assert "Now at the library." in html
    assert "Add to calendar" in html


def test_a_meeting_address_without_or_with_a_wrong_slug_redirects_to_the_right_one(client):
    meeting = MeetingFactory()
    for url in (
        reverse("meetings:detail-short", args=[meeting.pk]),
        reverse("meetings:detail", args=[meeting.pk, "old-slug"]),
    ):
        response = client.get(url)
        assert response.status_code == 301
        assert response["Location"] == meeting.get_absolute_url()


def test_an_unknown_meeting_is_not_found(client):
    assert client.get(reverse("meetings:detail-short", args=[999])).status_code == 404


def test_agenda_markdown_cannot_inject_script(client):
    meeting = MeetingFactory(agenda="Hello <script>alert(1)</script> [x](javascript:alert(1))")
    html = html_of(client.get(meeting.get_absolute_url()))
    assert "<script>alert" not in html
    assert "javascript:" not in html


def test_a_past_meeting_shows_its_notes_and_you_said_we_did(client):
    meeting = MeetingFactory(
        start=timezone.now() - datetime.timedelta(days=10),
        notes="Twenty residents came.",
        notes_published=True,
    )
    OutcomeFactory(meeting=meeting, concern="Speeding by the school.", action="Speedwatch.")
    html = html_of(client.get(meeting.get_absolute_url()))
    assert "Twenty residents came." in html
    assert "You said, we did" in html
    assert "Speeding by the school." in html
    assert "Add to calendar" not in html


def test_the_archive_lists_past_meetings_with_published_notes_only(client):
    team = TeamFactory(name="Harlow and Uttlesford", slug="harlow-uttlesford")
    published = MeetingFactory(
        team=team,
        start=timezone.now() - datetime.timedelta(days=40),
        notes="Published notes.",
        notes_published=True,
    )
    OutcomeFactory(meeting=published, concern="Fly-tipping in the lanes.")
    MeetingFactory(
        team=team,
        start=timezone.now() - datetime.timedelta(days=10),
        notes="Draft notes.",
    )
    MeetingFactory(team=team)  # upcoming: not in the archive
    MeetingFactory(start=timezone.now() - datetime.timedelta(days=5), notes_published=True)
    html = html_of(client.get(reverse("meetings:team-past", args=[team.slug])))
    assert html.count("<h1") == 1
    assert "Published notes." in html
    assert "Fly-tipping in the lanes." in html
    assert "Draft notes." not in html
    assert "haven’t been published yet" in html
    assert html.count("Local Community Meeting, ") == 2


def test_the_archive_of_a_team_with_no_past_meetings_says_so(client):
    team = TeamFactory(name="Castle Point and Rochford")
    html = html_of(client.get(reverse("meetings:team-past", args=[team.slug])))
    assert "hasn’t held any meetings that we have notes of yet" in html


def test_the_archive_takes_a_bounded_number_of_queries(client, django_assert_max_num_queries):
    team = TeamFactory()
    for days in range(20, 40):
        meeting = MeetingFactory(
            team=team, start=timezone.now() - datetime.timedelta(days=days), notes_published=True
        )
        OutcomeFactory(meeting=meeting)
    with django_assert_max_num_queries(4):
        client.get(reverse("meetings:team-past", args=[team.slug]))


def test_the_team_page_include_shows_the_next_meetings_and_the_archive():
    team = TeamFactory(name="Southend", slug="southend")
    first, second, third = (MeetingFactory(team=team) for _ in range(3))
    html = render_to_string(
        "meetings/includes/team_meetings.html",
        {"team": team, "next_meetings": Meeting.objects.next_for_team(team)},
    )
    assert first.get_absolute_url() in html
    assert second.get_absolute_url() in html
    assert third.get_absolute_url() not in html
    assert reverse("meetings:team-past", args=["southend"]) in html
    empty = render_to_string(
        "meetings/includes/team_meetings.html", {"team": team, "next_meetings": []}
    )
    assert "hasn’t published the date of its next meeting yet" in empty


def test_the_team_page_shows_its_next_meeting_and_forgets_it_when_removed(
    client, django_capture_on_commit_callbacks
):
    meeting = MeetingFactory(title="Local Community Meeting", venue_name="Witham Library")
    page = reverse("teams:detail", kwargs={"slug": meeting.team.slug})
    html = client.get(page).content.decode()
    assert "Witham Library" in html
    assert meeting.get_absolute_url() in html
    # The team page is kept in the cache for residents: a change to the meeting shows at once.
    with django_capture_on_commit_callbacks(execute=True):
        meeting.delete()
    html = client.get(page).content.decode()
    assert "Witham Library" not in html
    assert "hasn’t published the date of its next meeting yet" in html
