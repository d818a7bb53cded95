"""Reads about teams that the querysets alone do not answer."""

import datetime
from dataclasses import dataclass, field

from django.db.models import Count, Prefetch, QuerySet
from django.urls import reverse

from .models import Officer, Priority, Team

# What staff are asked to look after, on the admin's home page.
STALE_AFTER = datetime.timedelta(days=90)


@dataclass(frozen=True)
class Attention:
    """One thing in a team that is stale or missing: what to tell staff, and where to fix it."""

    text: str
    url: str


@dataclass(frozen=True)
class TeamAttention:
    team: Team
    items: list[Attention] = field(default_factory=list)


def _change_url(obj) -> str:
    meta = obj._meta
    return reverse(f"admin:{meta.app_label}_{meta.model_name}_change", args=[obj.pk])


def needs_attention(
    teams: QuerySet[Team], *, today: datetime.date, with_upcoming_meeting: set[int]
) -> list[TeamAttention]:
    """For each of `teams` with something to do: officers and open priorities not reviewed in
    90 days, and a missing meeting (the caller says which teams have one coming), duty hours or
    contact. Three queries however many teams."""
    cutoff = today - STALE_AFTER
    teams = teams.annotate(duty_count=Count("duty_periods")).prefetch_related(
        Prefetch(
            "officers",
            Officer.objects.filter(active=True, reviewed_on__lt=cutoff).order_by("name"),
            to_attr="stale_officers",
        ),
        Prefetch(
            "priorities",
            Priority.objects.current().filter(reviewed_on__lt=cutoff),
            to_attr="stale_priorities",
        ),
    )
    found = []
    for team in teams.order_by("name"):
        team_url = _change_url(team)
        items = []
        if team.pk not in with_upcoming_meeting:
            items.append(Attention("No upcoming Local Community Meeting", team_url))
        if not team.duty_count:
            items.append(Attention("No duty hours", team_url))
        if not (team.phone or team.email):
            items.append(Attention("No phone number or email for residents", team_url))
        for officer in team.stale_officers:
            when = f"{officer.reviewed_on:%-d %B %Y}"
            items.append(Attention(f"{officer}: not reviewed since {when}", _change_url(officer)))
        for priority in team.stale_priorities:
            when = f"{priority.reviewed_on:%-d %B %Y}"
            text = f"Priority “{priority.title}”: not reviewed since {when}"
            items.append(Attention(text, _change_url(priority)))
        if items:
            found.append(TeamAttention(team=team, items=items))
    return found
