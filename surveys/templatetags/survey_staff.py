"""For the admin home: which survey results, if any, the signed-in member of staff may read."""

from django import template

from ..models import Survey
from ..staff_views import editor_teams, reads_every_team

register = template.Library()


@register.simple_tag
def results_readable(user) -> str:
    """ "every" (every team's results), "team" (their team's, in some survey) or ""."""
    if not user.is_authenticated:
        return ""
    if reads_every_team(user):
        return "every"
    if Survey.objects.filter(team_editors_read_results=True).exists() and editor_teams(user):
        return "team"
    return ""
