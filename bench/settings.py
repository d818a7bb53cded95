"""Settings for load benchmarks: production-like (DEBUG off, no browser-only redirects), plus a
bare view to compare against, on whatever database DATABASE_URL names."""

from portal.settings.base import *  # noqa: F403

ALLOWED_HOSTS = ["127.0.0.1", "localhost"]
DEBUG = False
LOGGING = {"version": 1, "disable_existing_loggers": False, "root": {"level": "WARNING"}}
ROOT_URLCONF = "bench.urls"
STATIC_ROOT = BASE_DIR / "static"  # noqa: F405  (no collectstatic needed to benchmark)
