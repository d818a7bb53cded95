"""The scheduler: the portal's recurring jobs (portal.jobs.JOBS), each once a day.

Run it as a long-lived service (`docker compose` starts one); running it on several hosts at
once is safe, each job still runs once a day. `--once` runs what is due and exits, for a host's
own cron or timer instead; `--check` is the health check.
"""

import signal
import threading

from django.core.management.base import BaseCommand, CommandError
from django.db import DatabaseError, close_old_connections

from portal.jobs import JOBS, jobs_problems, jobs_run_due


class Command(BaseCommand):
    help = "Run the scheduled jobs (generate meetings, purge survey free text, clear sessions)."

    def add_arguments(self, parser):
        mode = parser.add_mutually_exclusive_group()
        mode.add_argument("--once", action="store_true", help="run what is due, then exit")
        mode.add_argument(
            "--check",
            action="store_true",
            help="exit with an error when a job failed or has not run for more than a day",
        )
        parser.add_argument(
            "--every", type=int, default=60, help="seconds between looks (default 60)"
        )

    def handle(self, *args, once, check, every, **options):
        if check:
            problems = jobs_problems()
            if problems:
                raise CommandError(" ".join(problems))
            self.stdout.write("Every scheduled job has run on time.")
            return
        if once:
            self.run_due()
            return
        stopping = threading.Event()
        for stop_signal in (signal.SIGTERM, signal.SIGINT):
            signal.signal(stop_signal, lambda *_: stopping.set())
        self.stdout.write(
            "Scheduler started: "
            + "; ".join(f"{job.name} daily at {job.at:%H:%M}" for job in JOBS)
            + "."
        )
        while not stopping.is_set():
            close_old_connections()
            try:
                self.run_due()
            except DatabaseError as error:
                # The database may be restarting: say so and look again next time.
                self.stderr.write(f"The database did not answer ({error}); trying again.")
            stopping.wait(every)
        self.stdout.write("Scheduler stopped.")

    def run_due(self):
        for run in jobs_run_due():
            outcome = "done" if run.succeeded else "FAILED"
            said = run.output.strip()
            self.stdout.write(
                f"{run.job} for {run.period}: {outcome}." + (f" {said}" if said else "")
            )
            self.stdout.flush()
