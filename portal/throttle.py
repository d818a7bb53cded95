"""Counting clients in the shared cache, one round trip each: the survey's hourly limit of
submissions and the open data API's steady rate with bursts.

Both keep one number per client, under a keyed hash of the client's address (`client_key`): the
cache never holds the address itself, and the key cannot be reversed without the site's secret.

On Redis each count is one small Lua script, run by Redis as one step: one round trip, and two
workers counting the same client at the same instant both count (nothing is read and then
written back over another worker's count). On any other cache (per-process memory in
development and tests) the same arithmetic runs under a lock through the cache's own methods.
"""

import hashlib
import math
import threading

from django.core.cache import DEFAULT_CACHE_ALIAS, cache, caches
from django.core.cache.backends.redis import RedisCacheClient
from django.utils.crypto import salted_hmac
from redis.exceptions import NoScriptError

from .redis_cache import command

# Add one to the count, starting it (and the time it is kept) at the first.
_COUNT = """
local count = redis.call('INCR', KEYS[1])
if count == 1 then redis.call('EXPIRE', KEYS[1], ARGV[1]) end
return count
"""

# The generic cell rate algorithm in whole microseconds (exact in Lua's numbers): the stored
# value is when the client's bucket will be empty again. ARGV: now, the interval between
# requests at the steady rate, how far ahead of now that time may run (the burst), and how long
# to keep it. Returns how long to wait, or -1 when the request may go ahead (and is counted),
# and the value under KEYS[2] (read in the same round trip) if there is one.
_SPACE = """
local now = tonumber(ARGV[1])
local arrival = math.max(tonumber(redis.call('GET', KEYS[1]) or now), now) + tonumber(ARGV[2])
local also = false
if KEYS[2] then also = redis.call('GET', KEYS[2]) end
if arrival - now > tonumber(ARGV[3]) then return {arrival - now - tonumber(ARGV[3]), also} end
redis.call('SET', KEYS[1], arrival, 'PX', ARGV[4])
return {-1, also}
"""

_lock = threading.Lock()  # the fallback's read and write, as one step within this process
MICRO = 1_000_000


class _Script:
    """A Lua script run on Redis by its SHA1 (EVALSHA), sent whole (EVAL) when Redis has not
    seen it yet (a restart, SCRIPT FLUSH)."""

    def __init__(self, source: str):
        self.source = source
        self.sha = hashlib.sha1(source.encode(), usedforsecurity=False).hexdigest()


_COUNT_SCRIPT = _Script(_COUNT)
_SPACE_SCRIPT = _Script(_SPACE)


def _redis_pool(backend):
    """The Redis connection pool of the cache `backend`, or None when it is not Redis."""
    client = getattr(backend, "_cache", None)
    if not isinstance(client, RedisCacheClient):
        return None
    return client._get_connection_pool(write=True)


def _run(pool, script: _Script, keys: list[str], args: list[int]):
    """`script`'s reply, run on this thread's own connection (portal.redis_cache.command)."""
    try:
        return command(pool, "EVALSHA", script.sha, len(keys), *keys, *args)
    except NoScriptError:  # Redis restarted, or SCRIPT FLUSH: send it whole
        return command(pool, "EVAL", script.source, len(keys), *keys, *args)


def client_key(scope: str, address: str) -> str:
    """The key under which `scope` ("surveys", "api") counts the client at `address`."""
    digest = salted_hmac(f"portal.throttle.{scope}", address or "unknown").hexdigest()[:32]
    return f"throttle:{scope}:{digest}"


def count(key: str, *, seconds: int) -> int:
    """Add one to the count under `key` (kept for `seconds` from the first); the new count."""
    backend = caches[DEFAULT_CACHE_ALIAS]
    pool = _redis_pool(backend)
    if pool is not None:
        return int(_run(pool, _COUNT_SCRIPT, [backend.make_key(key)], [seconds]))
    with _lock:
        if cache.add(key, 1, timeout=seconds):
            return 1
        try:
            return cache.incr(key)
        except ValueError:  # expired between the two
            cache.set(key, 1, timeout=seconds)
            return 1


def counted(key: str) -> int:
    """The count under `key`, without adding to it."""
    return int(cache.get(key) or 0)


def wait_for_turn(
    key: str, *, rate: float, burst: int, now: float, read: str | None = None
) -> tuple[int | None, int | None]:
    """A steady `rate` a second with bursts of `burst` (the generic cell rate algorithm): None
    if a request at `now` may go ahead (and counts it), else the whole seconds to wait. With
    `read`, the whole number kept under that key too (or None), read in the same round trip."""
    interval = round(MICRO / rate)
    # How far ahead of now the bucket may run: the burst, plus a microsecond for each interval
    # it holds, which rounding to whole microseconds may have added.
    ahead = burst * interval + burst + 1
    moment = round(now * MICRO)
    keep_ms = math.ceil(ahead / 1000) + 1000
    backend = caches[DEFAULT_CACHE_ALIAS]  # once: each use of `cache` looks it up again
    pool = _redis_pool(backend)
    if pool is not None:
        # Keys made here (a hex digest, the generation's name) need none of the checks for
        # memcached that make_and_validate_key runs over every character.
        keys = [backend.make_key(name) for name in (key, read) if name]
        wait, also = _run(pool, _SPACE_SCRIPT, keys, [moment, interval, ahead, keep_ms])
        also = _whole_number(also)
    else:
        with _lock:
            arrival = max(int(backend.get(key) or moment), moment) + interval
            wait = arrival - moment - ahead if arrival - moment > ahead else -1
            if wait < 0:
                backend.set(key, arrival, math.ceil(keep_ms / 1000))
        also = _whole_number(backend.get(read)) if read else None
    return (None if wait < 0 else max(1, math.ceil(wait / MICRO))), also


def _whole_number(value) -> int | None:
    # Django's Redis cache keeps whole numbers as their digits, anything else pickled.
    try:
        return int(value)
    except (TypeError, ValueError):
        return None
