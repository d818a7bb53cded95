"""The finder: what residents type, and where it takes them."""

import string

import pytest
from django.urls import reverse
from hypothesis import given, settings
from hypothesis import strategies as st

from teams.finder import answer, normalise_postcode, team_for_postcode
from teams.models import District, Ward
from teams.routes import nearest_postcode
from tests.factories import (
    DistrictFactory,
    NeighbouringForceFactory,
    PostcodeFactory,
    TeamFactory,
    WardFactory,
)

FIND = reverse("teams:find")


# What people type ---------------------------------------------------------------------------


@pytest.mark.parametrize(
    "typed",
    [
        "CM1 1AA",
        "cm1 1aa",
        "CM11AA",
        "  cm1   1aa  ",
        "ＣＭ１ １ＡＡ",  # fullwidth, from some phone keyboards
        "CM1\u00a01AA",  # no-break space
        "CM1\t1AA\n",
        '"CM1 1AA".',
        "(CM1 1AA)",
        "CM1 1AA,",
    ],
)
def test_normalise_postcode_accepts_what_people_type(typed):
    assert normalise_postcode(typed) == "CM1 1AA"


@pytest.mark.parametrize(
    "typed", ["", "CM1", "CM1 1", "1AA CM1", "CMM1 1AA", "CM1 1A", "Chelmsford", "C M 1", "x" * 500]
)
def test_normalise_postcode_refuses_what_is_not_a_postcode(typed):
    assert normalise_postcode(typed) is None


def test_normalise_postcode_knows_every_shape():
    for typed, expected in [
        ("e16an", "E1 6AN"),
        ("ec1a1bb", "EC1A 1BB"),
        ("w1a0ax", "W1A 0AX"),
        ("ss99 9zz", "SS99 9ZZ"),
    ]:
        assert normalise_postcode(typed) == expected


POSTCODES = st.from_regex(r"\A[A-Z]{1,2}[0-9][A-Z0-9]? [0-9][A-Z]{2}\Z")


@given(POSTCODES, st.sampled_from([str.lower, str.upper, str.title]), st.text(" \t", max_size=3))
def test_normalise_postcode_ignores_case_and_spacing(postcode, case, padding):
    typed = padding + case(postcode).replace(" ", padding or "") + padding
    assert normalise_postcode(typed) == postcode


@given(st.text(max_size=300))
def test_normalise_postcode_never_fails_and_is_idempotent(text):
    result = normalise_postcode(text)
    assert result is None or (normalise_postcode(result) == result and len(result) <= 8)


@given(st.text(alphabet=string.ascii_letters + " -'", min_size=1, max_size=50))
def test_normalise_postcode_never_takes_words_for_postcodes(text):
    assert normalise_postcode(text) is None


@pytest.mark.django_db
@settings(max_examples=60, deadline=None)
@given(st.text(max_size=200))
def test_answer_is_always_something_to_show(text):
    result = answer(text)
    assert result.kind in {
        "empty", "invalid", "team", "outside", "unknown", "area", "places", "elsewhere"
    }  # fmt: skip
    assert len(result.query) <= 100


# Full postcodes -------------------------------------------------------------------------------


@pytest.fixture
def chelmsford(db):
    team = TeamFactory(name="Chelmsford & Maldon", slug="chelmsford-maldon")
    district = DistrictFactory(code="E07000070", name="Chelmsford", team=team)
    ward = WardFactory(code="E05004106", name="Moulsham Lodge", district=district)
    PostcodeFactory(postcode="CM2 9AA", ward=ward, district=district, easting=570500)
    return team


@pytest.fixture
def cambridge(db):
    force = NeighbouringForceFactory(
        name="Cambridgeshire Constabulary", website="https://www.cambs.police.uk/"
    )
    district = DistrictFactory(code="E07000008", name="Cambridge", team=None, force=force)
    ward = WardFactory(code="E05013054", name="Market", district=district)
    PostcodeFactory(postcode="CB2 1TN", ward=ward, district=district, easting=545000)
    return district


def test_a_postcode_in_essex_goes_to_its_team(client, chelmsford):
    response = client.get(FIND, {"postcode": "cm29aa"})
    assert response.status_code == 302
    assert response["Location"] == reverse("teams:detail", args=["chelmsford-maldon"]) + (
        "?postcode=CM2%209AA"
    )


def test_an_essex_postcode_needs_no_query_once_the_routes_are_kept(
    client, chelmsford, cambridge, django_assert_num_queries
):
    """Every postcode's codes are kept in each process (teams.areas): even the first postcode
    of an outward code costs no query."""
    PostcodeFactory(postcode="CM2 9AB", ward=None, district=chelmsford.districts.get())
    assert client.get(FIND, {"postcode": "CB2 1TN"}).status_code == 200  # the routes are kept
    with django_assert_num_queries(0):
        assert client.get(FIND, {"postcode": "CM2 9AA"}).status_code == 302
    with django_assert_num_queries(0):
        response = client.get(FIND, {"postcode": "cm29ab"})
    unknown = client.get(FIND, {"postcode": "CM2 9ZZ"})  # not a postcode we have
    assert response["Location"] == reverse("teams:detail", args=["chelmsford-maldon"]) + (
        "?postcode=CM2%209AB"
    )
    assert unknown.status_code == 200


def test_a_ward_given_to_another_team_goes_to_that_team(client, chelmsford):
    other = TeamFactory(slug="braintree")
    Ward.objects.filter(code="E05004106").update(team=other)
    response = client.get(FIND, {"postcode": "CM2 9AA"})
    assert response["Location"].startswith(reverse("teams:detail", args=["braintree"]))
    assert team_for_postcode("CM2 9AA") == other


def test_a_district_given_a_team_in_the_admin_is_found_at_once(
    client, cambridge, django_capture_on_commit_callbacks
):
    client.get(FIND, {"postcode": "CB2 1TN"})  # the routes are now kept
    cambridge.team = TeamFactory(slug="cambridge-trial")
    with django_capture_on_commit_callbacks(execute=True):
        cambridge.save()  # as the admin does: a new cache generation once it commits
    response = client.get(FIND, {"postcode": "CB2 1TN"})
    assert response["Location"].startswith(reverse("teams:detail", args=["cambridge-trial"]))


def test_a_bulk_change_shows_once_the_writer_says_so(
    client, cambridge, django_capture_on_commit_callbacks
):
    from teams.services import team_pages_changed

    trial = TeamFactory(slug="x-trial")
    client.get(FIND, {"postcode": "CB2 1TN"})  # the routes are kept
    with django_capture_on_commit_callbacks(execute=True):
        District.objects.filter(code="E07000008").update(team=trial)  # sends no signals
        team_pages_changed()  # so the writer says so
    response = client.get(FIND, {"postcode": "CB2 1TN"})
    assert response["Location"].startswith(reverse("teams:detail", args=["x-trial"]))


def test_a_postcode_outside_essex_says_where_it_is_and_whom_to_contact(client, cambridge):
    response = client.get(FIND, {"postcode": "cb2 1tn"})
    assert response.status_code == 200
    page = response.content.decode()
    assert "CB2 1TN is outside the area Essex Police covers" in page
    assert "CB2 1TN is in Cambridge" in page
    assert 'href="https://www.cambs.police.uk/">Cambridgeshire Constabulary</a>' in page
    assert "https://www.police.uk/" in page
    assert page.count("Contains OS data") == 1  # the OGL attribution, once


@pytest.fixture
def cache_reads(monkeypatch):
    """The keys the shared cache is asked for (each one a round trip on Redis)."""
    from django.core.cache import cache

    asked = []
    for name in ("get", "get_many", "get_or_set"):
        original = getattr(cache, name)
        monkeypatch.setattr(
            cache,
            name,
            lambda key, *a, _original=original, **kw: asked.append(key) or _original(key, *a, **kw),
        )
    return asked


def test_a_postcode_outside_essex_costs_no_query_and_one_cache_read(
    client, cambridge, cache_round_trips, django_assert_num_queries
):
    client.get(FIND, {"postcode": "CB2 1TN"})  # every postcode's codes are now kept here
    cache_round_trips.clear()
    with django_assert_num_queries(0):
        page = client.get(FIND, {"postcode": "cb2 1tn"}).content.decode()
    # The generation: for the routes, the postcodes' copy and the answer drawn once per process
    # for the council (answer_body).
    assert cache_round_trips == ["get_or_set"]
    assert 'href="https://www.cambs.police.uk/">Cambridgeshire Constabulary</a>' in page


def test_a_council_renamed_shows_at_once_for_a_postcode_outside_essex(
    client, cambridge, django_capture_on_commit_callbacks
):
    client.get(FIND, {"postcode": "CB2 1TN"})  # the answer for Cambridge is drawn and kept
    cambridge.name = "Cambridge City"
    with django_capture_on_commit_callbacks(execute=True):
        cambridge.save()
    assert (
        "CB2 1TN is in Cambridge City" in client.get(FIND, {"postcode": "CB2 1TN"}).content.decode()
    )


def test_an_unknown_postcode_costs_no_query(
    client, cambridge, chelmsford, django_assert_num_queries
):
    client.get(FIND, {"postcode": "CB2"})  # every postcode's codes and the teams are kept here
    with django_assert_num_queries(0):
        in_an_empty_sector = client.get(FIND, {"postcode": "CB2 9ZZ"}).content.decode()
        beside_others = client.get(FIND, {"postcode": "CB2 1ZZ"}).content.decode()
        in_essex = client.get(FIND, {"postcode": "CM2 9ZZ"}).content.decode()
    assert "We could not find CB2 9ZZ" in in_an_empty_sector
    assert "Other postcodes starting" not in in_an_empty_sector
    assert "We could not find CB2 1ZZ" in beside_others
    assert "Cambridge" in beside_others  # who covers the rest of CB2 1
    assert "We could not find CM2 9ZZ" in in_essex
    assert "Chelmsford &amp; Maldon" in in_essex


def test_an_unknown_postcode_is_not_found_with_next_steps(client, chelmsford):
    response = client.get(FIND, {"postcode": "ZZ9 9ZZ"})
    page = response.content.decode()
    assert "We could not find ZZ9 9ZZ" in page
    assert reverse("teams:list") in page
    assert 'value="ZZ9 9ZZ"' in page


def test_a_postcode_without_a_council_area_is_not_found(client, db):
    PostcodeFactory(postcode="CM0 9ZZ", ward=None, district=None, quality=90)
    assert "We could not find CM0 9ZZ" in client.get(FIND, {"postcode": "CM0 9ZZ"}).content.decode()


# Outward codes, sectors and places ------------------------------------------------------------


def test_an_outward_code_with_one_team_goes_straight_to_it(client, chelmsford):
    response = client.get(FIND, {"postcode": "cm2"})
    assert response.status_code == 302
    assert response["Location"] == reverse("teams:detail", args=["chelmsford-maldon"])


def test_a_sector_shared_by_teams_lists_them_with_their_shares(client, chelmsford, cambridge):
    braintree = TeamFactory(name="Braintree", slug="braintree")
    district = DistrictFactory(code="E07000067", name="Braintree", team=braintree)
    for inward in ("9AB", "9AD", "9AE"):
        PostcodeFactory(postcode=f"CM2 {inward}", district=district, ward=None)
    PostcodeFactory(postcode="CM2 9AF", district=cambridge, ward=None)

    page = client.get(FIND, {"postcode": "CM2 9"}).content.decode()

    assert "Teams that cover CM2 9" in page
    assert page.index("Braintree") < page.index("Chelmsford &amp; Maldon")  # largest first
    assert "60%" in page and "20%" in page
    assert "Cambridge: outside Essex" in page
    assert "Contains OS data" in page


def test_an_unknown_postcode_in_no_real_outward_code_needs_no_lookup(
    client, chelmsford, django_assert_num_queries
):
    client.get(FIND, {"postcode": "QQ9 9ZZ"})  # every postcode's codes are read once
    with django_assert_num_queries(0):  # and the count for staff waits in memory
        page = client.get(FIND, {"postcode": "QQ9 9ZZ"}).content.decode()
    assert "We could not find QQ9 9ZZ" in page


def test_an_outward_code_we_do_not_have(client, chelmsford):
    page = client.get(FIND, {"postcode": "ZZ9"}).content.decode()
    assert "We could not find any postcodes in ZZ9" in page


def test_a_place_name_with_one_team_goes_straight_to_it(client, chelmsford, cambridge):
    response = client.get(FIND, {"postcode": "moulsham"})
    assert response["Location"] == reverse("teams:detail", args=["chelmsford-maldon"])


def test_a_place_name_lists_matching_areas(client, chelmsford, cambridge):
    WardFactory(code="E05013055", name="Moulsham Fields", district=cambridge)
    page = client.get(FIND, {"postcode": "moulsham"}).content.decode()
    assert "Places matching “moulsham”" in page
    assert "Moulsham Lodge: Chelmsford &amp; Maldon team" in page
    assert "Ward in Chelmsford" in page
    assert "Moulsham Fields: outside Essex" in page
    assert reverse("teams:detail", args=["chelmsford-maldon"]) in page


@pytest.mark.parametrize("typed", ["sham lo", "Lodge", "mOULSHAM", "m l"])
def test_a_ward_is_found_by_any_part_of_its_name(chelmsford, typed):
    from teams.place_search import search_places

    assert [place.name for place in search_places(typed)] == ["Moulsham Lodge"]


def test_a_place_search_lists_the_name_typed_then_names_starting_with_it_then_the_rest(
    chelmsford, cambridge
):
    """Each group Essex first, council areas before wards, then from A to Z; twenty at most."""
    from teams.place_search import PLACE_RESULTS, search_places

    essex = chelmsford.districts.get()
    DistrictFactory(code="E07000099", name="Market Town", team=chelmsford)
    for code, name, district in [
        ("E05000001", "Market Hill", cambridge),
        ("E05000002", "Old Market", essex),
        ("E05000003", "Market Square", essex),
        ("E05000004", "Upper Market", cambridge),
    ] + [(f"E051000{n:02}", f"Little Market {n:02}", cambridge) for n in range(20, 0, -1)]:
        WardFactory(code=code, name=name, district=district)
    found = [place.name for place in search_places("MARKET")]
    assert found == [
        "Market",  # the Cambridge ward, outside Essex
        "Market Town",
        "Market Square",
        "Market Hill",
        "Old Market",
        *[f"Little Market {n:02}" for n in range(1, 16)],  # not Upper Market: twenty shown
    ]
    assert len(found) == PLACE_RESULTS


def test_a_place_outside_essex_names_the_force(client, cambridge):
    page = client.get(FIND, {"postcode": "Cambridge"}).content.decode()
    assert "Cambridge: outside Essex" in page and "Cambridgeshire Constabulary" in page


def test_a_place_we_do_not_know(client, chelmsford):
    page = client.get(FIND, {"postcode": "Atlantis"}).content.decode()
    assert "We could not find a place called “Atlantis”" in page


# Bad input ------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("typed", "message"),
    [
        ("", "Enter a postcode, or the name of a town or village"),
        ("     ", "Enter a postcode, or the name of a town or village"),
        ("\x00\x01\x1f", "Enter a postcode, or the name of a town or village"),
        ("x" * 10_000, "100 characters or fewer"),
        ("<script>alert(1)</script>", "Enter a full postcode, like CM1 1AA"),
        ("😀🚓", "Enter a full postcode, like CM1 1AA"),
        ("1 OR 1=1", "Enter a full postcode, like CM1 1AA"),
    ],
)
def test_bad_input_gets_an_error_summary(client, chelmsford, typed, message):
    response = client.get(FIND, {"postcode": typed})
    assert response.status_code == 200
    page = response.content.decode()
    assert "<title>Error: " in page
    assert "There is a problem" in page and 'href="#postcode"' in page
    assert message in page
    assert "<script>alert" not in page


@pytest.mark.parametrize(
    "typed",
    [
        "<b>CM2</b> 9AA<img src=x onerror=alert(1)>",
        "'; DROP TABLE teams_postcode; --",
        "Robert'); DROP TABLE Students;--",
        "CM2\x009AA",
        "Witham\x00",
        "%00%27",
        "\u202eCM2 9AA",
        "ＣＭ２ ９ＡＡ😀",
    ],
)
def test_hostile_input_never_fails_and_is_shown_back_safely(client, chelmsford, typed):
    response = client.get(FIND, {"postcode": typed})
    assert response.status_code in (200, 302)
    page = response.content.decode()
    assert "<img src=x" not in page and "<b>CM2" not in page
    assert "\x00" not in page


def test_the_blank_finder_has_no_error(client, db):
    response = client.get(FIND)
    page = response.content.decode()
    assert response.status_code == 200
    assert "There is a problem" not in page
    assert 'name="postcode"' in page


def test_the_home_page_form_goes_to_the_finder(client, db):
    page = client.get(reverse("home")).content.decode()
    assert f'action="{FIND}"' in page and 'name="postcode"' in page


# Use my location ------------------------------------------------------------------------------


def test_nearest_postcode_to_a_point(chelmsford):
    # 51.7185, 0.4657 is about 570500, 205500 on the British National Grid.
    assert nearest_postcode(51.7185, 0.4657) == "CM2 9AA"


def test_no_postcode_near_a_point_far_away(chelmsford):
    assert nearest_postcode(57.0, -4.0) is None  # the Highlands
    assert nearest_postcode(48.85, 2.35) is None  # Paris


def test_use_my_location_goes_to_the_nearest_postcode(client, chelmsford):
    response = client.get(
        reverse("teams:find-nearest"), {"latitude": "51.7185", "longitude": "0.4657"}
    )
    assert response.status_code == 302
    assert response["Location"] == f"{FIND}?postcode=CM2%209AA"


@pytest.mark.parametrize(
    "query",
    [{}, {"latitude": "nan", "longitude": "0"}, {"latitude": "x", "longitude": "y"},
     {"latitude": "1e400", "longitude": "0"}, {"latitude": "57", "longitude": "-4"}],
)  # fmt: skip
def test_use_my_location_without_a_usable_point(client, chelmsford, query):
    response = client.get(reverse("teams:find-nearest"), query)
    assert response.status_code == 200
    assert "We could not find a postcode near your location" in response.content.decode()


def test_the_location_button_is_hidden_until_javascript_shows_it(client, db):
    page = client.get(FIND).content.decode()
    assert '<template class="app-use-my-location"' in page
    assert "js/use-my-location.mjs" in page


def test_answers_for_outward_codes_are_kept_and_show_the_code_as_found(
    client, cambridge, django_assert_max_num_queries
):
    first = client.get(FIND, {"postcode": "cb2"})
    assert "Cambridge" in first.content.decode()
    # The coverage of a real outward code is kept: the page is drawn again, without queries.
    with django_assert_max_num_queries(0):
        second = client.get(FIND, {"postcode": "cb2"})
    assert "Cambridge" in second.content.decode()
    # The form shows the outward code as the finder knows it, never the text as typed.
    assert 'value="CB2"' in second.content.decode()
    assert 'value="cb2"' not in second.content.decode()
    sector = client.get(FIND, {"postcode": "cb2  1"}).content.decode()
    assert 'value="CB2 1"' in sector


def test_a_kept_answer_follows_a_change_in_the_admin(
    client, cambridge, django_capture_on_commit_callbacks
):
    assert "Cambridge" in client.get(FIND, {"postcode": "CB2"}).content.decode()
    cambridge.name = "Cambridge City"
    with django_capture_on_commit_callbacks(execute=True):
        cambridge.save()
    assert "Cambridge City" in client.get(FIND, {"postcode": "CB2"}).content.decode()


@pytest.mark.parametrize(
    "typed",
    ["<script>alert(1)</script>", "x" * 500, "Nowhere-on-Sea", "CB2 1TN", "ZZ9 9ZZ", "QQ9", "qq9"],
)
def test_typing_never_fills_the_cache(client, chelmsford, cambridge, typed, monkeypatch):
    from django.core.cache import cache

    from teams import areas

    areas.warm()  # every postcode's codes, the same whatever is typed
    kept = []
    set_one = cache.set
    monkeypatch.setattr(cache, "set", lambda key, *a, **kw: kept.append(key) or set_one(key, *a))
    client.get(FIND, {"postcode": typed})
    assert kept == []


@pytest.mark.parametrize("label", ["", "Search again"])
@pytest.mark.parametrize("error", ["", "Enter a postcode <b>&</b>"])
@pytest.mark.parametrize("query", ["", "CM1 1AA", '"><script>alert(1)</script>', "O'Neil & Sons"])
def test_the_form_drawn_once_per_process_is_the_form_included(label, error, query):
    from django.template import engines

    engine = engines["django"]
    context = {"label": label, "error": error, "query": query}
    included = engine.from_string('{% include "includes/postcode_form.html" %}').render(context)
    drawn = engine.from_string("{% load finder_form %}{% postcode_form %}").render(context)
    assert drawn == included


ANSWERS = {
    "CB2 1TN": "CB2 1TN is in Cambridge",  # outside Essex
    "CB2 1ZZ": "Other postcodes starting CB2 1",  # we do not have it; its sector is real
    "ZZ9 9ZZ": "We could not find ZZ9 9ZZ",  # we do not have it, nor its sector
    "Ben & Jerry's": "Ben &amp; Jerry&#x27;s",  # a place we do not know
    "market": "Market: outside Essex",  # a ward's name: a list of places
    "Chelmsfrd": "Did you mean",  # a misspelt town
    "<script>": "&lt;script&gt;",  # not a postcode or a place
    "BT1 1AA": "Police Service of Northern Ireland",  # elsewhere
    "   ": "Enter a postcode, or the name of a town or village",  # nothing
    # What the page's pieces are joined at, typed: the marks are taken out, never a slot.
    "\ue000query\ue000": "We could not find a place called “query”",
}


@pytest.mark.parametrize(("typed", "shown"), ANSWERS.items())
def test_an_answer_is_the_page_as_drawn_in_full(client, cambridge, typed, shown):
    """Residents who share pages get the finder's answer inside base.html as drawn once per
    process (portal.frames): the same page, to the byte, as drawn in full for a request that
    shares nothing (here, one with a messages cookie)."""
    framed = [client.get(FIND, {"postcode": typed}).content.decode() for _ in "12"]
    assert framed[0] == framed[1] and "\x00" not in framed[0]
    assert shown in framed[0]
    assert framed[0].startswith("<!DOCTYPE html>") and framed[0].rstrip().endswith("</html>")
    assert framed[0].count("<h1") == 1 and framed[0].count("<title>") == 1
    client.cookies["messages"] = ""
    assert client.get(FIND, {"postcode": typed}).content.decode() == framed[0]


def test_each_postcode_of_a_council_gets_its_own_answer(client, cambridge):
    """The answer for a council is drawn once, with a slot for each request's postcode."""
    PostcodeFactory(postcode="CB2 1TP", ward=Ward.objects.get(), district=cambridge)
    first = client.get(FIND, {"postcode": "cb21tn"}).content.decode()
    second = client.get(FIND, {"postcode": "CB2 1TP"}).content.decode()
    assert "CB2 1TN is in Cambridge" in first and 'value="cb21tn"' in first
    assert "CB2 1TP is in Cambridge" in second and 'value="CB2 1TP"' in second
    assert "CB2 1TN" not in second and "cb21tn" not in second
    assert first.replace("CB2 1TN", "CB2 1TP").replace("cb21tn", "CB2 1TP") == second


def test_each_answer_has_its_own_title_and_the_typing_is_escaped(client, cambridge):
    first = client.get(FIND, {"postcode": "Ben & Jerry's"}).content.decode()
    title = "<title>We could not find a place called “Ben &amp; Jerry&#x27;s” – Find"
    assert title in first and "Ben & Jerry" not in first
    second = client.get(FIND, {"postcode": "cb21tn"}).content.decode()
    assert "<title>CB2 1TN is outside the area Essex Police covers – Find" in second
    assert "Jerry" not in second
    error = client.get(FIND, {"postcode": "!!!"}).content.decode()
    assert "<title>Error: Find your Community Policing Team – Essex Police" in error


def test_the_frame_of_an_answer_follows_the_cookie_choice(client, cambridge):
    import json

    from django.conf import settings as django_settings

    assert "Cookies on" in client.get(FIND, {"postcode": "CB2 1TN"}).content.decode()
    client.cookies[django_settings.COOKIE_CONSENT_NAME] = json.dumps(
        {"analytics": False, "version": django_settings.COOKIE_CONSENT_VERSION}
    )
    chosen = client.get(FIND, {"postcode": "CB2 1TN"}).content.decode()
    assert "Cookies on" not in chosen and "CB2 1TN is in Cambridge" in chosen


def test_a_council_whose_name_looks_like_a_stand_in_is_shown_as_it_is(client, cambridge):
    """The answer is joined at stand-ins (portal.frames): a name that looks like one is shown
    as it is, never taken for a slot."""
    cambridge.name = "Cambridge \ue000postcode\ue000"
    cambridge.save()
    page = client.get(FIND, {"postcode": "CB2 1TN"}).content.decode()
    assert "CB2 1TN is in Cambridge \ue000postcode\ue000." in page
