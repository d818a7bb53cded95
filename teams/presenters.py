"""What a team's page shows, shaped from a team fetched with `Team.objects.with_page_details()`.

These functions only use the prefetched relations, so they add no queries: the reads are the
queryset's (`teams.models.TeamQuerySet`) and `teams.selectors`'.
"""

import datetime
from collections.abc import Callable
from dataclasses import dataclass, field

from portal.clock import Weekday

from . import duty
from .models import CommunitySafetyPartnership, District, DutyPeriod, Officer, Priority, Team, Ward

# Seniority, for grouping officers: the order of Officer.Rank.
RANK_ORDER = {rank: index for index, rank in enumerate(Officer.Rank.values)}
PLURAL_RANKS = {
    Officer.Rank.CHIEF_INSPECTOR: "Chief Inspectors",
    Officer.Rank.INSPECTOR: "Inspectors",
    Officer.Rank.SERGEANT: "Sergeants",
    Officer.Rank.CONSTABLE: "Police Constables",
    Officer.Rank.PCSO: "Police Community Support Officers",
    Officer.Rank.SPECIAL_INSPECTOR: "Special Inspectors",
    Officer.Rank.SPECIAL_SERGEANT: "Special Sergeants",
    Officer.Rank.SPECIAL_CONSTABLE: "Special Constables",
    Officer.Rank.STAFF: "Police staff",
}


@dataclass(frozen=True)
class RankGroup:
    rank: str
    heading: str
    officers: list[Officer]


@dataclass(frozen=True)
class DistrictArea:
    district: District
    wards: list[Ward]


@dataclass(frozen=True)
class DutyRow:
    weekday: str
    hours: list[str]


def by_seniority(officers) -> list[Officer]:
    return sorted(officers, key=lambda o: (RANK_ORDER.get(o.rank, 99), o.order, o.name))


def officers_by_rank(team: Team) -> tuple[Officer | None, list[RankGroup]]:
    """The Inspector in command (when active), then everyone else grouped by rank, senior
    first. (A ward's residents see its ward officers first and not again below: the team's
    page joins that section from these, teams.views.pages.officers_part.)"""
    officers = list(team.officers.all())  # active only
    inspector = next((officer for officer in officers if officer.pk == team.inspector_id), None)
    groups: dict[str, list[Officer]] = {}
    for officer in by_seniority(officers):
        if officer is not inspector:
            groups.setdefault(officer.rank, []).append(officer)
    return inspector, [
        RankGroup(rank=rank, heading=PLURAL_RANKS.get(rank, rank), officers=members)
        for rank, members in groups.items()
    ]


def ward_officers(team: Team) -> dict[str, list[Officer]]:
    """{ward code: the team's officers who look after that ward, senior first}, for the wards
    that have any (the wards prefetched on each officer by with_page_details)."""
    found: dict[str, list[Officer]] = {}
    for officer in by_seniority(team.officers.all()):
        for ward in officer.wards.all():
            found.setdefault(ward.code, []).append(officer)
    return found


def areas_covered(team: Team) -> list[DistrictArea]:
    """The team's districts with their wards, less wards another team polices, plus wards of
    other districts given to this team."""
    areas = [
        DistrictArea(
            district=district,
            wards=[ward for ward in district.wards.all() if ward.team_id in (None, team.pk)],
        )
        for district in team.districts.all()
    ]
    own_districts = {area.district.pk for area in areas}
    extra: dict[str, list[Ward]] = {}
    extra_districts: dict[str, District] = {}
    for ward in team.override_wards.all():
        if ward.district_id not in own_districts and ward.district is not None:
            extra.setdefault(ward.district_id, []).append(ward)
            extra_districts[ward.district_id] = ward.district
    areas.extend(
        DistrictArea(district=extra_districts[code], wards=sorted(wards, key=lambda w: w.name))
        for code, wards in extra.items()
    )
    return areas


def partnerships(team: Team) -> list[CommunitySafetyPartnership]:
    """The Community Safety Partnerships serving the team's districts, each once."""
    seen = {}
    for district in team.districts.all():
        if district.partnership is not None:
            seen.setdefault(district.partnership.pk, district.partnership)
    return sorted(seen.values(), key=lambda partnership: partnership.name)


def duty_rows(periods: list[DutyPeriod]) -> list[DutyRow]:
    """One row a day, Monday first, for the duty hours table."""
    rows = []
    for weekday in Weekday:
        todays = sorted(
            (period for period in periods if period.weekday == weekday),
            key=lambda period: period.start,
        )
        rows.append(DutyRow(weekday=weekday.label, hours=[duty.describe_period(p) for p in todays]))
    return rows


# How many of the priorities dealt with the team page shows; the rest are in the archive.
RECENT_PAST_PRIORITIES = 3


def split_priorities(team: Team) -> tuple[list[Priority], list[Priority]]:
    """(current, dealt with), current ones as Priority.Meta orders them, the ones dealt with
    latest outcome first."""
    priorities = list(team.priorities.all())
    current = [p for p in priorities if p.is_current]
    past = sorted(
        (p for p in priorities if not p.is_current),
        key=lambda p: (p.outcome_on or p.raised_on, p.raised_on, -p.pk),
        reverse=True,
    )
    return current, past


def team_page(team: Team, *, now: datetime.datetime) -> dict:
    """Everything the team's page shows, worked out for the moment `now`."""
    periods = list(team.duty_periods.all())
    inspector, rank_groups = officers_by_rank(team)
    current_priorities, past_priorities = split_priorities(team)
    return {
        "inspector": inspector,
        "rank_groups": rank_groups,
        "duty_status": duty.duty_status(periods, now),
        "duty_rows": duty_rows(periods),
        "open_priorities": current_priorities,
        "closed_priorities": past_priorities[:RECENT_PAST_PRIORITIES],
        "past_priority_count": len(past_priorities),
        "areas": areas_covered(team),
        "partnerships": partnerships(team),
    }


@dataclass(frozen=True)
class TeamPagePart:
    """What an app above teams adds to a team's page: the context its templates there need, the
    moments at which that would change by itself (the kept page expires at the first), and the
    venues (postcode: name) to mark on the team's map."""

    context: dict
    changes_at: tuple[datetime.datetime, ...] = ()
    venues: dict[str, str] = field(default_factory=dict)


# Filled from the AppConfig.ready() of the apps above teams (meetings adds the next meetings), so
# that a team's page shows them without teams importing those apps.
_parts_from_other_apps: list[Callable[[Team, datetime.datetime], TeamPagePart]] = []


def add_to_team_page(part: Callable[[Team, datetime.datetime], TeamPagePart]) -> None:
    """Show `part(team, now)` on every team's page."""
    if part not in _parts_from_other_apps:
        _parts_from_other_apps.append(part)


def parts_from_other_apps(team: Team, *, now: datetime.datetime) -> list[TeamPagePart]:
    return [part(team, now) for part in _parts_from_other_apps]
