from django.apps import AppConfig
from django.db.models.signals import post_delete, post_migrate


def _grant_staff_permissions(sender, **kwargs):
    from .services import survey_permissions_grant

    survey_permissions_grant()


class SurveysConfig(AppConfig):
    name = "surveys"

    def ready(self):
        from .models import Response
        from .tallies import recount_after_delete

        # After migrate the permissions exist, so the staff groups can be given them.
        post_migrate.connect(_grant_staff_permissions, sender=self)
        post_delete.connect(recount_after_delete, sender=Response, dispatch_uid="surveys-recount")
