from django.apps import AppConfig
from django.db.models.signals import post_migrate


def _ensure_staff_groups(sender, **kwargs):
    from .services import staff_groups_ensure

    staff_groups_ensure()


class TeamsConfig(AppConfig):
    name = "teams"
    verbose_name = "Teams and postcodes"

    def ready(self):
        # After migrate (and after a test database is flushed) the permissions exist, so the
        # staff groups can be given theirs.
        post_migrate.connect(_ensure_staff_groups, sender=self)
        from portal.signals import watch_content

        from . import signals  # noqa: F401

        # The finder's count of what nobody found is written by searches and shown to no resident.
        watch_content(self, not_content={"unansweredquery"})
