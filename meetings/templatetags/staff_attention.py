"""The admin home's list of what is stale or missing in the signed-in member of staff's teams.

Here rather than in teams because "no upcoming meeting" needs the meetings."""

from django import template
from django.utils import timezone

from teams.models import Team
from teams.selectors import needs_attention

from ..models import Meeting

register = template.Library()


@register.simple_tag
def teams_needing_attention(user):
    """[TeamAttention] for the teams `user` edits (every team for force administrators)."""
    teams = Team.objects.for_editor(user)
    upcoming = (
        Meeting.objects.upcoming().filter(team__in=teams).exclude(status=Meeting.Status.CANCELLED)
    )
    return needs_attention(
        teams,
        today=timezone.localdate(),
        with_upcoming_meeting=set(upcoming.values_list("team_id", flat=True)),
    )
