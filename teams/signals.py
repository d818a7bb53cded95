"""Keep a team's "last updated" true when staff change its officers, hours or priorities, and
"Use my location" true when they move a postcode.

What residents see in the cache follows every change through portal.signals (a new generation
after commit); this only moves the date shown on the team's page and the postcodes' positions
kept in each process (teams.nearest).
"""

from django.db.models.signals import post_delete, post_save
from django.dispatch import receiver

from .areas import postcodes_changed
from .models import DutyPeriod, Officer, Postcode, Priority
from .services import team_touch


@receiver([post_save, post_delete], sender=Officer)
@receiver([post_save, post_delete], sender=DutyPeriod)
@receiver([post_save, post_delete], sender=Priority)
def touch_team(sender, instance, raw=False, **kwargs):
    if not raw:
        team_touch(team_id=instance.team_id)


@receiver([post_save, post_delete], sender=Postcode)
def move_postcode(sender, instance, raw=False, **kwargs):
    """A staff edit of a postcode: "Use my location" reads the positions again (teams.nearest)."""
    if not raw:
        postcodes_changed()
