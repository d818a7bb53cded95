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
