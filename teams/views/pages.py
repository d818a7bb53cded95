"""The teams' own pages."""

from django.views.generic import DetailView, ListView

from ..models import Team


class TeamListView(ListView):
    model = Team
    template_name = "teams/team_list.html"
    context_object_name = "teams"


class TeamDetailView(DetailView):
    model = Team
    template_name = "teams/team_detail.html"
    context_object_name = "team"
