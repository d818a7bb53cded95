from django.apps import AppConfig
from django.db.models.signals import post_delete, post_migrate, post_save


def _grant_staff_permissions(sender, **kwargs):
    from .services import survey_permissions_grant

    survey_permissions_grant()


class SurveysConfig(AppConfig):
    name = "surveys"

    def ready(self):
        from portal.signals import watch_content

        from .models import Choice, Page, Question, Response, Survey
        from .tallies import recount_after_delete, results_changed

        # Residents' answers change no public page by themselves (results are versioned apart).
        watch_content(self, not_content={"response", "answer"})
        # After migrate the permissions exist, so the staff groups can be given them.
        post_migrate.connect(_grant_staff_permissions, sender=self)
        post_delete.connect(recount_after_delete, sender=Response, dispatch_uid="surveys-recount")
        # Kept results pages show survey, question and choice text: edits start a new version.
        for model in (Survey, Page, Question, Choice):
            for signal in (post_save, post_delete):
                signal.connect(results_changed, sender=model, dispatch_uid=f"surveys-{model}")
