"""Nothing shared between requests carries one request's data, on every public URL.

A unique marker is sent in one request's query string, cookies and headers; no later request,
whatever its cookie choice, may see it. Run on per-process memory and on a real Redis.
"""

import datetime
import json
import uuid

import pytest
from django.conf import settings
from django.core.cache import caches
from django.test import Client
from django.urls import URLResolver, get_resolver, reverse
from hypothesis import HealthCheck, given
from hypothesis import settings as hypothesis_settings
from hypothesis import strategies as st

from teams.models import OfficerPhoto
from tests.factories import (
    DistrictFactory,
    DutyPeriodFactory,
    MeetingFactory,
    OfficerFactory,
    PostcodeFactory,
    QuestionFactory,
    TeamFactory,
    WardFactory,
)

pytestmark = pytest.mark.django_db

# Pages only staff reach (they sign in, so nothing of theirs is ever shared).
STAFF_ONLY = ("admin:", "surveys:staff-")


def named_patterns(patterns=None, namespace=""):
    """(namespaced name, names of its arguments) for every named URL of the site."""
    for pattern in get_resolver().url_patterns if patterns is None else patterns:
        if isinstance(pattern, URLResolver):
            inner = f"{namespace}{pattern.namespace}:" if pattern.namespace else namespace
            yield from named_patterns(pattern.url_patterns, inner)
        elif pattern.name:
            yield namespace + pattern.name, sorted(getattr(pattern.pattern, "converters", {}))


@pytest.fixture
def site():
    """Some of everything residents can see."""
    team = TeamFactory(name="Colchester", slug="colchester")
    ward = WardFactory(district=DistrictFactory(team=team))
    PostcodeFactory(postcode="CO1 1AA", ward=ward, district=ward.district)
    officer = OfficerFactory(team=team)
    photo = OfficerPhoto.objects.create(
        officer=officer,
        image=b"RIFF",
        content_type="image/webp",
        digest="a" * 64,
        width=1,
        height=1,
    )
    DutyPeriodFactory(team=team)
    meeting = MeetingFactory(team=team)
    question = QuestionFactory()
    survey = question.page.survey
    return {
        "slug": {
            "teams:detail": team.slug,
            "teams:past-priorities": team.slug,
            "meetings:detail": meeting.slug if hasattr(meeting, "slug") else "meeting",
            "meetings:team-past": team.slug,
            "meetings:team-calendar": team.slug,
            "meetings:team-feed": team.slug,
            "meetings:team-feed-atom": team.slug,
            "surveys:start": survey.slug,
            "surveys:page": survey.slug,
            "surveys:check": survey.slug,
            "surveys:confirmation": survey.slug,
            "surveys:results": survey.slug,
            **{
                f"api:{name}": team.slug
                for name in (
                    "neighbourhood",
                    "people",
                    "events",
                    "priorities",
                    "boundary",
                    "boundary-geojson",
                )
            },
        },
        "pk": {
            "meetings:detail": meeting.pk,
            "meetings:detail-short": meeting.pk,
            "meetings:calendar": meeting.pk,
            "teams:officer-photo": officer.pk,
        },
        "digest": {"teams:officer-photo": photo.digest},
        "number": {"surveys:page": 1},
        "meeting": meeting,
    }


def public_urls(site) -> list[str]:
    urls, unknown = [], []
    for name, arguments in named_patterns():
        if name.startswith(STAFF_ONLY):
            continue
        try:
            kwargs = {argument: site[argument][name] for argument in arguments}
        except KeyError:
            unknown.append(name)
            continue
        if name == "meetings:detail":
            urls.append(site["meeting"].get_absolute_url())
        else:
            urls.append(reverse(name, kwargs=kwargs))
    assert not unknown, f"add these URLs to the site fixture: {unknown}"
    return urls


def poisoned_client(marker: str, *, with_cookies: bool) -> Client:
    headers = {
        "User-Agent": f"Mozilla/5.0 {marker}",
        "Referer": f"http://testserver/{marker}/",
        "X-Forwarded-For": f"203.0.113.7, {marker}",
        "Accept-Language": f"en-GB, {marker}",
    }
    client = Client(headers=headers)
    if with_cookies:
        client.cookies[settings.COOKIE_CONSENT_NAME] = json.dumps(
            {"analytics": True, "version": settings.COOKIE_CONSENT_VERSION, "note": marker}
        )
        for name in ("marker", settings.CSRF_COOKIE_NAME, "messages", settings.SESSION_COOKIE_NAME):
            client.cookies[name] = marker
    return client


def later_clients() -> list[Client]:
    """Residents who come later: no choice yet, accepted, rejected."""
    clients = [Client()]
    for choice in (True, False):
        client = Client()
        client.cookies[settings.COOKIE_CONSENT_NAME] = json.dumps(
            {"analytics": choice, "version": settings.COOKIE_CONSENT_VERSION}
        )
        clients.append(client)
    return clients


def test_no_request_sees_anything_of_an_earlier_one(site, any_cache):
    marker = f"mk{uuid.uuid4().hex}"
    urls = public_urls(site)
    assert len(urls) >= 20
    for url in urls:
        # Only in headers (the request would otherwise share the page), then everywhere.
        poisoned_client(marker, with_cookies=False).get(url)
        poisoned_client(marker, with_cookies=True).get(
            url, {"postcode": marker, "page": marker, "next": marker}
        )
    seen = []
    for client in later_clients():
        for url in urls:
            for _ in range(2):  # the first may draw and keep; the second is the kept copy
                response = client.get(url)
                assert response.status_code < 500, url
                text = response.content.decode(errors="replace") + str(response.headers)
                if marker in text:
                    seen.append(url)
    assert seen == []


def test_a_residents_postcode_is_never_in_another_residents_page(site, any_cache):
    team_page = reverse("teams:detail", kwargs={"slug": "colchester"})
    first = Client().get(team_page, {"postcode": "CO1 1AA"}).content.decode()
    assert "Your team for CO1 1AA" in first
    for client in later_clients():
        for _ in range(2):
            page = client.get(team_page).content.decode()
            assert "Colchester Community Policing Team" in page
            assert "Your team for" not in page
            assert "CO1 1AA" not in page


def test_shared_pages_say_so_and_personal_ones_say_private(site, any_cache):
    home = Client().get(reverse("home"))
    assert "public" in home["Cache-Control"]
    assert "max-age=60" in home["Cache-Control"]
    assert "Cookie" in home["Vary"]
    # A page with a form token, and any page seen with a session, is for one resident only.
    cookies_page = Client().get(reverse("cookies"))
    assert "private" in cookies_page["Cache-Control"]
    answer = Client().get(reverse("teams:find"), {"postcode": "CO1"})
    assert "private" in answer["Cache-Control"]


ANY_TEXT = st.text(max_size=60)
# What a WSGI server can hand over in a header: bytes, read as ISO-8859-1.
HEADER_TEXT = st.text(st.characters(min_codepoint=32, max_codepoint=0xFF), max_size=60)


@hypothesis_settings(
    max_examples=40,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(data=st.data())
def test_no_cookie_header_or_query_value_makes_a_server_error(site, data):
    urls = public_urls(site)
    url = data.draw(st.sampled_from(urls))
    client = Client(
        headers={
            "User-Agent": data.draw(HEADER_TEXT),
            "Referer": data.draw(HEADER_TEXT),
            "X-Forwarded-For": data.draw(HEADER_TEXT),
            "Sec-Fetch-Site": data.draw(HEADER_TEXT),
        }
    )
    client.cookies[settings.COOKIE_CONSENT_NAME] = data.draw(
        HEADER_TEXT | st.just("[" * 3000 + "]" * 3000)
    )
    client.cookies[settings.SESSION_COOKIE_NAME] = data.draw(HEADER_TEXT)
    query = data.draw(st.dictionaries(st.sampled_from(["postcode", "page", "q"]), ANY_TEXT))
    response = client.get(url, query)
    assert response.status_code < 500


def test_a_restarted_redis_never_brings_back_a_workers_old_copies(site, any_cache):
    from django.core.cache import cache

    from teams.models import Team

    team_page = reverse("teams:detail", kwargs={"slug": "colchester"})
    assert "Colchester Community Policing Team" in Client().get(team_page).content.decode()
    # Renamed while the cache was away (no signal), then the cache comes back empty; this
    # worker still holds its copies from before.
    Team.objects.filter(slug="colchester").update(name="Colne Valley")
    cache.clear()
    assert "Colne Valley Community Policing Team" in Client().get(team_page).content.decode()


def test_each_worker_keeps_only_so_many_copies(settings):
    from portal import cache as portal_cache

    for number in range(portal_cache.KEPT_IN_PROCESS + 50):
        portal_cache.keep(portal_cache.key("test", number), number, 60)
    assert len(portal_cache._copies) == portal_cache.KEPT_IN_PROCESS
    newest = portal_cache.key("test", portal_cache.KEPT_IN_PROCESS + 49)
    assert portal_cache.kept(newest) == portal_cache.KEPT_IN_PROCESS + 49


def test_fragments_drawn_in_a_process_do_not_push_out_its_copies_of_kept_pages(settings):
    """A finder asked about every outward code draws thousands of tables: they go first among
    themselves, and the copies of kept pages stay."""
    from portal import cache as portal_cache

    page = portal_cache.key("page", "home")
    portal_cache.keep(page, "the home page", 60)
    caches["default"].clear()  # from now on only this process's copy can answer
    drawn = []
    for number in range(portal_cache.DRAWN_IN_PROCESS + 50):
        portal_cache.drawn_here(f"fragment:{number}", 60, lambda n=number: drawn.append(n) or n)
    assert portal_cache.kept(page) == "the home page"
    assert len(portal_cache._drawn) == portal_cache.DRAWN_IN_PROCESS
    assert portal_cache.drawn_here("fragment:0", 60, lambda: "again") == "again"  # the oldest went
    assert portal_cache.drawn_here("fragment:100", 60, lambda: "again") == 100


def test_a_fragment_drawn_in_one_process_is_drawn_again_in_the_next_generation(
    django_capture_on_commit_callbacks,
):
    from portal import cache as portal_cache

    drawings = []

    def draw():
        drawings.append(1)
        return f"table {len(drawings)}"

    def table():
        return portal_cache.drawn_here(portal_cache.key("table", "CM1"), 60, draw)

    assert table() == table() == "table 1"  # drawn once, then the process's copy
    assert portal_cache.cache.get(portal_cache.key("table", "CM1")) is None  # nothing shared
    with django_capture_on_commit_callbacks(execute=True):
        portal_cache.content_changed()
    assert table() == "table 2"


def test_a_response_that_sets_a_cookie_is_never_public(rf):
    from django.http import HttpResponse

    from portal.cache import mark_shared
    from portal.middleware import CacheControlMiddleware

    def view(request):
        response = HttpResponse("page")
        mark_shared(response)
        response.set_cookie("anything", "value")
        return response

    response = CacheControlMiddleware(view)(rf.get("/"))
    assert response["Cache-Control"] == "private, no-cache"


def test_what_residents_write_moves_no_generation(django_capture_on_commit_callbacks):
    from django.contrib.sessions.models import Session
    from django.db.models.signals import post_delete

    from portal.cache import generation
    from teams.models import UnansweredQuery

    before = generation()
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        UnansweredQuery.objects.create(day=datetime.date(2026, 11, 28), text="nowhere")
    assert callbacks == []
    assert generation() == before
    # Only content models have receivers, so other tables are still deleted in bulk.
    assert not post_delete.has_listeners(Session)
    assert post_delete.has_listeners(UnansweredQuery) is False
