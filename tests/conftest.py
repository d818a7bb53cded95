import os

import pytest

# The Redis the cache tests run against (a database of its own: the tests empty it).
TEST_REDIS_URL = os.environ.get("TEST_REDIS_URL", "redis://127.0.0.1:6379/15")


@pytest.fixture(autouse=True)
def _fresh_cache():
    """Each test starts with an empty cache (rate limits, cached maps)."""
    from django.core.cache import cache

    from portal import cache as portal_cache

    cache.clear()
    portal_cache._copies.clear()
    portal_cache._drawn.clear()
    yield
    cache.clear()
    portal_cache._copies.clear()
    portal_cache._drawn.clear()


@pytest.fixture(autouse=True)
def _unanswered_counts_written_when_asked(monkeypatch):
    """The finder's counts of unanswered searches wait in memory until a test writes them
    (teams.unanswered.unanswered_queries_flush): never on a timer in the middle of a test
    that counts queries, and never one test's searches in another's database."""
    from teams import unanswered

    unanswered._pending.clear()
    monkeypatch.setattr(unanswered, "FLUSH_SECONDS", 10**9)
    monkeypatch.setitem(unanswered._last, "flushed", 0.0)
    yield
    unanswered._pending.clear()


@pytest.fixture(autouse=True)
def _meetings_from_next_week():
    """Each test's factory-built meetings start a week ahead, a day apart, whatever ran before.

    The factory's sequence counts every meeting built in the whole run: after a few hundred,
    a test's "coming weeks" meeting fell after the fixed dates tests compare it with (a summer
    meeting next July) and the order of the events asserted flipped, so tests passed alone and
    failed in the full suite."""
    from tests.factories import MeetingFactory

    MeetingFactory.reset_sequence()


def redis_answers(url: str = TEST_REDIS_URL) -> bool:
    import redis

    try:
        return bool(redis.Redis.from_url(url, socket_connect_timeout=1).ping())
    except redis.RedisError:
        return False


def use_test_redis(settings) -> None:
    """Cache in the test Redis, as production does, with the key prefix the settings give
    workers; skipped without one, unless REQUIRE_REDIS=1 (CI)."""
    if not redis_answers():
        if os.environ.get("REQUIRE_REDIS") == "1":
            pytest.fail(f"No Redis answers on {TEST_REDIS_URL} and REQUIRE_REDIS=1")
        pytest.skip(f"no Redis answers on {TEST_REDIS_URL}")
    settings.CACHES = {
        "default": {
            "BACKEND": "portal.redis_cache.RedisCache",
            "LOCATION": TEST_REDIS_URL,
            "KEY_PREFIX": "portal",
        }
    }


@pytest.fixture(params=["memory", "redis"])
def any_cache(request, settings):
    """Run the test on per-process memory and on a real Redis (as production does)."""
    if request.param == "redis":
        use_test_redis(settings)
    from django.core.cache import cache

    cache.clear()
    yield request.param
    cache.clear()


@pytest.fixture
def cache_keys(monkeypatch):
    """Every key the cache was asked to read or write during the test, as the cache API names
    it (before its prefix), on whichever cache the settings give (memory or Redis)."""
    from django.core.cache import caches

    backend = caches["default"]
    seen = []
    make_key = backend.make_and_validate_key

    def recording(key, version=None):
        seen.append(key)
        return make_key(key, version=version)

    monkeypatch.setattr(backend, "make_and_validate_key", recording)
    return seen


@pytest.fixture
def cache_round_trips(monkeypatch):
    """The shared cache's calls during the test, by name, one for each round trip (the memory
    cache's get_many calls its get); on whichever cache the settings give, so after any_cache."""
    from django.core.cache import caches

    backend, calls, depth = caches["default"], [], [0]

    def counting(name, original):
        def counted(*args, **kwargs):
            depth[0] += 1
            try:
                if depth[0] == 1:
                    calls.append(name)
                return original(*args, **kwargs)
            finally:
                depth[0] -= 1

        return counted

    for name in ("get", "get_many", "get_or_set", "set", "add", "incr"):
        monkeypatch.setattr(backend, name, counting(name, getattr(backend, name)))
    return calls
