"""The list of teams and each team's page, as residents see them."""

import datetime
import itertools
import json
from urllib.parse import quote, urlencode
from zoneinfo import ZoneInfo

import pytest
from django.test import RequestFactory
from django.urls import reverse
from hypothesis import given
from hypothesis import strategies as st

from teams.finder import normalise_postcode
from teams.models import DutyPeriod, Officer, Priority
from teams.views.pages import postcode_asked_for
from tests.factories import (
    DistrictFactory,
    DutyPeriodFactory,
    MeetingFactory,
    OfficerFactory,
    PostcodeFactory,
    PriorityFactory,
    TeamFactory,
    WardFactory,
    colchester_team,
)

pytestmark = pytest.mark.django_db
LONDON = ZoneInfo("Europe/London")


@pytest.fixture
def team():
    return colchester_team()


def team_url(team, **query):
    url = reverse("teams:detail", kwargs={"slug": team.slug})
    if query:
        url += "?" + "&".join(f"{key}={value}" for key, value in query.items())
    return url


def at(monkeypatch, *args):
    """Make the page believe it is this moment in Essex."""
    moment = datetime.datetime(*args, tzinfo=LONDON)
    monkeypatch.setattr("teams.views.pages.timezone.now", lambda: moment)


def usual_hours(team):
    for day in (6, 0, 1, 2, 3):
        DutyPeriodFactory(team=team, weekday=day, start=datetime.time(8), end=datetime.time(22))
    for day in (4, 5):
        DutyPeriodFactory(team=team, weekday=day, start=datetime.time(8), end=datetime.time(2))


def test_the_team_page_introduces_the_team_and_how_to_reach_it(client, team):
    page = client.get(team_url(team)).content.decode()
    assert "<h1" in page and page.count("<h1") == 1
    assert "Colchester Community Policing Team" in page
    assert "We police <strong>Colchester</strong>." in page
    assert "<script>alert" not in page
    assert "mailto:colchester.team@example.org" in page
    assert "01632 960 001" in page
    assert "https://www.facebook.com/example" in page
    assert "Safer Colchester Partnership" in page
    assert "Castle" in page and "Mile End" in page


def test_the_page_opens_with_the_answers_a_resident_came_for(client, team):
    meeting = MeetingFactory(team=team, title="Town centre meeting", venue_name="Moot Hall")
    page = client.get(team_url(team)).content.decode()
    glance = page[page.index('id="at-a-glance"') : page.index('id="contents"')]
    assert page.index('id="at-a-glance"') < page.index('id="who-we-are"')
    assert 'href="tel:01632960001">01632 960 001</a>' in glance
    assert 'href="mailto:colchester.team@example.org"' in glance
    assert "999" in glance and "101" in glance and "18001 101" in glance
    assert "Town centre meeting" in glance and "Moot Hall" in glance
    assert "Colchester Town centre meeting" not in glance
    assert reverse("meetings:calendar", args=[meeting.pk]) in glance
    contents = page[page.index('id="contents"') :]
    for section in ("who-we-are", "officers", "duty-hours", "priorities", "meetings", "contact"):
        assert f'href="#{section}"' in contents[: contents.index("</nav>")]
        assert f'id="{section}"' in contents


def test_a_team_without_a_meeting_or_contact_says_so_at_a_glance(client):
    team = TeamFactory(name="Uttlesford", slug="uttlesford", phone="", email="")
    glance = client.get(team_url(team)).content.decode()
    assert "Uttlesford hasn’t published the date of its next meeting yet." in glance
    assert "Call 101 and ask for the Uttlesford team." in glance


def test_an_international_number_keeps_its_plus():
    from teams.templatetags.team_text import tel_number

    assert tel_number("+44 1632 960 001") == "+441632960001"
    assert tel_number(" 01632 960 001 ") == "01632960001"


def test_officers_are_grouped_by_rank_with_the_inspector_first(client, team):
    OfficerFactory(team=team, name="Pat Constable", rank=Officer.Rank.CONSTABLE)
    OfficerFactory(team=team, name="Sam Special", rank=Officer.Rank.SPECIAL_CONSTABLE)
    OfficerFactory(team=team, name="Kim Sergeant", rank=Officer.Rank.SERGEANT)
    OfficerFactory(team=team, name="Lee Retired", rank=Officer.Rank.CONSTABLE, active=False)
    team.inspector = OfficerFactory(team=team, name="Jo Inspector", rank=Officer.Rank.INSPECTOR)
    team.save()

    page = client.get(team_url(team)).content.decode()
    assert "The team is led by Inspector Jo Inspector." in page
    page = page[page.index('id="officers"') :]
    order = [
        page.index("Inspector in command"),
        page.index("Jo Inspector"),
        page.index("Sergeants"),
        page.index("Kim Sergeant"),
        page.index("Police Constables"),
        page.index("Pat Constable"),
        page.index("Special Constables"),
        page.index("Sam Special"),
    ]
    assert order == sorted(order)
    assert "Lee Retired" not in page


def test_on_duty_status_and_hours_table(client, team, monkeypatch):
    usual_hours(team)
    at(monkeypatch, 2026, 11, 27, 23, 30)  # a Friday night
    page = client.get(team_url(team)).content.decode()
    assert '<strong class="app-on-duty">On duty now</strong> until 2am' in page
    assert "8am to 2am on Saturday" in page
    assert "call 999" in page


def test_off_duty_the_page_says_when_and_how_to_get_help(client, team, monkeypatch):
    usual_hours(team)
    at(monkeypatch, 2026, 11, 24, 23, 0)  # a Tuesday night
    page = client.get(team_url(team)).content.decode()
    assert "Next on duty at 8am tomorrow" in page
    assert '<strong class="app-off-duty">Off duty</strong>' in page
    assert "call 101" in page
    assert "report it online" in page


def test_open_priorities_come_before_closed_ones(client, team):
    PriorityFactory(
        team=team,
        title="Dealt with: graffiti",
        status=Priority.Status.CLOSED,
        raised_on=datetime.date(2026, 10, 1),
        actioned_on=datetime.date(2026, 10, 20),
    )
    PriorityFactory(team=team, title="Still open: speeding", raised_on=datetime.date(2026, 1, 1))
    page = client.get(team_url(team)).content.decode()
    assert page.index("Still open: speeding") < page.index("Dealt with: graffiti")
    assert "20 October 2026" in page


def test_the_page_says_when_it_was_last_updated(client, team):
    OfficerFactory(team=team)
    team.refresh_from_db()
    page = client.get(team_url(team)).content.decode()
    assert f'Last updated <time datetime="{team.updated_at.astimezone(LONDON).isoformat()}' in page


def test_changing_an_officer_changes_last_updated(team):
    before = team.updated_at
    OfficerFactory(team=team)
    team.refresh_from_db()
    assert team.updated_at > before


def test_your_team_for_a_postcode_only_when_it_is_this_teams(client, team):
    ward = team.districts.get().wards.first()
    PostcodeFactory(postcode="CO1 1AA", ward=ward, district=ward.district)
    page = client.get(team_url(team, postcode="co11aa")).content.decode()
    assert "Your team for CO1 1AA" in page

    other = TeamFactory(name="Tendring", slug="tendring")
    elsewhere = WardFactory(district=DistrictFactory(team=other))
    PostcodeFactory(postcode="CO15 1AA", ward=elsewhere, district=elsewhere.district)
    assert "Your team for" not in client.get(team_url(team, postcode="CO15%201AA")).content.decode()
    assert "Your team for" not in client.get(team_url(team, postcode="nonsense")).content.decode()
    assert "Your team for" not in client.get(team_url(team, postcode="ZZ9%209ZZ")).content.decode()


def test_a_resident_arriving_from_the_finder_sees_when_the_page_was_last_updated(
    client, team, django_capture_on_commit_callbacks
):
    ward = team.districts.get().wards.first()
    PostcodeFactory(postcode="CO1 1AA", ward=ward, district=ward.district)
    for name in ("Ann Able", "Ben Baker"):
        with django_capture_on_commit_callbacks(execute=True):
            OfficerFactory(team=team, name=name)
        team.refresh_from_db()
        page = client.get(team_url(team, postcode="co11aa")).content.decode()
        assert "Your team for CO1 1AA" in page and name in page
        updated = team.updated_at.astimezone(LONDON)
        assert (
            f'Last updated <time datetime="{updated.isoformat()}">'
            f"{updated.day} {updated:%B %Y}</time>" in page
        )
        # The same line as residents without a postcode see.
        assert page.count('id="last-updated"') == 1
        assert page[page.index('<p class="govuk-body-s" id="last-updated">') :] in (
            client.get(team_url(team)).content.decode()
        )


def test_an_unknown_team_is_a_page_not_found(client):
    assert client.get(reverse("teams:detail", kwargs={"slug": "nowhere"})).status_code == 404


def test_a_team_with_nothing_yet_still_makes_sense(client):
    page = client.get(team_url(TeamFactory(description=""))).content.decode()
    assert "The team has not published its usual hours yet." in page
    assert "will be listed here soon" in page


def test_the_team_page_has_a_map_of_its_area(client, team):
    ward = team.districts.get().wards.first()
    for index, (easting, northing) in enumerate([(599500, 225500), (600500, 225500)]):
        PostcodeFactory(
            postcode=f"CO1 {index}AB",
            easting=easting,
            northing=northing,
            ward=ward,
            district=ward.district,
        )
    page = client.get(team_url(team)).content.decode()
    assert 'role="img"' in page
    assert "Map of the area Colchester covers" in page
    assert "style=" not in page.split("<main", 1)[1]


def test_the_next_meetings_place_is_empty_until_meetings_exist(client, team):
    assert "Next meetings" not in client.get(team_url(team)).content.decode()


def test_queries_stay_bounded_however_big_the_team(client, team, django_assert_max_num_queries):
    usual_hours(team)
    for index in range(60):
        OfficerFactory(team=team, rank=list(Officer.Rank.values)[index % 9])
        PriorityFactory(team=team, title=f"Priority {index}")
    for index in range(30):
        WardFactory(district=team.districts.get(), name=f"Extra ward {index}")
    client.get(team_url(team))  # the map is drawn once, then cached
    with django_assert_max_num_queries(8):
        response = client.get(team_url(team, postcode="CO1%201AA"))
    assert response.content.decode().count("govuk-summary-list__row") >= 60


def test_the_list_shows_every_team_with_the_areas_it_covers(client, team):
    TeamFactory(name="Tendring", slug="tendring")
    page = client.get(reverse("teams:list")).content.decode()
    assert page.count("<h1") == 1
    assert "Covers Colchester." in page
    assert reverse("teams:detail", kwargs={"slug": "tendring"}) in page


def test_the_list_has_a_map_linking_each_area_to_its_team(client, team):
    ward = team.districts.get().wards.first()
    PostcodeFactory(
        postcode="CO1 1AB", easting=599500, northing=225500, ward=ward, district=ward.district
    )
    page = client.get(reverse("teams:list")).content.decode()
    svg = page[page.index("<svg") : page.index("</svg>")]
    assert f'href="{team.get_absolute_url()}"' in svg
    assert "Map of Essex" in page


def test_the_list_keeps_its_queries_bounded(client, django_assert_max_num_queries):
    for _ in range(10):
        DistrictFactory(team=TeamFactory())
    client.get(reverse("teams:list"))
    with django_assert_max_num_queries(4):
        client.get(reverse("teams:list"))


def test_duty_periods_come_back_in_week_order(team):
    DutyPeriodFactory(team=team, weekday=6)
    DutyPeriodFactory(team=team, weekday=0)
    assert [period.weekday for period in DutyPeriod.objects.filter(team=team)] == [0, 6]


def test_residents_are_served_a_kept_copy_without_queries(client, team, django_assert_num_queries):
    client.get(team_url(team))
    with django_assert_num_queries(0):
        page = client.get(team_url(team)).content.decode()
    assert "Colchester Community Policing Team" in page


def test_a_change_by_staff_shows_at_once(client, team, django_capture_on_commit_callbacks):
    client.get(team_url(team))
    with django_capture_on_commit_callbacks(execute=True):
        OfficerFactory(team=team, name="Newly Arrived")
    assert "Newly Arrived" in client.get(team_url(team)).content.decode()
    district = team.districts.get()
    district.partnership.name = "Renamed Partnership"
    with django_capture_on_commit_callbacks(execute=True):
        district.partnership.save()
    assert "Renamed Partnership" in client.get(team_url(team)).content.decode()


def test_a_change_is_seen_only_once_it_is_committed(
    client, team, django_capture_on_commit_callbacks
):
    """A request between the write and the commit must not keep the old page for the new
    generation: the generation moves after the commit, never before."""
    from portal.cache import generation

    client.get(team_url(team))
    before = generation()
    with django_capture_on_commit_callbacks(execute=False) as after_commit:
        OfficerFactory(team=team, name="Newly Arrived")
        assert generation() == before  # still in the transaction: nothing moved yet
    assert generation() == before
    for callback in after_commit:
        callback()
    assert generation() > before
    assert "Newly Arrived" in client.get(team_url(team)).content.decode()


def test_the_cookie_banner_works_on_the_shared_copy(team):
    from django.test import Client

    client = Client(enforce_csrf_checks=True)
    client.get(team_url(team))
    response = client.get(team_url(team))  # the shared copy
    assert "public" in response["Cache-Control"]
    assert "csrfmiddlewaretoken" not in response.content.decode()
    answer = client.post(
        reverse("cookie-consent"),
        {"analytics": "no", "next": team_url(team)},
        headers={"Sec-Fetch-Site": "same-origin"},
    )
    assert answer.status_code == 302
    assert answer["Location"] == team_url(team)


def test_the_kept_copy_lasts_only_until_the_team_goes_off_duty(client, team, monkeypatch):
    from django.core.cache import cache

    usual_hours(team)
    at(monkeypatch, 2026, 11, 23, 21, 59, 30)  # Monday, thirty seconds before 10pm
    kept = {}
    set_one = cache.set
    monkeypatch.setattr(
        cache,
        "set",
        lambda key, value, timeout=None: (
            kept.update({key: timeout}) or set_one(key, value, timeout)
        ),
    )
    client.get(team_url(team))
    assert sorted(timeout for key, timeout in kept.items() if "page" in key) == [30, 30]


def test_arriving_from_the_finder_on_a_kept_copy_still_names_the_postcode(
    client, team, django_assert_max_num_queries
):
    ward = team.districts.get().wards.first()
    PostcodeFactory(postcode="CO1 1AA", ward=ward, district=ward.district)
    client.get(team_url(team))  # kept
    client.get(team_url(team, postcode="CO1%201AA"))  # the finder's routes, kept per process
    with django_assert_max_num_queries(1):
        page = client.get(team_url(team, postcode="CO1%201AA")).content.decode()
    assert "Your team for CO1 1AA" in page
    assert page.count("<h1") == 1
    other = client.get(team_url(team, postcode="CM1%201AA")).content.decode()
    assert "Your team for" not in other
    assert "Colchester Community Policing Team" in other


def test_the_first_arrival_from_the_finder_keeps_a_copy_for_everyone(
    client, team, django_assert_num_queries
):
    ward = team.districts.get().wards.first()
    PostcodeFactory(postcode="CO1 1AA", ward=ward, district=ward.district)
    first = client.get(team_url(team, postcode="CO1%201AA")).content.decode()
    assert "Your team for CO1 1AA" in first
    # Most residents arrive from the finder; the page they caused to be drawn serves the rest.
    with django_assert_num_queries(0):
        plain = client.get(team_url(team)).content.decode()
    assert "Your team for" not in plain
    assert "Colchester Community Policing Team" in plain


def test_a_resident_from_the_finder_gets_the_page_as_drawn_in_full(client, team):
    """Residents who share pages get the team's page inside base.html as drawn once for the
    team (TeamDetailView.page_frame): the same page, to the byte, as drawn in full for a
    request that shares nothing (here, one with a messages cookie)."""
    ward = team.districts.get().wards.first()
    PostcodeFactory(postcode="CO1 1AA", ward=ward, district=ward.district)
    framed = [client.get(team_url(team, postcode="CO1%201AA")).content.decode() for _ in "12"]
    assert framed[0] == framed[1]
    assert "Your team for CO1 1AA" in framed[0] and framed[0].count("<h1") == 1
    assert framed[0].startswith("<!DOCTYPE html>") and framed[0].rstrip().endswith("</html>")
    client.cookies["messages"] = ""
    assert client.get(team_url(team, postcode="CO1%201AA")).content.decode() == framed[0]


def residents_of_castle_and_mile_end(team):
    """Castle & Abbey (with a ward officer) and Mile End, on the team's map: CO1 1AA and CO4 9AA
    on it, CO1 1AB without a position; and CO3 3AA, the team's with no ward known."""
    castle, mile_end = team.districts.get().wards.order_by("name")
    castle.name = "Castle & Abbey"
    castle.save()
    for postcode, ward, easting in [
        ("CO1 1AA", castle, 599500),
        ("CO1 1AB", castle, 0),
        ("CO4 9AA", mile_end, 600500),
    ]:
        PostcodeFactory(
            postcode=postcode,
            ward=ward,
            district=ward.district,
            easting=easting,
            northing=225500 if easting else 0,
        )
    PostcodeFactory(postcode="CO3 3AA", ward=None, district=castle.district)
    OfficerFactory(team=team, name="Sam Castle").wards.add(castle)


@pytest.mark.parametrize(
    ("postcode", "shows"),
    [
        (
            "CO1%201AA",
            ["in Castle &amp; Abbey ward", "Your ward officers", "You are here: CO1 1AA"],
        ),
        ("co11ab", ["Your team for CO1 1AB, in Castle &amp; Abbey ward", "Your ward officers"]),
        ("CO4%209AA", ["Your team for CO4 9AA, in Mile End ward", "You are here: CO4 9AA"]),
        ("CO3%203AA", ['id="your-postcode">Your team for CO3 3AA</span>']),
        ("nonsense", ["Map of the area Colchester covers"]),
    ],
    ids=["ward officers and marker", "no position", "ward without officers", "no ward", "none"],
)
def test_every_kind_of_arrival_gets_the_page_as_drawn_in_full(client, team, postcode, shows):
    """The page a resident from the finder gets, joined from parts each process draws once
    around their postcode, ward, officers and marker, is the page drawn in full for them: to the
    byte, escaped alike, and each arrival's own."""
    residents_of_castle_and_mile_end(team)
    url = team_url(team, postcode=postcode)
    framed = [client.get(url).content.decode() for _ in "12"]
    assert framed[0] == framed[1]
    assert all(text in framed[0] for text in shows)
    client.cookies["messages"] = ""
    assert client.get(url).content.decode() == framed[0]


def test_each_arrival_sees_only_its_own_postcode_and_ward(client, team):
    residents_of_castle_and_mile_end(team)
    castle = client.get(team_url(team, postcode="CO1%201AA")).content.decode()
    mile_end = client.get(team_url(team, postcode="CO4%209AA")).content.decode()
    assert "CO4 9AA" not in castle and "Mile End ward" not in castle
    assert "CO1 1AA" not in mile_end and "Castle &amp; Abbey ward" not in mile_end
    assert "Your ward officers" not in mile_end
    assert castle.count("Sam Castle") == mile_end.count("Sam Castle") == 1
    # A postcode the team polices with no ward known: its caption names none.
    no_ward = client.get(team_url(team, postcode="CO3%203AA")).content.decode()
    assert '<span class="govuk-caption-xl" id="your-postcode">Your team for CO3 3AA</span>' in (
        no_ward
    )


@pytest.mark.parametrize(
    "query", ["CO1%201AA", "CO1+1AA", "co1%201aa", "CO11AA", "%20CO1%201AA", "CO1%201AA&x=1"]
)
def test_the_postcode_reads_the_same_however_the_address_writes_it(client, team, query):
    """The finder's own address (`?postcode=CO1%201AA`, or `+` for the space) is read straight
    from the query string; any other way of writing it gives the very same page."""
    residents_of_castle_and_mile_end(team)
    page = client.get(team_url(team, postcode=query)).content.decode()
    assert "Your team for CO1 1AA, in Castle &amp; Abbey ward" in page
    assert page == client.get(team_url(team, postcode="CO1%201AA")).content.decode()


def test_the_finders_address_is_read_as_the_query_would_be():
    """Every shape of postcode, in each case, with every way of writing the space and what may
    follow it: read straight from the query string or not, the same postcode (or none)."""
    cases = [str.upper, str.lower, str.title]
    spaces = ["%20", "+", "%2B", "", "%20%20", "%09", "%C2%A0", "-", "%2520"]
    afters = ["", "&x=1", "%0A", "&postcode=CM1%201AA", "%20", "+"]
    for postcode in ["A1 1AA", "A10 1AA", "AB1 0XY", "EC1A 1BB", "W1A 0AX", "SS99 9ZZ"]:
        outward, inward = postcode.split()
        for one, other, space, after in itertools.product(cases, cases, spaces, afters):
            query = f"postcode={one(outward)}{space}{other(inward)}{after}"
            request = RequestFactory().get("/teams/colchester/", QUERY_STRING=query)
            typed = request.GET["postcode"]  # the long way, as every other address is read
            assert postcode_asked_for(request) == normalise_postcode(typed[:20]), query


@given(st.text(max_size=30), st.sampled_from([quote, lambda text: urlencode({"p": text})[2:]]))
def test_any_postcode_typed_is_read_as_the_finder_reads_it(typed, quoted):
    request = RequestFactory().get("/teams/colchester/", QUERY_STRING=f"postcode={quoted(typed)}")
    assert postcode_asked_for(request) == normalise_postcode(typed[:20])


def test_an_address_without_a_postcode_names_none():
    for query in ["", "x=CO1%201AA", "postcode=", "postcode=nonsense"]:
        assert postcode_asked_for(RequestFactory().get("/", QUERY_STRING=query)) is None


def test_a_team_whose_own_text_holds_a_stand_in_still_gets_its_page(client, team):
    """The page is joined at stand-ins (Unicode private-use characters): a team's text that
    happens to hold one is shown as typed, with the officers once, where they belong."""
    residents_of_castle_and_mile_end(team)
    team.description = "We police Colchester \ue000officers\ue000 and \ue000postcode\ue000."
    team.save()
    url = team_url(team, postcode="CO1%201AA")
    page = client.get(url).content.decode()
    assert "Colchester \ue000officers\ue000 and \ue000postcode\ue000." in page
    assert page.count("Sam Castle") == 1 and page.count("You are here: CO1 1AA") == 1
    client.cookies["messages"] = ""
    assert client.get(url).content.decode() == page


def test_the_frame_of_a_residents_page_follows_the_cookie_choice_and_the_team(
    client, team, django_capture_on_commit_callbacks
):
    from django.conf import settings

    ward = team.districts.get().wards.first()
    PostcodeFactory(postcode="CO1 1AA", ward=ward, district=ward.district)
    url = team_url(team, postcode="CO1%201AA")
    assert "Cookies on" in client.get(url).content.decode()
    client.cookies[settings.COOKIE_CONSENT_NAME] = json.dumps(
        {"analytics": False, "version": settings.COOKIE_CONSENT_VERSION}
    )
    chosen = client.get(url).content.decode()
    assert "Cookies on" not in chosen and "Your team for CO1 1AA" in chosen
    team.name = "North Colchester"
    with django_capture_on_commit_callbacks(execute=True):
        team.save()
    title = "<title>North Colchester Community Policing Team"
    assert title in client.get(url).content.decode()
    del client.cookies[settings.COOKIE_CONSENT_NAME]
    assert title in client.get(url).content.decode()
