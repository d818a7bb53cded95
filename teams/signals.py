"""Keep what residents see true when staff change things.

A change to an officer, duty period or priority changes its team's page ("last updated"); a
change to a team, district or ward can redraw the maps.
"""

from django.db.models.signals import post_delete, post_save
from django.dispatch import receiver

from .maps import maps_changed
from .models import CommunitySafetyPartnership, District, DutyPeriod, Officer, Priority, Team, Ward
from .services import team_pages_changed, team_touch


@receiver([post_save, post_delete], sender=Officer)
@receiver([post_save, post_delete], sender=DutyPeriod)
@receiver([post_save, post_delete], sender=Priority)
def touch_team(sender, instance, **kwargs):
    team_touch(team_id=instance.team_id)


@receiver([post_save, post_delete], sender=Team)
@receiver([post_save, post_delete], sender=District)
@receiver([post_save, post_delete], sender=Ward)
def redraw_maps(sender, instance, raw=False, **kwargs):
    if not raw:
        maps_changed()
        team_pages_changed()


@receiver([post_save, post_delete], sender=CommunitySafetyPartnership)
def partnership_changed(sender, instance, raw=False, **kwargs):
    if not raw:
        team_pages_changed()
