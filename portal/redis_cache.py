"""Django's Redis cache backend, keeping one Redis client per connection pool and skipping the
checks made for memcached.

The built-in backend makes a new `redis.Redis` for every cache call; with redis-py 8 that costs
about as much as serving the bare benchmark view (building its table of response callbacks),
and a shared page takes two calls. The client is safe to share between threads: each command
borrows a connection from the pool.

Every cache call also checks its key against memcached's rules (at most 250 characters, no
spaces or control characters), a Python loop over each character that costs several
microseconds a key. Redis takes any key, and ours are made only from known objects
(`portal.cache.key`, a fixed-length digest for a page's path), so the check is left out here.
Per-process memory (development and tests) still makes it.
"""

import os
import threading

from django.core.cache.backends.redis import RedisCache as DjangoRedisCache
from django.core.cache.backends.redis import RedisCacheClient
from redis.exceptions import ConnectionError as RedisConnectionError

# Each thread's own connection to each Redis server, for the commands sent on nearly every
# request: reading the generation or a kept entry (`RedisCache.get`), the rate limit's script
# (portal.throttle). Through redis-py's client each command takes a connection from the pool,
# checks it has nothing waiting to be read (a system call), records metrics and gives it back:
# about 40 µs of CPU, more than the round trip itself. A connection of the thread's own can
# have nothing waiting: each command reads its whole reply.
_own = threading.local()


def own_connection(pool):
    """This thread's own connection made like `pool`'s (made again in a forked worker)."""
    if getattr(_own, "pid", None) != os.getpid():
        _own.pid, _own.connections = os.getpid(), {}
    held = _own.connections.get(id(pool))
    if held is None or held[0] is not pool:
        held = _own.connections[id(pool)] = (
            pool,
            pool.connection_class(**pool.connection_kwargs),
        )
    return held[1]


def command(pool, *args):
    """The reply to one command sent on this thread's own connection (`own_connection`). A
    connection that failed (Redis restarted, the socket closed while idle) is opened again and
    the command sent once more, as redis-py's client would; a second failure is raised, and so
    is a timeout, at once (the command may have run: the rate limit must not count twice)."""
    connection = own_connection(pool)
    for attempt in (1, 2):
        try:
            connection.send_command(*args)
            return connection.read_response()
        except RedisConnectionError:
            connection.disconnect()
            if attempt == 2:
                raise
    return None  # never reached: the second attempt returns or raises


class ReusingRedisCacheClient(RedisCacheClient):
    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self._clients = {}

    def get_client(self, key=None, *, write=False):
        pool = self._get_connection_pool(write)
        client = self._clients.get(id(pool))
        if client is None:
            client = self._clients[id(pool)] = self._client(connection_pool=pool)
        return client


class RedisCache(DjangoRedisCache):
    def __init__(self, server, params):
        super().__init__(server, params)
        self._class = ReusingRedisCacheClient

    def get(self, key, default=None, version=None):
        """One GET on this thread's own connection (`command`)."""
        value = command(
            self._cache._get_connection_pool(write=False), "GET", self.make_key(key, version)
        )
        return default if value is None else self._cache._serializer.loads(value)

    def validate_key(self, key):
        """Redis accepts any key: no warnings written for memcached."""
