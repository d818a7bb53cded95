"""Local development: `make run`. DEBUG is on only if DJANGO_DEBUG says so."""

from .base import *  # noqa: F403
from .env import env_bool

DEBUG = env_bool("DJANGO_DEBUG", True)

WHITENOISE_USE_FINDERS = True
