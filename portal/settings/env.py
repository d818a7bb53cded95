"""The one place settings read the environment.

Every variable read here is listed in .env.example; `required` ones make production refuse to
start when they are missing rather than run with an unsafe default.
"""

import os

from django.core.exceptions import ImproperlyConfigured

_UNSET = object()

# What production refuses to start without (portal.settings.prod checks them).
REQUIRED_IN_PRODUCTION = ["DATABASE_URL", "DJANGO_ALLOWED_HOSTS", "DJANGO_SECRET_KEY", "REDIS_URL"]


def env(name: str, default: object = _UNSET) -> str:
    """The variable's value, or `default`; with no default a missing value stops start-up."""
    value = os.environ.get(name)
    if value is None or value == "":
        if default is _UNSET:
            raise ImproperlyConfigured(f"Set the {name} environment variable.")
        return default  # type: ignore[return-value]
    return value


def env_bool(name: str, default: bool = False) -> bool:
    value = env(name, "")
    if value == "":
        return default
    return value.strip().lower() in {"1", "true", "yes", "on"}


def env_int(name: str, default: int) -> int:
    value = env(name, "")
    if value == "":
        return default
    try:
        return int(value)
    except ValueError as error:
        raise ImproperlyConfigured(f"{name} must be a whole number, not {value!r}.") from error


def env_list(name: str, default: str = "") -> list[str]:
    return [item.strip() for item in env(name, default).split(",") if item.strip()]
