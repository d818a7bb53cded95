"""Keep a team's "last updated" true when staff change its officers, hours or priorities.

What residents see in the cache follows every change through portal.signals (a new generation
after commit); this only moves the date shown on the team's page.
"""

from django.db.models.signals import post_delete, post_save
from django.dispatch import receiver

from .models import DutyPeriod, Officer, Priority
from .services import team_touch


@receiver([post_save, post_delete], sender=Officer)
@receiver([post_save, post_delete], sender=DutyPeriod)
@receiver([post_save, post_delete], sender=Priority)
def touch_team(sender, instance, raw=False, **kwargs):
    if not raw:
        team_touch(team_id=instance.team_id)
