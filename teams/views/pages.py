"""The teams' own pages: the list of teams, and each team's page."""

from django.template.loader import render_to_string
from django.utils import timezone
from django.views.generic import DetailView, ListView

from meetings.models import Meeting

from .. import maps, selectors
from ..finder import answer_postcode, normalise_postcode
from ..models import Team
from .kept import CachedForResidentsMixin


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
