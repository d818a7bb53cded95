"""Settings shared by every environment. Kept in alphabetical order within each section."""

import ipaddress
from pathlib import Path

import dj_database_url
from csp.constants import NONE, SELF
from django.core.exceptions import ImproperlyConfigured

from .env import env, env_bool, env_int, env_list

BASE_DIR = Path(__file__).resolve().parent.parent.parent

# Core

ADMIN_URL = env("DJANGO_ADMIN_URL", "admin/").strip("/") + "/"

ALLOWED_HOSTS = env_list("DJANGO_ALLOWED_HOSTS", "localhost,127.0.0.1,[::1]")

AUTHENTICATION_BACKENDS = [
    # Axes first, so a locked-out address is refused before the password is checked.
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
]

DATABASES = {
    "default": dj_database_url.parse(
        env("DATABASE_URL", f"sqlite:///{BASE_DIR / 'var' / 'portal.sqlite3'}"),
        conn_max_age=env_int("DATABASE_CONN_MAX_AGE", 60),
        conn_health_checks=True,
    )
}

DEBUG = env_bool("DJANGO_DEBUG", False)

DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django.contrib.syndication",
    "axes",
    "corsheaders",
    "crispy_forms",
    "crispy_forms_gds",
    "csp",
    "portal",
    "teams",
    "meetings",
    "surveys",
    "api",
]

LANGUAGE_CODE = "en-gb"

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "portal.middleware.PermissionsPolicyMiddleware",
    # Outside the session middleware, so that it sees whether the session was used.
    "portal.middleware.CacheControlMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    # CORS before the open data's rate limit, so that a browser can read a 429 too.
    "corsheaders.middleware.CorsMiddleware",
    "api.middleware.OpenDataMiddleware",
    "csp.middleware.CSPMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    # Axes last, as its documentation asks, so it sees the outcome of every login.
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "portal.urls"

SECRET_KEY = env("DJANGO_SECRET_KEY", "insecure-development-key-never-used-in-production")

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            # {% extends %} that keeps its parent's blocks instead of finding them each render.
            "builtins": ["portal.templatetags.inheritance"],
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "portal.context_processors.site",
            ],
        },
    }
]

TIME_ZONE = "Europe/London"

USE_I18N = False

USE_TZ = True

WSGI_APPLICATION = "portal.wsgi.application"

# Caches: Redis when REDIS_URL is set (shared by all workers), otherwise per-process memory.

if env("REDIS_URL", ""):
    CACHES = {
        "default": {
            "BACKEND": "portal.redis_cache.RedisCache",
            "LOCATION": env("REDIS_URL"),
            "KEY_PREFIX": "portal",
        }
    }
else:
    CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.locmem.LocMemCache",
            "LOCATION": "portal",
        }
    }

# Cookies and sessions

CSRF_COOKIE_HTTPONLY = True
CSRF_COOKIE_SAMESITE = "Lax"
SESSION_COOKIE_AGE = 60 * 60 * 4  # a survey in progress is kept for four hours at most
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"

# The cookie that records the resident's analytics choice; bump the version when the cookie
# policy changes so that everyone is asked again.
COOKIE_CONSENT_NAME = "cookies_policy"
COOKIE_CONSENT_MAX_AGE = 60 * 60 * 24 * 365
COOKIE_CONSENT_VERSION = 1

# Analytics are optional: set ANALYTICS_SCRIPT_URL and the script loads only after consent.
ANALYTICS_SCRIPT_URL = env("ANALYTICS_SCRIPT_URL", "")

# The load balancers and proxies in front of the portal, as addresses or networks: only their
# X-Forwarded-For is believed (portal.clients). Empty: requests come straight from browsers.
TRUSTED_PROXIES = env_list("TRUSTED_PROXIES", "")
for _proxy in TRUSTED_PROXIES:
    try:
        ipaddress.ip_network(_proxy, strict=False)
    except ValueError as _error:
        raise ImproperlyConfigured(
            f"TRUSTED_PROXIES lists addresses or networks (like 10.0.0.0/8), not {_proxy!r}"
        ) from _error

# Security headers (SecurityMiddleware, django-csp and PermissionsPolicyMiddleware)

CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "base-uri": [SELF],
        "connect-src": [SELF],
        "default-src": [SELF],
        "font-src": [SELF],
        "form-action": [SELF],
        "frame-ancestors": [NONE],
        "img-src": [SELF, "data:"],
        "manifest-src": [SELF],
        "object-src": [NONE],
        "script-src": [SELF]
        + ([ANALYTICS_SCRIPT_URL.rsplit("/", 1)[0] + "/"] if ANALYTICS_SCRIPT_URL else []),
        "style-src": [SELF],
    }
}
PERMISSIONS_POLICY = (
    "accelerometer=(), camera=(), geolocation=(self), gyroscope=(), magnetometer=(), "
    "microphone=(), payment=(), usb=(), interest-cohort=()"
)
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_CROSS_ORIGIN_OPENER_POLICY = "same-origin"
SECURE_REFERRER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"

# Open data (/api/): GET from any origin, and a rate limit like data.police.uk's per client
# address (a steady rate with bursts), counted in the cache.

API_RATE_BURST = env_int("API_RATE_BURST", 30)
API_RATE_PER_SECOND = env_int("API_RATE_PER_SECOND", 15)
CORS_ALLOW_METHODS = ["GET", "HEAD", "OPTIONS"]
CORS_ALLOW_ALL_ORIGINS = True
CORS_EXPOSE_HEADERS = ["ETag", "Retry-After"]
CORS_URLS_REGEX = r"^/api/.*$"

# Login protection (django-axes): five wrong passwords lock that username from that address.

# Counted in the database, shared by every worker and host. The address is the one our own
# proxies vouch for (portal.clients), so one person cannot lock an officer out for everyone.
AXES_CLIENT_IP_CALLABLE = "portal.clients.client_address"
AXES_COOLOFF_TIME = env_int("AXES_COOLOFF_HOURS", 1)
AXES_FAILURE_LIMIT = env_int("AXES_FAILURE_LIMIT", 5)
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_RESET_ON_SUCCESS = True

# Forms

CRISPY_ALLOWED_TEMPLATE_PACKS = ["gds"]
CRISPY_TEMPLATE_PACK = "gds"

# Static files

STATIC_ROOT = Path(env("DJANGO_STATIC_ROOT", str(BASE_DIR / "staticfiles")))
STATIC_URL = "/static/"
STATICFILES_DIRS = [BASE_DIR / "static"]
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}

# Logging: everything to standard error, where gunicorn and the container collect it.

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": {"plain": {"format": "%(asctime)s %(levelname)s %(name)s %(message)s"}},
    "handlers": {"console": {"class": "logging.StreamHandler", "formatter": "plain"}},
    "root": {"handlers": ["console"], "level": env("DJANGO_LOG_LEVEL", "INFO")},
}

# The service

REPORT_ONLINE_URL = env("REPORT_ONLINE_URL", "https://www.essex.police.uk/ro/report/")

# Surveys: spam is kept out without CAPTCHAs by a single-use token issued at the start, a hidden
# field, a minimum time to answer and an hourly limit of submissions per client (counted in the
# shared cache under a keyed hash of the address). The limit is high enough for a library
# computer or a meeting venue's Wi-Fi, where many residents share one address.

SURVEYS_MINIMUM_SECONDS = env_int("SURVEYS_MINIMUM_SECONDS", 10)
SURVEYS_SUBMISSIONS_PER_HOUR = env_int("SURVEYS_SUBMISSIONS_PER_HOUR", 100)

# Data: the postcode file `first_run` imports into an empty table (the extract the image ships,
# relative to the project, or a path the operator mounts), and whether the demo's sample data may
# be loaded (never in production).

POSTCODE_FILE = env("POSTCODE_FILE", "data/codepo_gb.zip")
SAMPLE_DATA_ALLOWED = True
