"""Team pages show their next meetings and are cached, so a meeting change must refresh them."""

from django.db.models.signals import post_delete, post_save
from django.dispatch import receiver

from teams.services import team_pages_changed

from .models import Meeting


@receiver([post_save, post_delete], sender=Meeting)
def meeting_changed(sender, instance, raw=False, **kwargs):
    if not raw:
        team_pages_changed()
