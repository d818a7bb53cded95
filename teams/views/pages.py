"""The teams' own pages: the list of teams, and each team's page."""

import datetime
import re

from django.conf import settings
from django.http import HttpResponse, HttpResponseNotModified
from django.shortcuts import get_object_or_404
from django.template.loader import render_to_string
from django.utils import timezone
from django.utils.html import conditional_escape
from django.utils.safestring import mark_safe
from django.views.generic import ListView, TemplateView

from portal.cache import (
    SharedPageMixin,
    drawn_here,
    for_everyone,
    keep,
    kept,
    seconds_until,
)
from portal.cache import key as cache_key
from portal.frames import Pieces, drawn_in_pieces, joined, page_frame

from .. import maps, presenters
from ..finder import normalise_postcode
from ..models import OfficerPhoto, Team
from ..routes import kept_position, team_and_ward


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
    """The team's page below the caption, in parts the same for every resident, kept in the
    cache until the generation moves on or the page would change by itself (the team goes on or
    off duty, a meeting ends, the day changes). Kept only for a team that exists: an unknown slug
    is a 404 and keeps nothing.

    {"name", "summary", "top": from the heading to "Who we are", "officers": the officers as
    everyone sees them, "wards": {ward code: name} for the team's wards, "with_ward_officers":
    the codes of those with ward officers (whose residents see `ward_officers_part`), "bottom"
    and "bottom_rest": the rest, either side of where the resident's own marker goes on the map,
    "map_frame", "last_updated": the line saying when the team's details last changed (two date
    formats, a sixth of what the page drew per request), "expires"}.
    """
    # Named for its shape: during a deploy, workers of the last release share the cache.
    key = cache_key("team-page-top-officers-bottom-updated", slug)
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
    wards = {ward.code: ward.name for area in context["areas"] for ward in area.wards}
    ward_officers = {
        code: [officer.pk for officer in officers]
        for code, officers in presenters.ward_officers(team).items()
        if code in wards
    }
    # Each officer's item drawn once (a bio's Markdown made safe is most of a section's cost):
    # the officers section for everyone and for each ward's residents are joined from them.
    inspector = context["inspector"]
    officers = [
        *([inspector] if inspector else []),
        *(o for g in context["rank_groups"] for o in g.officers),
    ]
    officer_items = {
        officer.pk: render_to_string("teams/includes/officer.html", {"officer": officer})
        for officer in officers
    }
    status = context["duty_status"]
    seconds = seconds_until(
        status and (status.until or status.next_start),
        *[moment for part in parts for moment in part.changes_at],
        now=now,
    )
    # Cut where the resident's own marker goes, over the map: the parts either side are kept.
    bottom, _, rest = render_to_string("teams/includes/team_page_bottom.html", context).partition(
        HERE_SLOT
    )
    page = {
        "name": team.name,
        "summary": team.summary,
        "top": render_to_string("teams/includes/team_page_top.html", context),
        "wards": wards,
        "with_ward_officers": set(ward_officers),
        "ward_officers": ward_officers,  # {ward code: its officers' ids, senior first}
        "officer_items": officer_items,  # {officer id: their item}
        "inspector": inspector.pk if inspector else None,
        "ranks": [
            (group.heading, [officer.pk for officer in group.officers])
            for group in context["rank_groups"]
        ],
        "bottom": mark_safe(bottom),  # noqa: S308  (drawn from the template just above)
        "bottom_rest": mark_safe(rest),  # noqa: S308
        "map_frame": team_map["frame"] if team_map else None,
        "last_updated": render_to_string(
            "teams/includes/last_updated.html", {"updated_at": team.updated_at}
        ),
        "expires": now + datetime.timedelta(seconds=seconds),
    }
    page["officers"] = officers_part(page)
    keep(key, page, seconds)
    return page


def officers_part(page: dict, *, your_ward: str = "", ward_code: str = "") -> str:
    """The officers section (teams/includes/officers.html) from the officers' items the kept
    `page` holds, each drawn once with it: for everyone, or with the officers of one of the
    team's wards first (and not again below). No query."""
    items = page["officer_items"]
    first = page["ward_officers"].get(ward_code, []) if ward_code else []
    inspector = page["inspector"]
    groups = [
        {"heading": heading, "officers": [items[pk] for pk in pks if pk not in first]}
        for heading, pks in page["ranks"]
    ]
    return render_to_string(
        "teams/includes/officers.html",
        {
            "inspector": items[inspector] if inspector and inspector not in first else "",
            "rank_groups": [group for group in groups if group["officers"]],
            "your_ward": your_ward,
            "your_ward_officers": [items[pk] for pk in first],
        },
    )


def ward_officers_part(slug: str, ward_code: str, page: dict) -> str:
    """The officers section as residents of one of the team's wards see it, their ward
    officers first: kept beside the team's page (`page`, from `team_page`) and as long as it,
    drawn when a resident of that ward first arrives, from the officers' items the page keeps
    (no query). `ward_code` is one of the page's own `with_ward_officers`, so only known wards
    are ever kept."""
    key = cache_key("team-page-ward-officers", slug, ward_code)
    part = kept(key)
    if part is not None:
        return part
    part = officers_part(page, your_ward=page["wards"][ward_code], ward_code=ward_code)
    seconds = int((page["expires"] - timezone.now()).total_seconds())
    if seconds > 0:
        keep(key, part, seconds)
    return part


# The address the finder sends a resident to: `postcode=` and a normal postcode, quoted.
FINDERS_QUERY_RE = re.compile(r"postcode=([A-Z]{1,2}[0-9][A-Z0-9]?)(?:%20|\+)([0-9][A-Z]{2})")


def postcode_asked_for(request) -> str | None:
    """The postcode in the address's `?postcode=`, normalised; None if there is none. The
    finder's own address (`?postcode=CM1%201AE`, or `+` for the space) holds a normal postcode
    already, so it is read straight from the query string: it needs neither the query's
    parsing nor normalise_postcode's clean-up, a tenth of what an arrival cost."""
    finders = FINDERS_QUERY_RE.fullmatch(request.META.get("QUERY_STRING", ""))
    if finders is not None:
        return f"{finders[1]} {finders[2]}"
    typed = request.GET.get("postcode")
    return None if typed is None else normalise_postcode(typed[:20])


BODY_TEMPLATE = "teams/includes/team_detail_body.html"
# A resident's own values in a team's page (`team_body_parts`).
YOUR_POSTCODE, YOUR_WARD, OFFICERS, HERE_LAYER = (
    "your_postcode",
    "your_ward",
    "officers",
    "here_layer",
)


def team_body_parts(
    slug: str, page: dict, *, postcode: bool, ward: bool, here: bool, seconds: int
) -> Pieces:
    """The team's page below the site's header (`BODY_TEMPLATE`) drawn from the kept `page`
    alone, once per process for each team and each of the few shapes an arrival gives it (with
    a postcode or not, a ward, a marker), in pieces cut where a resident's own values go
    (portal.frames). Kept as long as the team's page."""
    name = cache_key("team-page-body", slug, int(postcode), int(ward), int(here))
    shape = {YOUR_POSTCODE: postcode, YOUR_WARD: ward, OFFICERS: True, HERE_LAYER: here}
    return drawn_here(
        name,
        max(0, seconds),
        lambda: drawn_in_pieces(
            BODY_TEMPLATE,
            {"team_page": page, YOUR_POSTCODE: None, YOUR_WARD: None, HERE_LAYER: ""},
            [slot for slot, shown in shape.items() if shown],
        ),
    )


class TeamDetailView(SharedPageMixin, TemplateView):
    """A team's page. Residents sent here by the finder (`?postcode=CM1 1AE`) see "Your team for
    CM1 1AE" above it, when that postcode is this team's, and their ward's officers first; the
    rest of the page is the kept parts every resident shares (`team_page`). For them the page is
    joined from what each process draws once: base.html around it (`page_frame`) and the page
    itself around their own values (`team_body_parts`), with no template drawn per request."""

    template_name = "teams/team_detail.html"

    def get(self, request, *args, **kwargs):
        slug = self.kwargs["slug"]
        self.page = page = team_page(slug)
        postcode, ward_code = self.arrival()
        # Only a ward of this team, named by the kept page: never text from the address.
        officers = page["officers"]
        if ward_code in page["with_ward_officers"]:
            officers = ward_officers_part(slug, ward_code, page)
        ward = page["wards"].get(ward_code)
        here_layer = self.here_layer(postcode)
        if for_everyone(request, query=True):
            parts = team_body_parts(
                slug,
                page,
                postcode=bool(postcode),
                ward=bool(ward),
                here=bool(here_layer),
                seconds=self.shared_page_seconds(),
            )
            # Escaped as the template escapes them ({{ your_postcode }}, {{ here_layer|safe }}).
            values = {
                YOUR_POSTCODE: conditional_escape(postcode or "").encode(),
                YOUR_WARD: conditional_escape(ward or "").encode(),
                OFFICERS: conditional_escape(officers).encode(),
                HERE_LAYER: here_layer.encode(),
            }
            body = joined(parts, values)
            return HttpResponse(joined(self.page_frame(), {"page_slot": body}))
        context = self.get_context_data(
            **kwargs,
            team_page=page,
            your_postcode=postcode,
            your_ward=ward,
            officers=officers,
            here_layer=here_layer,
        )
        return self.render_to_response(context)

    def page_frame(self) -> Pieces:
        """base.html before and after the team's own page (teams/includes/team_detail_body.html),
        drawn once per process for each team, cookie choice and address and kept as long as
        the team's page (portal.frames): the title and description are the team's, and the rest
        holds nothing of the request's own for one `for_everyone` shares (no message waiting, no
        session: the cookie banner's form returns to this address, a known team's)."""
        return page_frame(
            self.request,
            "teams/team_detail.html",
            {"team_page": self.page},
            slots=("page_slot",),
            name=cache_key("team-page-frame", self.kwargs["slug"]),
            seconds=self.shared_page_seconds(),
        )

    def here_layer(self, postcode: str | None) -> str:
        """The marker for the resident's postcode, drawn for this request only: the map and the
        page around it are shared. "" when there is no map or the postcode is not on it. Its
        position comes with the finder's answer (`arrival`): no query."""
        frame = self.page["map_frame"]
        position = kept_position(postcode) if postcode and frame else None
        if position is None:
            return ""
        return maps.draw_layer(frame, [maps.MapPoint(postcode, *position)], "here")

    def arrival(self) -> tuple[str | None, str | None]:
        """(postcode, ward code) the finder sent the resident here for, if the postcode really
        is this team's."""
        postcode = postcode_asked_for(self.request)
        if postcode is None:
            return None, None
        # The finder's own quick lookup: one single-table query, on every arrival.
        slug, ward_code = team_and_ward(postcode)
        return (postcode, ward_code) if slug == self.kwargs["slug"] else (None, None)

    def shared_page_seconds(self) -> int:
        return int((self.page["expires"] - timezone.now()).total_seconds())


# A photo's address names its content, so a browser or CDN may keep it as long as it likes.
PHOTO_CACHE_CONTROL = "public, max-age=31536000, immutable"


def officer_photo(request, pk: int, digest: str):
    """An active officer's photo at the address naming its content (OfficerPhoto)."""
    etag = f'"{digest}"'
    photo = get_object_or_404(OfficerPhoto, pk=pk, digest=digest, officer__active=True)
    if etag in request.headers.get("If-None-Match", ""):
        response = HttpResponseNotModified()
    else:
        response = HttpResponse(bytes(photo.image), content_type=photo.content_type)
    response["ETag"] = etag
    response["Cache-Control"] = PHOTO_CACHE_CONTROL
    response["X-Content-Type-Options"] = "nosniff"
    return response


class PastPrioritiesView(SharedPageMixin, ListView):
    """The priorities a team has dealt with, latest outcome first: the archive the team page
    links to, each from issue to outcome."""

    template_name = "teams/past_priorities.html"
    context_object_name = "priorities"
    paginate_by = 20

    def get_queryset(self):
        self.team = get_object_or_404(Team, slug=self.kwargs["slug"])
        return self.team.priorities.past()

    def get_context_data(self, **kwargs):
        return super().get_context_data(team=self.team, **kwargs)
