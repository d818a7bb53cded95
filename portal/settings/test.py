"""The test suite: the embedded database unless DATABASE_URL names another."""

from .base import *  # noqa: F403

DEBUG = False

PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]

WHITENOISE_AUTOREFRESH = True
WHITENOISE_USE_FINDERS = True

# first_run's default file in the tests: the postcode areas around Essex (108,987 rows, a few
# seconds), not all of Great Britain.
POSTCODE_FILE = BASE_DIR / "data" / "codepo_essex.zip"  # noqa: F405
