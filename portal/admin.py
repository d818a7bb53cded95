from django.contrib import admin

from .models import ScheduledRun


@admin.register(ScheduledRun)
class ScheduledRunAdmin(admin.ModelAdmin):
    """When each scheduled job last ran and what it said: read only, written by the scheduler."""

    list_display = ["job", "period", "succeeded", "started_at", "finished_at", "host"]
    list_filter = ["job", "succeeded"]
    date_hierarchy = "started_at"

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False
