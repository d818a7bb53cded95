import datetime
import xml.etree.ElementTree as ET

import pytest
from django.urls import reverse
from django.utils import timezone

from meetings.models import Meeting
from meetings.services import meeting_cancel
from tests.factories import MeetingFactory, TeamFactory

pytestmark = pytest.mark.django_db

ATOM = "{http://www.w3.org/2005/Atom}"


def parse(response) -> ET.Element:
    assert response.status_code == 200
    return ET.fromstring(response.content)  # noqa: S314 - the portal's own feed


def rss_titles(response) -> list[str]:
    return [item.findtext("title") for item in parse(response).iter("item")]


def test_the_feed_lists_upcoming_meetings_across_essex(client):
    basildon = MeetingFactory(team=TeamFactory(name="Basildon"))
    MeetingFactory(team=TeamFactory(name="Southend"))
    MeetingFactory(start=timezone.now() - datetime.timedelta(days=2))
    titles = rss_titles(client.get(reverse("meetings:feed")))
    assert titles == [
        f"Basildon Local Community Meeting: {basildon.when}",
        f"Southend Local Community Meeting: {Meeting.objects.last().when}",
    ]


def test_a_teams_feed_has_only_its_meetings_and_shows_cancellations(client):
    team = TeamFactory(name="Colchester", slug="colchester")
    cancelled = MeetingFactory(team=team)
    meeting_cancel(meeting=cancelled, reason="The hall flooded.")
    MeetingFactory(team=TeamFactory(name="Tendring"))
    response = client.get(reverse("meetings:team-feed", args=["colchester"]))
    assert rss_titles(response) == [
        f"Cancelled: Colchester Local Community Meeting: {cancelled.when}"
    ]
    assert "The hall flooded." in response.content.decode()


def test_the_atom_feed_has_stable_ids_and_links_to_each_meeting(client):
    meeting = MeetingFactory(team=TeamFactory(slug="thurrock"))
    response = client.get(reverse("meetings:team-feed-atom", args=["thurrock"]))
    assert response["Content-Type"].startswith("application/atom+xml")
    (entry,) = parse(response).iter(f"{ATOM}entry")
    assert entry.findtext(f"{ATOM}id") == f"urn:uuid:{meeting.uid}"
    assert entry.find(f"{ATOM}link").get("href").endswith(meeting.get_absolute_url())


def test_an_unknown_teams_feed_is_not_found(client):
    assert client.get(reverse("meetings:team-feed", args=["atlantis"])).status_code == 404


def test_feeds_take_a_bounded_number_of_queries(client, django_assert_max_num_queries):
    team = TeamFactory()
    for _ in range(30):
        MeetingFactory(team=team)
    with django_assert_max_num_queries(1):
        client.get(reverse("meetings:feed"))
    with django_assert_max_num_queries(2):
        client.get(reverse("meetings:team-feed-atom", args=[team.slug]))
