"""The resident's choice about optional cookies, kept in one cookie with the policy version.

Only one optional group exists (analytics). Until a choice is made for the current version, the
banner asks and nothing optional is loaded.
"""

import json

from django.conf import settings
from django.http import HttpRequest, HttpResponse

ANALYTICS = "analytics"
MAX_COOKIE_LENGTH = 200


def consent_from_request(request: HttpRequest) -> bool | None:
    """True or False once the resident has chosen under the current policy, otherwise None."""
    raw = request.COOKIES.get(settings.COOKIE_CONSENT_NAME)
    # Ours is about 35 characters; anything far longer was not set by the portal.
    if not raw or len(raw) > MAX_COOKIE_LENGTH:
        return None
    try:
        data = json.loads(raw)
    except (ValueError, RecursionError):  # garbled, or nested deeper than json can follow
        return None
    if not isinstance(data, dict) or data.get("version") != settings.COOKIE_CONSENT_VERSION:
        return None
    choice = data.get(ANALYTICS)
    return choice if isinstance(choice, bool) else None


def remember_consent(response: HttpResponse, *, analytics: bool) -> None:
    response.set_cookie(
        settings.COOKIE_CONSENT_NAME,
        json.dumps(
            {ANALYTICS: analytics, "version": settings.COOKIE_CONSENT_VERSION},
            separators=(",", ":"),
        ),
        max_age=settings.COOKIE_CONSENT_MAX_AGE,
        secure=settings.SESSION_COOKIE_SECURE,
        httponly=True,
        samesite="Lax",
    )


def cookie_list() -> list[dict[str, str]]:
    """Every cookie the portal can set, for the cookies page."""
    return [
        {
            "name": settings.COOKIE_CONSENT_NAME,
            "purpose": "Remembers whether you accept analytics cookies",
            "expires": "1 year",
            "essential": True,
        },
        {
            "name": settings.CSRF_COOKIE_NAME,
            "purpose": "Protects the forms you fill in from being sent by another website",
            "expires": "1 year",
            "essential": True,
        },
        {
            "name": settings.SESSION_COOKIE_NAME,
            "purpose": (
                "Keeps your answers while you fill in a survey, and tells you a choice was saved"
            ),
            "expires": "4 hours, or when you finish the survey",
            "essential": True,
        },
        {
            "name": "messages",
            "purpose": "Shows you a confirmation, such as that your cookie choice was saved",
            "expires": "When you close your browser",
            "essential": True,
        },
    ]
