"""The open data as HTTP: caching headers and 304s, CORS, the rate limit, no cookies."""

import hashlib

import pytest
from django.urls import reverse
from django.utils.http import quote_etag

from api import ratelimit
from teams.models import Priority

PRIORITIES = reverse("api:priorities", kwargs={"slug": "chelmsford-maldon"})


def test_an_unchanged_answer_is_a_304_by_etag(client, area):
    first = client.get(PRIORITIES)
    assert first.status_code == 200
    assert first["Cache-Control"] == "public, max-age=300"
    again = client.get(PRIORITIES, headers={"If-None-Match": first["ETag"]})
    assert again.status_code == 304
    assert again.content == b""
    assert again["ETag"] == first["ETag"]


def test_a_changed_answer_is_sent_again_with_a_new_etag(
    client, area, django_capture_on_commit_callbacks
):
    first = client.get(PRIORITIES)
    with django_capture_on_commit_callbacks(execute=True):  # the cache follows the commit
        Priority.objects.create(team=area.chelmsford, title="Dog fouling", raised_on="2026-10-01")
    again = client.get(PRIORITIES, headers={"If-None-Match": first["ETag"]})
    assert again.status_code == 200
    assert again["ETag"] != first["ETag"]
    assert again.json()[0]["issue"] == "Dog fouling"


def test_a_located_neighbourhood_is_json_with_its_etag_and_a_304_by_it(client, area):
    """The answer made once per team (api.views._located) is what Ninja would send, and the
    ETag is the one the middleware gives any answer: the MD5 of the body."""
    locate = reverse("api:locate-neighbourhood") + "?q=51.7356,0.4685"
    first = client.get(locate)
    assert first.status_code == 200
    assert first.content == b'{"force": "essex", "neighbourhood": "chelmsford-maldon"}'
    assert first["Content-Type"] == "application/json; charset=utf-8"
    assert first["ETag"] == quote_etag(
        hashlib.md5(first.content, usedforsecurity=False).hexdigest()
    )
    assert first["Cache-Control"] == "public, max-age=300"
    again = client.get(locate, headers={"If-None-Match": first["ETag"]})
    assert again.status_code == 304
    assert again.content == b""


def test_an_unchanged_answer_is_a_304_by_date(client, area):
    first = client.get(PRIORITIES)
    again = client.get(PRIORITIES, headers={"If-Modified-Since": first["Last-Modified"]})
    assert again.status_code == 304


def test_an_answer_is_json_that_may_load_nothing_and_says_its_length(client, area):
    response = client.get(PRIORITIES)
    assert response["Content-Type"] == "application/json"
    assert response["Content-Security-Policy"] == "default-src 'none'; frame-ancestors 'none'"
    assert response["X-Frame-Options"] == "DENY"
    assert response["X-Content-Type-Options"] == "nosniff"
    assert int(response["Content-Length"]) == len(response.content)


@pytest.mark.parametrize(
    "path",
    [
        reverse("api:priorities", kwargs={"slug": "no-such-team"}),
        "/api/no/such/method",
        reverse("api:locate-neighbourhood") + "?q=x",
    ],
)
def test_errors_are_json_with_the_same_headers(client, area, path):
    response = client.get(path)
    assert response.status_code in (400, 404)
    assert "detail" in response.json()
    assert "default-src 'none'" in response["Content-Security-Policy"]
    assert response["X-Frame-Options"] == "DENY"


def test_a_host_not_allowed_is_refused_with_the_sites_error_page(client, area):
    response = client.get(PRIORITIES, HTTP_HOST="evil.example")
    assert response.status_code == 400
    assert response["Content-Type"].startswith("text/html")
    # A page: the site's own policy, so that its stylesheet loads.
    assert "default-src 'self'" in response["Content-Security-Policy"]
    assert response["X-Frame-Options"] == "DENY"


def test_a_view_that_breaks_gives_the_sites_error_page_through_the_api_headers(
    client, area, monkeypatch
):
    # The API's requests skip the middleware made for pages (api.middleware): Django's error
    # handling must still turn a failure into the site's 500 page, with the same headers.
    from api import police_uk

    def broken():
        raise RuntimeError("the database went away")

    monkeypatch.setattr(police_uk, "neighbourhoods", broken)
    client.raise_request_exception = False
    response = client.get(reverse("api:neighbourhoods"))
    assert response.status_code == 500
    assert response["Content-Type"].startswith("text/html")
    assert "default-src 'self'" in response["Content-Security-Policy"]
    assert response["X-Frame-Options"] == "DENY"


def test_any_website_may_read_the_api_from_a_browser(client, area):
    response = client.get(PRIORITIES, headers={"Origin": "https://parish.example"})
    assert response["Access-Control-Allow-Origin"] == "*"
    assert "ETag" in response["Access-Control-Expose-Headers"]
    preflight = client.options(
        PRIORITIES,
        headers={"Origin": "https://parish.example", "Access-Control-Request-Method": "GET"},
    )
    assert preflight.status_code == 200
    assert "GET" in preflight["Access-Control-Allow-Methods"]
    assert "POST" not in preflight["Access-Control-Allow-Methods"]


def test_the_rest_of_the_site_is_not_opened_to_other_websites(client, area):
    response = client.get(reverse("teams:list"), headers={"Origin": "https://parish.example"})
    assert "Access-Control-Allow-Origin" not in response


def test_the_api_sets_no_cookies(client, area):
    response = client.get(PRIORITIES)
    assert not response.cookies


@pytest.fixture
def clock(monkeypatch):
    """The rate limit's clock, stopped at a moment the test moves on by hand."""
    moment = [1_800_000_000.0]
    monkeypatch.setattr(ratelimit, "now", lambda: moment[0])
    return moment


def test_a_burst_of_thirty_then_fifteen_a_second_as_on_police_uk(client, area, clock, any_cache):
    # On Redis, as in production, every worker counts the same number.
    statuses = [client.get(PRIORITIES).status_code for _ in range(30)]
    assert statuses == [200] * 30
    refused = client.get(PRIORITIES)
    assert refused.status_code == 429
    assert refused["Content-Type"].startswith("application/json")
    assert int(refused["Retry-After"]) >= 1
    assert "Too many requests" in refused.json()["detail"]
    clock[0] += 1  # a second later, fifteen more
    statuses = [client.get(PRIORITIES).status_code for _ in range(16)]
    assert statuses == [200] * 15 + [429]


def test_the_limit_holds_when_redis_forgets_its_scripts_or_drops_the_connection(
    client, area, clock, settings
):
    # Each worker keeps its own connection for the counts: after a Redis restart (scripts
    # gone, connection closed) the next count goes through, and none is lost or made twice.
    import redis
    from django.core.cache import cache, caches

    from portal import redis_cache, throttle
    from tests.conftest import TEST_REDIS_URL, use_test_redis

    use_test_redis(settings)
    other = redis.Redis.from_url(TEST_REDIS_URL)
    try:
        statuses = [client.get(PRIORITIES).status_code for _ in range(10)]
        other.script_flush()
        statuses += [client.get(PRIORITIES).status_code for _ in range(10)]
        mine = redis_cache.own_connection(throttle._redis_pool(caches["default"]))
        mine.send_command("CLIENT", "ID")
        other.client_kill_filter(_id=mine.read_response())
        statuses += [client.get(PRIORITIES).status_code for _ in range(11)]
    finally:
        cache.clear()  # the count made at the stopped clock's time, ahead of the real one
    assert statuses == [200] * 30 + [429]


def test_the_limit_is_for_each_client_address(client, area, clock):
    for _ in range(30):
        client.get(PRIORITIES)
    assert client.get(PRIORITIES).status_code == 429
    assert client.get(PRIORITIES, REMOTE_ADDR="192.0.2.7").status_code == 200


def test_behind_our_proxy_each_client_has_its_own_limit(client, area, clock, settings):
    # Every request arrives from the load balancer; only the address it vouches for tells
    # clients apart, so one busy client does not shut the API for everyone behind it.
    settings.TRUSTED_PROXIES = ["10.0.0.0/24"]
    busy = {"REMOTE_ADDR": "10.0.0.5", "HTTP_X_FORWARDED_FOR": "198.51.100.1"}
    for _ in range(30):
        client.get(PRIORITIES, **busy)
    assert client.get(PRIORITIES, **busy).status_code == 429
    other = {"REMOTE_ADDR": "10.0.0.5", "HTTP_X_FORWARDED_FOR": "198.51.100.2"}
    assert client.get(PRIORITIES, **other).status_code == 200


def test_the_rest_of_the_site_has_no_such_limit(client, area, clock):
    for _ in range(31):
        client.get(PRIORITIES)
    assert client.get(reverse("teams:list")).status_code == 200


def test_an_answer_asked_again_costs_one_redis_round_trip(client, area, settings, monkeypatch):
    # The rate limit's count and the cache generation go in one script; the answer itself is
    # this process's copy of the kept one. Counted where anything is written to a connection,
    # through redis-py's client or not.
    from redis.connection import AbstractConnection

    from tests.conftest import use_test_redis

    use_test_redis(settings)
    client.get(PRIORITIES)
    sent = []
    send = AbstractConnection.send_packed_command

    def counting(connection, command, *args, **kwargs):
        sent.append(command)
        return send(connection, command, *args, **kwargs)

    monkeypatch.setattr(AbstractConnection, "send_packed_command", counting)
    again = client.get(PRIORITIES)
    assert again.status_code == 200
    assert len(sent) == 1, sent
