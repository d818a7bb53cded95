"""The recurring jobs, and running each once a day however many hosts run the scheduler.

A job is a management command with the local time it runs each day. Each job's day starts at
that time, so on a new deployment every job runs at once, then daily at its time. A run claims
its day by inserting a ScheduledRun row: the unique (job, period) pair means that when two hosts
reach the same job together the database lets one run it and the other skip it, and the row is
also the record an operator reads (admin, and `run_scheduled_jobs --check` for health checks).
A run interrupted half-way is not retried until the next day: each job is idempotent, so the
next day's run catches up.
"""

import datetime
import io
import logging
import socket
import traceback
from dataclasses import dataclass

from django.core.management import call_command
from django.db import IntegrityError, transaction
from django.utils import timezone

from .models import ScheduledRun

logger = logging.getLogger(__name__)


@dataclass(frozen=True)
class Job:
    command: str
    at: datetime.time  # Europe/London; after 03:00 so a clock change never skips or repeats it
    why: str
    args: tuple[str, ...] = ()

    @property
    def name(self) -> str:
        return self.command


# Other apps add their recurring jobs here.
JOBS = [
    Job(
        "generate_meetings",
        datetime.time(3, 0),
        "creates the next six months of meetings from the teams' schedules",
        ("--months", "6"),
    ),
    Job(
        "purge_survey_free_text",
        datetime.time(3, 15),
        "deletes written survey answers past each survey's retention period",
    ),
    Job("clearsessions", datetime.time(3, 30), "deletes expired sessions"),
]


def job_period(job: Job, now: datetime.datetime) -> datetime.date:
    """The day a run at `now` belongs to: the local date of the last time the job's time came."""
    local = timezone.localtime(now)
    # Wall-clock arithmetic (aware datetimes in one zone): 03:00 is 03:00 on a clock-change day.
    return (local - datetime.timedelta(hours=job.at.hour, minutes=job.at.minute)).date()


def job_run(job: Job, *, now: datetime.datetime | None = None) -> ScheduledRun | None:
    """Run the job for the day `now` falls in, unless a run for that day was claimed already
    (here or on another host): the finished run, or None when it was not this call's to run."""
    now = now or timezone.now()
    try:
        with transaction.atomic():
            run = ScheduledRun.objects.create(
                job=job.name, period=job_period(job, now), host=socket.gethostname()
            )
    except IntegrityError:
        return None
    output = io.StringIO()
    try:
        call_command(job.command, *job.args, stdout=output, stderr=output)
    except Exception:
        logger.exception("Scheduled job %s failed", job.name)
        output.write(traceback.format_exc())
        run.succeeded = False
    else:
        logger.info("Scheduled job %s: %s", job.name, output.getvalue().strip())
        run.succeeded = True
    run.finished_at = timezone.now()
    run.output = output.getvalue()[-10_000:]
    run.save(update_fields=["finished_at", "succeeded", "output"])
    return run


def jobs_run_due(*, now: datetime.datetime | None = None) -> list[ScheduledRun]:
    """Run every job whose day has no run yet; the runs this call made."""
    now = now or timezone.now()
    runs = []
    for job in JOBS:
        # Looking first keeps the database's log free of a refused insert every minute.
        if ScheduledRun.objects.filter(job=job.name, period=job_period(job, now)).exists():
            continue
        run = job_run(job, now=now)
        if run is not None:
            runs.append(run)
    return runs


def jobs_problems(*, now: datetime.datetime | None = None) -> list[str]:
    """What an operator should look at: a job whose last run failed, or that has not run for
    more than a day. Empty when all is well."""
    now = now or timezone.now()
    problems = []
    for job in JOBS:
        last = ScheduledRun.objects.filter(job=job.name).order_by("-period").first()
        if last is None or last.period < job_period(job, now) - datetime.timedelta(days=1):
            since = f"since {last.period:%d %B %Y}" if last else "yet"
            problems.append(f"{job.name} has not run {since}.")
        elif last.succeeded is False:
            problems.append(f"{job.name} failed on {last.period:%d %B %Y}: see its run's output.")
    return problems
