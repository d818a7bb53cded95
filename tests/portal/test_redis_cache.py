"""The Redis cache backend: Django's, with one client per pool and no checks made for memcached."""

import warnings

import pytest
from django.core.cache import CacheKeyWarning

from tests.conftest import use_test_redis


@pytest.fixture
def redis_cache(settings):
    use_test_redis(settings)
    from django.core.cache import cache

    cache.clear()
    yield cache
    cache.clear()


@pytest.mark.parametrize("name", ["with a space", "k" * 300])
def test_redis_keeps_any_key_without_a_warning(redis_cache, name):
    with warnings.catch_warnings():
        warnings.simplefilter("error", CacheKeyWarning)
        assert redis_cache.get(name) is None
        redis_cache.set(name, {"kept": [1, 2]}, 60)
        assert redis_cache.get(name) == {"kept": [1, 2]}
        assert redis_cache.get_many([name, "other"]) == {name: {"kept": [1, 2]}}
        assert redis_cache.add(name, "again", 60) is False
        assert redis_cache.get_or_set(name, "default", 60) == {"kept": [1, 2]}
        redis_cache.set(name, 41, 60)
        assert redis_cache.incr(name) == 42
        assert redis_cache.delete(name) is True
        assert redis_cache.get(name, "gone") == "gone"
        with pytest.raises(ValueError):
            redis_cache.incr(name)


def test_redis_shares_one_client_between_calls(redis_cache):
    from django.core.cache import caches

    backend = caches["default"]._cache
    assert backend.get_client("a") is backend.get_client("b")


def test_a_pages_key_stays_short_and_memcached_safe_however_long_its_path(rf):
    """Keys hold a fixed-length digest of the page's address, so even on a cache that checks
    keys (per-process memory, as memcached would) a long path with spaces is no problem."""
    from django.core.cache import cache

    from portal.cache import _page_key

    request = rf.get("/teams/" + "a%20long%20name/" * 200)
    with warnings.catch_warnings():
        warnings.simplefilter("error", CacheKeyWarning)
        name = _page_key(request, "v7", "team=colchester&quarter=2026-Q3")
        cache.set(name, "page", 60)
    assert len(cache.make_key(name)) < 100
    assert " " not in name


def test_a_read_survives_redis_dropping_the_connection(redis_cache):
    # Reads go on each thread's own connection: one Redis has closed (a restart, an idle
    # timeout) is opened again and the read sent once more, as redis-py's client would.
    import redis
    from django.core.cache import caches

    from portal import redis_cache as backend_module
    from tests.conftest import TEST_REDIS_URL

    redis_cache.set("kept", {"page": 1}, 60)
    assert redis_cache.get("kept") == {"page": 1}
    mine = backend_module.own_connection(caches["default"]._cache._get_connection_pool(False))
    mine.send_command("CLIENT", "ID")
    redis.Redis.from_url(TEST_REDIS_URL).client_kill_filter(_id=mine.read_response())
    assert redis_cache.get("kept") == {"page": 1}
    assert redis_cache.get("missing", "default") == "default"


def test_each_forked_worker_opens_its_own_connection(redis_cache, monkeypatch):
    from django.core.cache import caches

    from portal import redis_cache as backend_module

    pool = caches["default"]._cache._get_connection_pool(False)
    parent = backend_module.own_connection(pool)
    assert backend_module.own_connection(pool) is parent
    monkeypatch.setattr(backend_module.os, "getpid", lambda: -1)  # as in a forked child
    assert backend_module.own_connection(pool) is not parent
