"""Pages kept in the cache for residents: the team pages and the finder's answers."""

import datetime
import re
from collections.abc import Callable

from django.conf import settings
from django.core.cache import cache
from django.http import HttpResponse
from django.middleware.csrf import get_token
from django.utils import timezone

from portal.cookies import consent_from_request

from ..duty import LONDON
from ..services import PAGES_VERSION_KEY

CSRF_INPUT = re.compile(r'name="csrfmiddlewaretoken" value="([^"]+)"')


class CachedForResidentsMixin:
    """Serve the rendered page from the cache to residents who would all see the same page.

    Residents without a session or pending messages see the same page for the same address,
    except for the cookie banner (by their cookie choice) and the banner's CSRF token, which is
    swapped for their own on the way out. Staff (signed in), requests with other query strings,
    and residents with a message waiting get a freshly rendered page. Any change to a team, its
    officers, hours, priorities, meetings, districts or wards, and any postcode import, starts a
    new version (see teams.signals); `page_cache_seconds` bounds how stale anything
    time-dependent can get.

    Anything else that differs per request must not be in these pages: were base.html ever to
    use CSP nonces, the kept copy would need them swapped as the CSRF token is.
    """

    page_cache_seconds = 300
    # Query parameters the view deals with itself (see TeamDetailView and FindView).
    cacheable_query: frozenset[str] = frozenset()

    def page_cache_key(self, variant: str = "") -> str | None:
        """The key of this page's kept copy, or None when this request must not share one.
        `variant` tells apart pages at one address (the finder's answers)."""
        request = self.request
        if request.method != "GET" or set(request.GET) - self.cacheable_query:
            return None
        if settings.SESSION_COOKIE_NAME in request.COOKIES or "messages" in request.COOKIES:
            return None
        version = cache.get_or_set(PAGES_VERSION_KEY, 1, None)
        consent = consent_from_request(request)
        return f"teams:page:v{version}:{consent}:{request.path}:{variant}"

    def get(self, request, *args, **kwargs):
        return self.serve_kept(
            self.page_cache_key(),
            lambda: super(CachedForResidentsMixin, self).get(request, *args, **kwargs),
        )

    def serve_kept(self, key: str | None, render: Callable[[], HttpResponse]) -> HttpResponse:
        """The kept copy under `key` if there is one, otherwise `render()`, kept for next time."""
        cached = cache.get(key) if key else None
        if cached is not None:
            html, token = cached
            if token:
                html = html.replace(token, get_token(self.request))
            return HttpResponse(self.adapt_kept_copy(html))
        response = render()
        if response.status_code == 200 and hasattr(response, "add_post_render_callback"):
            response.add_post_render_callback(lambda rendered: self.keep(key, rendered))
        return response

    def adapt_kept_copy(self, html: str) -> str:
        """The kept copy as this request should see it."""
        return html

    def keep(self, key: str | None, response) -> None:
        """Keep the page as rendered (the same for every resident), then adapt this copy."""
        html = response.content.decode()
        if key:
            token = CSRF_INPUT.search(html)
            seconds = max(1, min(self.page_cache_seconds, self.seconds_until_stale()))
            self.store(key, (html, token[1] if token else None), seconds)
        adapted = self.adapt_kept_copy(html)
        if adapted != html:
            response.content = adapted

    def store(self, key: str, page: tuple[str, str | None], seconds: int) -> None:
        cache.set(key, page, seconds)

    def seconds_until_stale(self) -> int:
        """Until midnight in Essex, when 'today' and 'tomorrow' move on."""
        now = timezone.now().astimezone(LONDON)
        midnight = datetime.datetime.combine(
            now.date() + datetime.timedelta(days=1), datetime.time(), tzinfo=LONDON
        )
        return int((midnight - now).total_seconds())
