"""What the portal keeps about itself: the runs of its scheduled jobs."""

from django.db import models
from django.utils import timezone


class ScheduledRun(models.Model):
    """One run of a scheduled job for one day. The pair (job, period) is unique, so when several
    hosts run the scheduler at once the database lets exactly one of them claim each day's run."""

    job = models.CharField(max_length=100)
    period = models.DateField(help_text="The day this run is for, from the job's time each day.")
    host = models.CharField(max_length=255, help_text="The host that ran it.")
    started_at = models.DateTimeField(default=timezone.now)
    finished_at = models.DateTimeField(null=True, blank=True)
    succeeded = models.BooleanField(null=True, help_text="Empty while the job is running.")
    output = models.TextField(blank=True, help_text="What the job said, or the error.")

    class Meta:
        ordering = ["-started_at"]
        constraints = [
            models.UniqueConstraint(fields=["job", "period"], name="scheduled_run_once_a_day")
        ]

    def __str__(self):
        return f"{self.job} for {self.period:%d %B %Y}"
