"""Each page costs the same number of queries however much content there is."""

import pytest
from django.core.cache import cache
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from tests.factories import (
    DistrictFactory,
    DutyPeriodFactory,
    MeetingFactory,
    OfficerFactory,
    OutcomeFactory,
    PostcodeFactory,
    PriorityFactory,
    QuestionFactory,
    TeamFactory,
    WardFactory,
)

pytestmark = pytest.mark.django_db


def add_team(number: int):
    team = TeamFactory(name=f"Team {number}", slug=f"team-{number}")
    ward = WardFactory(district=DistrictFactory(team=team), name=f"Ward {number}")
    PostcodeFactory(postcode=f"CO{number} 1AA", ward=ward, district=ward.district)
    return team


def add_content(team, times: int) -> None:
    for _ in range(times):
        OfficerFactory(team=team)
        DutyPeriodFactory(team=team)
        PriorityFactory(team=team)
        OutcomeFactory(meeting=MeetingFactory(team=team))
        QuestionFactory()


def queries(client, url: str, **headers) -> int:
    client.get(url, headers=headers)  # what a first request writes (a search nobody answered)
    cache.clear()  # the cold page, as drawn for the first resident
    with CaptureQueriesContext(connection) as captured:
        response = client.get(url, headers=headers)
    assert response.status_code in {200, 302}, url
    return len(captured)


def pages(team) -> list[str]:
    meeting = team.meetings.order_by("start").first()
    return [
        reverse("home"),
        reverse("teams:list"),
        reverse("teams:detail", kwargs={"slug": team.slug}),
        reverse("teams:detail", kwargs={"slug": team.slug}) + "?postcode=CO1%201AA",
        reverse("teams:find") + "?postcode=CO1",
        reverse("teams:find") + "?postcode=Ward",
        reverse("teams:find") + "?postcode=ZZ9%209ZZ",
        reverse("meetings:list"),
        meeting.get_absolute_url(),
        reverse("meetings:team-past", kwargs={"slug": team.slug}),
        reverse("surveys:list"),
    ]


def test_query_counts_stay_the_same_as_content_grows(client):
    first = add_team(1)
    add_content(first, 1)
    small = {url: queries(client, url) for url in pages(first)}
    for number in range(2, 6):
        add_content(add_team(number), 3)
    add_content(first, 6)
    big = {url: queries(client, url) for url in pages(first)}
    assert big == small


def test_a_team_page_for_staff_costs_the_same_however_big_the_team(client):
    from tests.factories import UserFactory

    client.force_login(UserFactory(is_staff=True))
    team = add_team(1)
    add_content(team, 1)
    url = reverse("teams:detail", kwargs={"slug": team.slug})
    small = queries(client, url)
    add_content(team, 8)
    assert queries(client, url) == small
