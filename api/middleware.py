"""What every open data response under /api/ gets: the rate limit, caching headers, and the
way to the view without the middleware made for pages."""

from csp.constants import HEADER as CSP_HEADER
from csp.utils import build_policy
from django.core.handlers.exception import convert_exception_to_response
from django.http import JsonResponse
from django.urls import get_resolver
from django.utils.cache import get_conditional_response, set_response_etag
from django.utils.http import parse_http_date_safe

from .ratelimit import retry_after

PREFIX = "/api/"
CACHE_CONTROL = f"public, max-age={60 * 5}"
# What get_conditional_response compares a response with.
CONDITIONS = (
    "HTTP_IF_MATCH",
    "HTTP_IF_NONE_MATCH",
    "HTTP_IF_MODIFIED_SINCE",
    "HTTP_IF_UNMODIFIED_SINCE",
)
# JSON loads nothing and is never a page in a frame: the strictest policy (as api.github.com
# sends), in place of the one django-csp builds for pages on every response.
JSON_POLICY = "default-src 'none'; frame-ancestors 'none'"


def _view(request):
    """The view for the request's path, called as Django's handler would call it once every
    middleware had run. The API's views use none of what the middleware after this one gives a
    page (a session, the user, messages, a CSRF token, a CSP nonce), and its answers are JSON."""
    request.get_host()  # CommonMiddleware's check: a Host not in ALLOWED_HOSTS is a 400
    match = get_resolver(getattr(request, "urlconf", None)).resolve(request.path_info)
    request.resolver_match = match
    return match.func(request, *match.args, **match.kwargs)


class OpenDataMiddleware:
    """For paths under /api/: refuse clients over the rate limit with 429 and Retry-After;
    give successful GETs an ETag, Cache-Control, and 304 Not Modified when the client's copy
    (If-None-Match, or If-Modified-Since against Last-Modified) is still good.

    The request goes from here straight to the view, past the middleware below this one (CSP,
    sessions, CommonMiddleware, CSRF, the user, messages, X-Frame-Options, axes): on a request
    that needs none of it, that stack cost as much as the view's own answer. What of it a JSON
    answer still needs is done here: the Host check, Content-Length, a Content-Security-Policy
    and X-Frame-Options: DENY. An error page (a 500, a 400 for a bad Host) gets the site's
    policy, as any page does."""

    def __init__(self, get_response):
        self.get_response = get_response
        # A view that raises becomes the error page here, as within the full stack.
        self.view = convert_exception_to_response(_view)

    def __call__(self, request):
        if not request.path.startswith(PREFIX):
            return self.get_response(request)
        if request.method != "OPTIONS" and (wait := retry_after(request)) is not None:
            response = JsonResponse(
                {"detail": f"Too many requests: try again in {wait} seconds."}, status=429
            )
            response["Retry-After"] = str(wait)
            response["Cache-Control"] = "no-store"
            return _secured(response)
        response = _secured(self.view(request))
        if request.method not in ("GET", "HEAD") or response.status_code != 200:
            return response
        response["Cache-Control"] = CACHE_CONTROL  # set whole: parsing one to patch costs more
        if not response.has_header("ETag"):
            set_response_etag(response)
        if not any(header in request.META for header in CONDITIONS):
            return response  # nothing to compare: no date to parse
        return get_conditional_response(
            request,
            etag=response.get("ETag"),
            last_modified=parse_http_date_safe(response.get("Last-Modified", "")),
            response=response,
        )


def _secured(response):
    """What CommonMiddleware, django-csp and XFrameOptionsMiddleware would have added."""
    headers = response.headers
    if not response.streaming and "Content-Length" not in headers:
        headers["Content-Length"] = str(len(response.content))
    if CSP_HEADER not in headers:
        json = headers.get("Content-Type", "").startswith("application/json")
        headers[CSP_HEADER] = JSON_POLICY if json else build_policy()
    headers.setdefault("X-Frame-Options", "DENY")
    return response
