"""The test suite: the embedded database unless DATABASE_URL names another."""

from .base import *  # noqa: F403

DEBUG = False

PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]

WHITENOISE_AUTOREFRESH = True
WHITENOISE_USE_FINDERS = True
