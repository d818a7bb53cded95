"""Production: refuses to start without the values that keep it safe."""

from django.core.exceptions import ImproperlyConfigured

from .base import *  # noqa: F403
from .env import REQUIRED_IN_PRODUCTION, env, env_bool, env_int, env_list

# Without these the portal would run unsafely (a guessable key, any Host header), on the wrong
# database (the embedded SQLite file) or with a cache of its own in each worker (stale pages,
# per-worker rate limits and lockouts), so production refuses to start instead.
for _name in REQUIRED_IN_PRODUCTION:
    env(_name)

ALLOWED_HOSTS = env_list("DJANGO_ALLOWED_HOSTS")
if not ALLOWED_HOSTS:
    raise ImproperlyConfigured("Set DJANGO_ALLOWED_HOSTS to the portal's host names.")

CACHES = {
    "default": {
        "BACKEND": "portal.redis_cache.RedisCache",
        "LOCATION": env("REDIS_URL"),
        "KEY_PREFIX": "portal",
    }
}

CSRF_COOKIE_SECURE = True
CSRF_TRUSTED_ORIGINS = env_list("DJANGO_CSRF_TRUSTED_ORIGINS", "")

DEBUG = env_bool("DJANGO_DEBUG", False)

# Invented officers, meetings and surveys must never reach the public (portal.sample_data).
SAMPLE_DATA_ALLOWED = False

SECRET_KEY = env("DJANGO_SECRET_KEY")

SECURE_HSTS_INCLUDE_SUBDOMAINS = True
SECURE_HSTS_PRELOAD = True
SECURE_HSTS_SECONDS = env_int("DJANGO_HSTS_SECONDS", 60 * 60 * 24 * 365)
# Behind a proxy that terminates TLS, it says so in this header.
if env_bool("DJANGO_BEHIND_PROXY", True):
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
SECURE_SSL_REDIRECT = env_bool("DJANGO_SSL_REDIRECT", True)

SESSION_COOKIE_SECURE = True

STORAGES = {
    **STORAGES,  # noqa: F405
    "staticfiles": {"BACKEND": "portal.storage.StaticFilesStorage"},
}
