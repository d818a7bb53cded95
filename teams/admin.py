from django.contrib import admin

from .models import (
    CommunitySafetyPartnership,
    District,
    DutyPeriod,
    NeighbouringForce,
    Officer,
    Priority,
    Team,
    Ward,
)

admin.site.register([CommunitySafetyPartnership, District, DutyPeriod, NeighbouringForce])
admin.site.register([Officer, Priority, Team, Ward])
