from django.apps import AppConfig
from django.db.models.signals import post_migrate


def _grant_staff_permissions(sender, **kwargs):
    from .services import meeting_permissions_grant

    meeting_permissions_grant()


class MeetingsConfig(AppConfig):
    name = "meetings"
    verbose_name = "Local Community Meetings"

    def ready(self):
        # After migrate the permissions exist, so the staff groups can be given them.
        post_migrate.connect(_grant_staff_permissions, sender=self)
        from portal.signals import watch_content

        watch_content(self)
