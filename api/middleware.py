"""What every open data response under /api/ gets: the rate limit, and caching headers."""

from django.http import JsonResponse
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


class OpenDataMiddleware:
    """For paths under /api/: refuse clients over the rate limit with 429 and Retry-After;
    give successful GETs an ETag, Cache-Control, and 304 Not Modified when the client's copy
    (If-None-Match, or If-Modified-Since against Last-Modified) is still good."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if not request.path.startswith(PREFIX):
            return self.get_response(request)
        if request.method != "OPTIONS" and (wait := retry_after(request)) is not None:
            response = JsonResponse(
                {"detail": f"Too many requests: try again in {wait} seconds."}, status=429
            )
            response["Retry-After"] = str(wait)
            response["Cache-Control"] = "no-store"
            return response
        response = self.get_response(request)
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
