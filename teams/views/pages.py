"""The teams' own pages: the list of teams, and each team's page."""

from django.utils import timezone
from django.views.generic import DetailView, ListView

from .. import maps, selectors
from ..finder import normalise_postcode, team_for_postcode
from ..models import Team


class TeamListView(ListView):
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


class TeamDetailView(DetailView):
    template_name = "teams/team_detail.html"
    context_object_name = "team"

    def get_queryset(self):
        return Team.objects.with_page_details()

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        team = self.object
        context.update(selectors.team_page(team, now=timezone.now()))
        context["team_map"] = maps.team_map(team)
        context["your_postcode"] = self.arriving_postcode(team)
        return context

    def arriving_postcode(self, team: Team) -> str | None:
        """The postcode the finder sent the resident here for, if it really is this team's."""
        postcode = normalise_postcode(self.request.GET.get("postcode", "")[:20])
        if postcode is None:
            return None
        found = team_for_postcode(postcode)
        return postcode if found is not None and found.pk == team.pk else None
