"""The finder's answer for a real outward code: one page for everyone, however it was typed."""

import json

import pytest
from django.conf import settings
from django.core.cache import caches
from django.test import Client
from django.urls import reverse

from tests.factories import DistrictFactory, PostcodeFactory, TeamFactory, WardFactory

FIND = reverse("teams:find")


@pytest.fixture
def cm1(db):
    """CM1, shared by two teams: its answer is a page of its own, not a redirect to a team."""
    city = TeamFactory(name="Chelmsford City", slug="chelmsford-city")
    district = DistrictFactory(code="E07000070", name="Chelmsford", team=city)
    writtle = TeamFactory(name="Writtle", slug="writtle")
    PostcodeFactory(postcode="CM1 1AA", ward=WardFactory(district=district), district=district)
    PostcodeFactory(
        postcode="CM1 3AA", ward=WardFactory(district=district, team=writtle), district=district
    )
    return writtle


@pytest.fixture
def pages_kept(monkeypatch):
    """The whole pages kept in the shared cache during the test (after any_cache, if used)."""
    backend = caches["default"]
    kept, set_one = [], backend.set
    monkeypatch.setattr(
        backend,
        "set",
        lambda key, *a, **kw: (":page:" in key and kept.append(key)) or set_one(key, *a, **kw),
    )
    return kept


def test_an_outward_code_is_one_page_however_it_was_typed(
    cm1, any_cache, cache_round_trips, django_assert_num_queries
):
    first = Client().get(FIND, {"postcode": "cm1"})
    assert first.status_code == 200
    assert "public" in first["Cache-Control"] and "Cookie" in first["Vary"]
    page = first.content.decode()
    assert "<title>Teams that cover CM1 – Find" in page
    assert '<h1 class="govuk-heading-xl">Teams that cover CM1</h1>' in page
    assert 'value="CM1"' in page and "cm1" not in page
    assert "Writtle" in page and "Chelmsford City" in page
    for typed in ("CM1", " Cm1 "):
        cache_round_trips.clear()
        with django_assert_num_queries(0):
            again = Client().get(FIND, {"postcode": typed})
        # The generation; the page is this process's copy.
        assert cache_round_trips == ["get_or_set"]
        assert again.content == first.content
        assert "public" in again["Cache-Control"]


def test_the_kept_page_is_the_page_drawn_for_one_resident(cm1):
    shared = Client().get(FIND, {"postcode": "CM1"})
    signed_in = Client()
    signed_in.cookies[settings.SESSION_COOKIE_NAME] = "someone"
    drawn = signed_in.get(FIND, {"postcode": "cm1"})
    assert drawn.content == shared.content
    assert "private" in drawn["Cache-Control"]


def test_a_session_is_drawn_for_itself_and_never_kept(cm1, pages_kept):
    client = Client()
    client.cookies[settings.SESSION_COOKIE_NAME] = "someone"
    response = client.get(FIND, {"postcode": "CM1"})
    assert "Teams that cover CM1" in response.content.decode()
    assert "public" not in response["Cache-Control"]
    assert pages_kept == []


def test_another_parameter_is_drawn_and_never_kept(cm1, any_cache, pages_kept):
    marker = "mk0123456789abcdef"
    response = Client().get(FIND, {"postcode": "CM1", "page": marker})
    assert "Teams that cover CM1" in response.content.decode()
    assert marker not in response.content.decode()
    assert "public" not in response["Cache-Control"]
    assert pages_kept == []
    twice = Client().get(f"{FIND}?postcode=CM1&postcode=CM1")
    assert "public" not in twice["Cache-Control"]
    assert pages_kept == []
    later = Client().get(FIND, {"postcode": "CM1"})
    assert marker not in later.content.decode()
    assert len(pages_kept) == 1


def test_an_outward_code_with_no_postcodes_is_drawn_and_never_kept(cm1, pages_kept):
    for _ in range(2):
        response = Client().get(FIND, {"postcode": "qq9"})
        assert "We could not find any postcodes in QQ9" in response.content.decode()
        assert "public" not in response["Cache-Control"]
    assert pages_kept == []


def test_a_team_changed_in_the_admin_shows_on_the_next_request(
    cm1, any_cache, django_capture_on_commit_callbacks
):
    assert "Writtle" in Client().get(FIND, {"postcode": "CM1"}).content.decode()
    cm1.name = "Writtle and Broomfield"
    with django_capture_on_commit_callbacks(execute=True):
        cm1.save()
    assert "Writtle and Broomfield" in Client().get(FIND, {"postcode": "cm1"}).content.decode()


def test_each_cookie_choice_has_its_own_page(cm1):
    undecided = Client().get(FIND, {"postcode": "CM1"}).content.decode()
    decided = Client()
    decided.cookies[settings.COOKIE_CONSENT_NAME] = json.dumps(
        {"analytics": False, "version": settings.COOKIE_CONSENT_VERSION}
    )
    page = decided.get(FIND, {"postcode": "CM1"}).content.decode()
    banner = f'<form method="post" action="{reverse("cookie-consent")}">'
    assert banner in undecided
    assert banner not in page
    assert "Teams that cover CM1" in page
