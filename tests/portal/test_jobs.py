"""The scheduled jobs: each runs once a day at its time, whatever the clock change, and once
however many hosts run the scheduler at the same moment."""

import contextlib
import datetime
import io
import threading
import time
from concurrent.futures import ThreadPoolExecutor
from zoneinfo import ZoneInfo

import pytest
from django.contrib.sessions.backends.db import SessionStore
from django.contrib.sessions.models import Session
from django.core.management import CommandError, call_command
from django.db import connection
from django.utils import timezone

from meetings.models import Meeting
from portal import jobs
from portal.jobs import JOBS, Job, job_period, job_run, jobs_problems, jobs_run_due
from portal.models import ScheduledRun
from surveys.models import Answer, Question
from tests.factories import AnswerFactory, MeetingScheduleFactory, SurveyFactory, TeamFactory

LONDON = ZoneInfo("Europe/London")
GENERATE, PURGE, SESSIONS = (next(job for job in JOBS if job.name == name) for name in (
    "generate_meetings", "purge_survey_free_text", "clearsessions"
))  # fmt: skip


def at(*args, fold=0) -> datetime.datetime:
    return datetime.datetime(*args, tzinfo=LONDON, fold=fold)


@pytest.mark.parametrize(
    ("now", "period"),
    [
        (at(2026, 6, 10, 2, 59), datetime.date(2026, 6, 9)),
        (at(2026, 6, 10, 3, 0), datetime.date(2026, 6, 10)),
        (at(2026, 6, 10, 23, 59), datetime.date(2026, 6, 10)),
        # The clocks go forward at 01:00 on 29 March 2026 and back at 02:00 on 25 October.
        (at(2026, 3, 29, 2, 59), datetime.date(2026, 3, 28)),
        (at(2026, 3, 29, 3, 0), datetime.date(2026, 3, 29)),
        (at(2026, 10, 25, 1, 30, fold=1), datetime.date(2026, 10, 24)),
        (at(2026, 10, 25, 3, 0), datetime.date(2026, 10, 25)),
    ],
)
def test_a_jobs_day_starts_at_its_local_time(now, period):
    assert job_period(GENERATE, now) == period


@pytest.mark.parametrize("start", [at(2026, 3, 27), at(2026, 10, 23)])
def test_every_job_gets_a_new_day_once_a_day_across_a_clock_change(start):
    """Every 5 minutes of real (UTC) time over four days: each day begins once, at the job's
    local time, including the day the clocks change."""
    utc = start.astimezone(datetime.UTC)
    instants = [utc + datetime.timedelta(minutes=5 * n) for n in range(4 * 24 * 12)]
    for job in JOBS:
        periods = [job_period(job, instant) for instant in instants]
        changes = [
            instant.astimezone(LONDON)
            for instant, before, after in zip(instants[1:], periods, periods[1:], strict=False)
            if before != after
        ]
        assert len(changes) == 4
        assert {change.time() for change in changes} == {job.at}
        steps = {later - earlier for earlier, later in zip(periods, periods[1:], strict=False)}
        assert steps == {datetime.timedelta(0), datetime.timedelta(days=1)}


@pytest.mark.django_db
def test_a_new_deployment_runs_every_job_at_once_then_daily_at_its_time():
    schedule = MeetingScheduleFactory(team=TeamFactory())
    first = jobs_run_due(now=at(2026, 6, 10, 14, 0))
    assert [run.job for run in first] == [job.name for job in JOBS]
    assert all(run.succeeded for run in first)
    assert Meeting.objects.filter(schedule=schedule).count() >= 6
    assert jobs_run_due(now=at(2026, 6, 10, 23, 0)) == []
    assert jobs_run_due(now=at(2026, 6, 11, 2, 59)) == []
    assert [run.job for run in jobs_run_due(now=at(2026, 6, 11, 3, 0))] == ["generate_meetings"]
    assert [run.job for run in jobs_run_due(now=at(2026, 6, 11, 3, 40))] == [
        "purge_survey_free_text",
        "clearsessions",
    ]
    assert ScheduledRun.objects.count() == 6


@pytest.mark.django_db
def test_a_failing_job_is_recorded_and_the_others_still_run(monkeypatch):
    broken = Job("check", datetime.time(3, 0), "a job that fails", ("--tag", "no-such-tag"))
    monkeypatch.setattr(jobs, "JOBS", [broken, SESSIONS])
    runs = jobs_run_due(now=timezone.now())
    assert [(run.job, run.succeeded) for run in runs] == [("check", False), ("clearsessions", True)]
    assert "no-such-tag" in runs[0].output
    assert jobs_problems() == [f"check failed on {runs[0].period:%d %B %Y}: see its run's output."]
    with pytest.raises(CommandError, match="check failed on"):
        call_command("run_scheduled_jobs", "--check")


@pytest.mark.django_db
def test_the_health_check_says_when_jobs_have_stopped_running():
    assert jobs_problems() == [f"{job.name} has not run yet." for job in JOBS]
    jobs_run_due(now=at(2026, 6, 10, 14, 0))
    assert jobs_problems(now=at(2026, 6, 11, 14, 0)) == []  # today's run may still be coming
    assert jobs_problems(now=at(2026, 6, 12, 14, 0)) == [
        f"{job.name} has not run since 10 June 2026." for job in JOBS
    ]


@pytest.mark.django_db
def test_run_once_from_the_command_line_reports_each_job():
    out = io.StringIO()
    call_command("run_scheduled_jobs", "--once", stdout=out)
    assert "generate_meetings for" in out.getvalue()
    assert "Deleted 0 written answers." in out.getvalue()
    call_command("run_scheduled_jobs", "--check", stdout=out)
    assert "Every scheduled job has run on time." in out.getvalue()
    assert ScheduledRun.objects.filter(succeeded=True).count() == len(JOBS)


def twice_at_once(job: Job, *, copies: int = 2) -> list[ScheduledRun | None]:
    """Run the job from `copies` threads released together, as hosts would at 03:00."""
    barrier = threading.Barrier(copies)
    now = timezone.now()

    def run(_):
        try:
            with contextlib.suppress(threading.BrokenBarrierError):
                barrier.wait(timeout=5)
            return job_run(job, now=now)
        finally:
            connection.close()

    with ThreadPoolExecutor(max_workers=copies) as pool:
        return list(pool.map(run, range(copies)))


@pytest.fixture
def postgresql():
    if connection.vendor != "postgresql":
        pytest.skip("needs PostgreSQL (set DATABASE_URL): SQLite serialises writers")


@pytest.mark.django_db(transaction=True)
@pytest.mark.usefixtures("postgresql")
def test_hosts_at_once_run_a_job_once(monkeypatch):
    """A job that is not idempotent at all: eight hosts at once, one call."""
    calls = []

    def slow_command(*args, **kwargs):
        calls.append(args)
        time.sleep(0.2)  # long enough for every other host to reach the claim meanwhile

    monkeypatch.setattr(jobs, "call_command", slow_command)
    runs = twice_at_once(SESSIONS, copies=8)
    assert len(calls) == 1
    assert sum(run is not None for run in runs) == 1
    assert ScheduledRun.objects.get().succeeded is True


@pytest.mark.django_db(transaction=True)
@pytest.mark.usefixtures("postgresql")
def test_generating_meetings_twice_at_once_creates_them_once():
    schedule = MeetingScheduleFactory(team=TeamFactory())
    runs = [run for run in twice_at_once(GENERATE) if run is not None]
    created = Meeting.objects.filter(schedule=schedule).count()
    assert len(runs) == 1 and created >= 6
    assert f"Created {created} meetings." in runs[0].output


@pytest.mark.django_db(transaction=True)
@pytest.mark.usefixtures("postgresql")
def test_purging_free_text_twice_at_once_purges_once():
    survey = SurveyFactory(free_text_retention_days=30)
    AnswerFactory.create_batch(
        3,
        question__page__survey=survey,
        question__kind=Question.Kind.LONG_TEXT,
        choice=None,
        text="The streetlight on our road is out.",
        response__submitted_on=timezone.localdate() - datetime.timedelta(days=31),
    )
    runs = [run for run in twice_at_once(PURGE) if run is not None]
    assert len(runs) == 1
    assert "Deleted 3 written answers." in runs[0].output
    assert not Answer.objects.exclude(text="").exists()


@pytest.mark.django_db(transaction=True)
@pytest.mark.usefixtures("postgresql")
def test_clearing_sessions_twice_at_once_clears_once():
    expired = SessionStore()
    expired.set_expiry(-60)
    expired.create()
    current = SessionStore()
    current.create()
    runs = [run for run in twice_at_once(SESSIONS) if run is not None]
    assert len(runs) == 1 and runs[0].succeeded
    assert list(Session.objects.values_list("session_key", flat=True)) == [current.session_key]


def test_the_runbook_lists_every_job_at_its_time():
    from django.conf import settings

    readme = (settings.BASE_DIR / "README.md").read_text()
    for job in JOBS:
        assert f"| `{' '.join([job.command, *job.args])}` | daily, {job.at:%H:%M} |" in readme
