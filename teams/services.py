"""Writes that span models: the staff groups, keeping a team's "last updated" true, and
loading the force's reference data."""

from dataclasses import dataclass

from django.contrib.auth.models import Group, Permission
from django.db import transaction
from django.db.models import Q
from django.utils import timezone

from portal.cache import content_changed

from .models import (
    FORCE_ADMINISTRATORS,
    TEAM_EDITORS,
    CommunitySafetyPartnership,
    District,
    NeighbouringForce,
    Team,
)
from .reference import FORCES, PARTNERSHIPS, TEAMS

# What a team editor may do: keep their team's page, officers, hours and priorities true.
# Which teams they may do it to is TeamScopedAdminMixin's business.
TEAM_EDITOR_PERMISSIONS = [
    ("teams", "view_team"),
    ("teams", "change_team"),
    *[
        ("teams", f"{action}_{model}")
        for model in ("officer", "dutyperiod", "priority")
        for action in ("view", "add", "change", "delete")
    ],
]


def staff_groups_ensure() -> None:
    """Create the "Force administrators" and "Team editors" groups with their permissions.

    Safe to run again: run after every migrate (post_migrate), when the permissions exist.
    Force administrators are given every permission of this app; other apps add theirs.
    """
    editors, _ = Group.objects.get_or_create(name=TEAM_EDITORS)
    wanted = Permission.objects.filter(content_type__app_label="teams")
    editor_permissions = [
        permission
        for permission in wanted.select_related("content_type")
        if (permission.content_type.app_label, permission.codename) in TEAM_EDITOR_PERMISSIONS
    ]
    editors.permissions.add(*editor_permissions)
    administrators, _ = Group.objects.get_or_create(name=FORCE_ADMINISTRATORS)
    administrators.permissions.add(*wanted)


def team_pages_changed() -> None:
    """Forget everything kept for residents, once the current transaction commits: for writes
    that send no signals (bulk_create, update(), the postcode import)."""
    content_changed()


def team_touch(*, team_id: int) -> None:
    """Mark a team's page as changed now: its "last updated" date (the cache follows)."""
    Team.objects.filter(pk=team_id).update(updated_at=timezone.now())
    content_changed()


@dataclass
class ReferenceResult:
    teams_created: int = 0
    districts_created: int = 0
    districts_assigned: int = 0
    forces_created: int = 0
    partnerships_created: int = 0


@transaction.atomic
def reference_data_load() -> ReferenceResult:
    """Create the teams, districts, forces and partnerships that are missing; assign a district
    to its team, force or partnership only while it has none."""
    result = ReferenceResult()
    for name, slug, districts in TEAMS:
        # By address or by name: staff may have changed either one.
        team = Team.objects.filter(Q(slug=slug) | Q(name=name)).order_by("pk").first()
        created = team is None
        if created:
            team = Team.objects.create(
                name=name,
                slug=slug,
                summary=(
                    "The police officers, PCSOs and Special Constables who look after "
                    f"{' and '.join(district for _, district in districts)}."
                ),
            )
        result.teams_created += created
        _districts_ensure(result, dict(districts), team=team)
    for name, website, districts in FORCES:
        force, created = NeighbouringForce.objects.get_or_create(
            name=name, defaults={"website": website}
        )
        result.forces_created += created
        _districts_ensure(result, districts, force=force)
    for code, name in PARTNERSHIPS.items():
        partnership, created = CommunitySafetyPartnership.objects.get_or_create(name=name)
        result.partnerships_created += created
        District.objects.filter(code=code, partnership__isnull=True).update(partnership=partnership)
    team_pages_changed()  # update() sends no signals
    return result


def _districts_ensure(result: ReferenceResult, districts: dict[str, str], **owner) -> None:
    """Create the districts that are missing; give those with no team or force to `owner`."""
    for code, name in districts.items():
        _, created = District.objects.get_or_create(code=code, defaults={"name": name})
        result.districts_created += created
    result.districts_assigned += District.objects.filter(
        code__in=districts, team__isnull=True, force__isnull=True
    ).update(**owner)
