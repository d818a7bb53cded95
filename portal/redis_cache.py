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

from django.core.cache.backends.redis import RedisCache as DjangoRedisCache
from django.core.cache.backends.redis import RedisCacheClient


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

    def validate_key(self, key):
        """Redis accepts any key: no warnings written for memcached."""
