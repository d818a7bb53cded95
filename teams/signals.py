"""A change to an officer, duty period or priority changes its team's page."""

from django.db.models.signals import post_delete, post_save
from django.dispatch import receiver

from .models import DutyPeriod, Officer, Priority
from .services import team_touch


@receiver([post_save, post_delete], sender=Officer)
@receiver([post_save, post_delete], sender=DutyPeriod)
@receiver([post_save, post_delete], sender=Priority)
def touch_team(sender, instance, **kwargs):
    team_touch(team_id=instance.team_id)
