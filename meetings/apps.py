from django.apps import AppConfig
from django.db.models.signals import post_migrate


def _grant_staff_permissions(sender, **kwargs):
    from .services import meeting_permissions_grant

    meeting_permissions_grant()


class MeetingsConfig(AppConfig):
    name = "meetings"
    verbose_name = "Local Community Meetings"

    def ready(self):
        from portal.signals import watch_content
        from teams.presenters import add_to_team_page

        from .selectors import next_meetings_on_team_page

        # After migrate the permissions exist, so the staff groups can be given them.
        post_migrate.connect(_grant_staff_permissions, sender=self)
        watch_content(self)
        add_to_team_page(next_meetings_on_team_page)
