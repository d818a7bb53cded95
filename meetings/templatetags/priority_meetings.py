"""The meetings where team priorities were raised, for the teams' pages.

Teams know nothing of meetings (the apps stack portal, teams, then meetings): a meeting's "You
said, we did" row names the priority it became (`Outcome.priority`), and these tags let a team's
template show that link, in one query for a whole list of priorities.
"""

from django import template

from ..models import Outcome

register = template.Library()


@register.simple_tag
def raised_at_meetings(*priority_lists) -> dict[int, list[Outcome]]:
    """{priority id: the "You said, we did" rows that became it, earliest meeting first, each
    with its meeting}, for every priority in `priority_lists`."""
    ids = {priority.pk for priorities in priority_lists for priority in priorities}
    if not ids:
        return {}
    found: dict[int, list[Outcome]] = {}
    outcomes = (
        Outcome.objects.filter(priority_id__in=ids)
        .select_related("meeting__team")
        .order_by("meeting__start", "order", "pk")
    )
    for outcome in outcomes:
        found.setdefault(outcome.priority_id, []).append(outcome)
    return found


@register.filter
def for_priority(raised: dict[int, list[Outcome]], priority) -> list[Outcome]:
    """The rows of `raised_at_meetings` for this priority."""
    return (raised or {}).get(priority.pk, [])
