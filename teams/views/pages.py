"""The teams' own pages: the list of teams, and each team's page."""

import datetime

from django.conf import settings
from django.shortcuts import get_object_or_404
from django.template.loader import render_to_string
from django.utils import timezone
from django.utils.safestring import mark_safe
from django.views.generic import ListView, TemplateView

from portal.cache import SharedPageMixin, keep, kept, seconds_until
from portal.cache import key as cache_key

from .. import maps, presenters
from ..finder import answer_postcode, kept_position, normalise_postcode
from ..models import Team


class TeamListView(SharedPageMixin, ListView):
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


# Where the resident's marker goes in the team's page: inside the map's frame, over the map.
HERE_SLOT = "<!-- you are here -->"


def venues_on_map(team_map: dict | None, venues: dict[str, str]) -> list[maps.MapPoint]:
    """The venues (postcode: name) other apps mark on the team's map that fall on it."""
    if not team_map:
        return []
    frame = team_map["frame"]
    return [
        point
        for point in maps.postcode_points(venues)
        if frame.project(point.easting, point.northing) is not None
    ]


def team_page(slug: str) -> dict:
    """{"name", "summary", "body" and "body_rest": the page below the caption, either side of
    where the resident's own marker goes on the map, "map_frame", "expires"}: the same for every
    resident, kept in the cache until the generation moves on or the page would change by
    itself (the team goes on or off duty, a meeting ends, the day changes). Kept only for a
    team that exists: an unknown slug is a 404 and keeps nothing."""
    # Named for its shape: during a deploy, workers of the last release share the cache.
    key = cache_key("team-page-parts", slug)
    page = kept(key)
    if page is not None:
        return page
    team = get_object_or_404(Team.objects.with_page_details(), slug=slug)
    now = timezone.now()
    context = presenters.team_page(team, now=now)
    parts = presenters.parts_from_other_apps(team, now=now)
    for part in parts:
        context.update(part.context)
    team_map = maps.team_map(team)
    venues = venues_on_map(team_map, {k: v for part in parts for k, v in part.venues.items()})
    context.update(
        team=team,
        team_map=team_map,
        map_venues=venues,
        venue_layer=maps.draw_layer(team_map["frame"], venues, "venue") if venues else "",
        here_slot=HERE_SLOT,
        report_online_url=settings.REPORT_ONLINE_URL,
    )
    status = context["duty_status"]
    seconds = seconds_until(
        status and (status.until or status.next_start),
        *[moment for part in parts for moment in part.changes_at],
        now=now,
    )
    # Cut where the resident's own marker goes, over the map: the parts either side are kept.
    body, _, rest = render_to_string("teams/includes/team_page.html", context).partition(HERE_SLOT)
    page = {
        "name": team.name,
        "summary": team.summary,
        "body": mark_safe(body),  # noqa: S308  (drawn from the template just above)
        "body_rest": mark_safe(rest),  # noqa: S308
        "map_frame": team_map["frame"] if team_map else None,
        "expires": now + datetime.timedelta(seconds=seconds),
    }
    keep(key, page, seconds)
    return page


class TeamDetailView(SharedPageMixin, TemplateView):
    """A team's page. Residents sent here by the finder (`?postcode=CM1 1AE`) see "Your team for
    CM1 1AE" above it, when that postcode is this team's; the rest of the page is the kept part
    every resident shares (`team_page`)."""

    template_name = "teams/team_detail.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        self.page = team_page(self.kwargs["slug"])
        context["team_page"] = self.page
        context["your_postcode"] = postcode = self.arriving_postcode()
        context["here_layer"] = self.here_layer(postcode)
        return context

    def here_layer(self, postcode: str | None) -> str:
        """The marker for the resident's postcode, drawn for this request only: the map and the
        page around it are shared. "" when there is no map or the postcode is not on it. Its
        position comes with the finder's answer (`arriving_postcode`): no query."""
        frame = self.page["map_frame"]
        position = kept_position(postcode) if postcode and frame else None
        if position is None:
            return ""
        return maps.draw_layer(frame, [maps.MapPoint(postcode, *position)], "here")

    def arriving_postcode(self) -> str | None:
        """The postcode the finder sent the resident here for, if it really is this team's."""
        if "postcode" not in self.request.GET:
            return None
        postcode = normalise_postcode(self.request.GET["postcode"][:20])
        if postcode is None:
            return None
        # The finder's own quick lookup: one single-table query, on every arrival.
        return postcode if answer_postcode(postcode).team_slug == self.kwargs["slug"] else None

    def shared_page_seconds(self) -> int:
        return int((self.page["expires"] - timezone.now()).total_seconds())
