"""The teams' own pages: the list of teams, and each team's page."""

import datetime
import re

from django.conf import settings
from django.core.cache import cache
from django.http import HttpResponse
from django.middleware.csrf import get_token
from django.template.loader import render_to_string
from django.utils import timezone
from django.views.generic import DetailView, ListView

from meetings.models import Meeting
from portal.cookies import consent_from_request

from .. import maps, selectors
from ..duty import LONDON
from ..finder import answer_postcode, normalise_postcode
from ..models import Team
from ..services import PAGES_VERSION_KEY

CSRF_INPUT = re.compile(r'name="csrfmiddlewaretoken" value="([^"]+)"')


class CachedForResidentsMixin:
    """Serve the rendered page from the cache to residents who would all see the same page.

    Residents without a session or pending messages see the same page for the same address,
    except for the cookie banner (by their cookie choice) and the banner's CSRF token, which is
    swapped for their own on the way out. Staff (signed in), requests with other query strings,
    and residents with a message waiting get a freshly rendered page. Any change to a team, its
    officers, hours, priorities, districts or wards starts a new version (see teams.signals);
    `page_cache_seconds` bounds how stale anything time-dependent can get.

    Anything else that differs per request must not be in these pages: were base.html ever to
    use CSP nonces, the kept copy would need them swapped as the CSRF token is.
    """

    page_cache_seconds = 300
    # Query parameters the view deals with on a kept copy itself (see TeamDetailView).
    cacheable_query: frozenset[str] = frozenset()

    def page_cache_key(self) -> str | None:
        request = self.request
        if request.method != "GET" or set(request.GET) - self.cacheable_query:
            return None
        if settings.SESSION_COOKIE_NAME in request.COOKIES or "messages" in request.COOKIES:
            return None
        version = cache.get_or_set(PAGES_VERSION_KEY, 1, None)
        consent = consent_from_request(request)
        return f"teams:page:v{version}:{consent}:{request.path}"

    def get(self, request, *args, **kwargs):
        key = self.page_cache_key()
        cached = cache.get(key) if key else None
        if cached is not None:
            html, token = cached
            if token:
                html = html.replace(token, get_token(request))
            return HttpResponse(self.adapt_kept_copy(html))
        response = super().get(request, *args, **kwargs)
        if response.status_code == 200:
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


class TeamListView(CachedForResidentsMixin, ListView):
    template_name = "teams/team_list.html"
    context_object_name = "teams"

    def get_queryset(self):
        return Team.objects.with_areas()

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        essex = maps.essex_map()
        areas = {area.team_id: area for area in essex["areas"]}
        context["essex_map"] = essex["svg"]
        context["team_rows"] = [(team, areas.get(team.pk)) for team in context["teams"]]
        return context


class TeamDetailView(CachedForResidentsMixin, DetailView):
    """A team's page. Residents sent here by the finder (`?postcode=CM1 1AE`) get the page with
    "Your team for CM1 1AE" put in its marked place, when that postcode is this team's. The page
    itself is rendered without it, so the one kept copy serves every arrival."""

    template_name = "teams/team_detail.html"
    context_object_name = "team"
    cacheable_query = frozenset({"postcode"})
    duty_status = None
    YOUR_POSTCODE_PLACE = "<!-- your-postcode -->"

    def get_queryset(self):
        return Team.objects.with_page_details()

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        team = self.object
        context.update(selectors.team_page(team, now=timezone.now()))
        context["team_map"] = maps.team_map(team)
        context["next_meetings"] = Meeting.objects.next_for_team(team)
        self.duty_status = context["duty_status"]
        return context

    def arriving_postcode(self) -> str | None:
        """The postcode the finder sent the resident here for, if it really is this team's."""
        postcode = normalise_postcode(self.request.GET.get("postcode", "")[:20])
        if postcode is None:
            return None
        # The finder's own quick lookup: one single-table query, on every arrival.
        return postcode if answer_postcode(postcode).team_slug == self.kwargs["slug"] else None

    def adapt_kept_copy(self, html: str) -> str:
        postcode = self.arriving_postcode()
        if postcode is None:
            return html
        caption = render_to_string(
            "teams/includes/your_postcode.html", {"your_postcode": postcode}
        ).strip()
        return html.replace(self.YOUR_POSTCODE_PLACE, caption, 1)

    def seconds_until_stale(self) -> int:
        """Also until the team next goes on or off duty."""
        seconds = super().seconds_until_stale()
        status = self.duty_status
        change = status and (status.until or status.next_start)
        if change:
            seconds = min(seconds, int((change - timezone.now()).total_seconds()))
        return seconds
