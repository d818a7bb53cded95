"""Writes that span models: the staff groups, and keeping a team's "last updated" true."""

from django.contrib.auth.models import Group, Permission
from django.core.cache import cache
from django.utils import timezone

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


# The version of every cached team page; a new version whenever anything on them changes.
PAGES_VERSION_KEY = "teams:pages:version"


def team_pages_changed() -> None:
    """Forget every cached team page (the list and each team's)."""
    try:
        cache.incr(PAGES_VERSION_KEY)
    except ValueError:
        cache.set(PAGES_VERSION_KEY, 2, None)


def team_touch(*, team_id: int) -> None:
    """Mark a team's page as changed now: its "last updated" date and its cached page."""
    Team.objects.filter(pk=team_id).update(updated_at=timezone.now())
    team_pages_changed()
