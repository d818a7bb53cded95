"""Writes that span models: the staff groups, and keeping a team's "last updated" true."""

from django.contrib.auth.models import Group, Permission
from django.utils import timezone

from portal.cache import content_changed

from .models import FORCE_ADMINISTRATORS, TEAM_EDITORS, Team

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
