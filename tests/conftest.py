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
    yield
    cache.clear()
    portal_cache._copies.clear()


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
