#!/usr/bin/env python3
"""Time the survey results pages and the CSV export for a survey with 100,000 responses.

Usage::

    python bench/survey_results.py [--database URL] [--responses 100000] [--repeat 3]
                                   [--load] [--seconds 10] [--concurrency 8]

The default database is a SQLite file under var/; pass a PostgreSQL URL (the database is
created if missing) to measure there. The survey (the Public Confidence Survey, eleven
questions) and its responses are generated once and reused by later runs.

Printed side by side, in the same run:

* the staff results page (every question counted, the trend by quarter with Wilson intervals)
  beside a baseline: one bare GROUP BY over the same answers in SQL;
* the public results page drawn afresh (rounded counts, small ones hidden), as a signed-in
  visitor gets it; residents get the kept copy;
* the streamed CSV of every response beside a baseline: reading the same answer rows with a
  plain cursor; plus the peak memory Python allocated while streaming;
* with --load: the public results pages (all, each team, each quarter) under load, served by
  gunicorn (2 workers, the shared cache in Redis database 11 unless REDIS_URL says otherwise),
  beside a bare Django view. Goal: half the bare view's throughput.

Results are read from the running counts (surveys.tallies), so the pages cost about the same
at 100,000 responses or 1,000,000; the export reads every answer, streamed.
"""

import argparse
import os
import sys
import time
import tracemalloc
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
SLUG = "bench-public-confidence"
GENERATED = 100_000  # made answer by answer; beyond this, copies (PostgreSQL only)

from bench.loadtest import create_database  # noqa: E402


def timed(function, repeat: int) -> tuple[float, object]:
    """The best of `repeat` runs, in milliseconds, and the last result."""
    best, result = float("inf"), None
    for _ in range(repeat):
        started = time.perf_counter()
        result = function()
        best = min(best, time.perf_counter() - started)
    return best * 1000, result


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument(
        "--database",
        default=os.environ.get(
            "DATABASE_URL", f"sqlite:///{ROOT / 'var' / 'bench_surveys.sqlite3'}"
        ),
    )
    parser.add_argument("--responses", type=int, default=100_000)
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--load", action="store_true", help="also the public pages under load")
    parser.add_argument("--seconds", type=float, default=10)
    parser.add_argument("--concurrency", type=int, default=8)
    options = parser.parse_args()

    if options.database.startswith("postgres"):
        create_database(options.database)
    (ROOT / "var").mkdir(exist_ok=True)
    os.environ["DATABASE_URL"] = options.database
    os.environ["DJANGO_SETTINGS_MODULE"] = "bench.settings"
    import django

    django.setup()

    import random

    from django.contrib.auth import get_user_model
    from django.core.management import call_command
    from django.db import connection
    from django.test import Client
    from django.urls import reverse

    from surveys.management.commands.load_demo_surveys import demo_responses
    from surveys.models import Survey
    from surveys.seed import PUBLIC_CONFIDENCE, survey_create
    from surveys.tallies import tallies_rebuild
    from teams.models import Team

    call_command("migrate", "--noinput", verbosity=0)
    teams = list(Team.objects.all())
    if not teams:
        teams = [
            Team.objects.create(name=f"Bench team {number}", slug=f"bench-team-{number}")
            for number in range(10)
        ]
    survey = Survey.objects.filter(slug=SLUG).first()
    if survey is None:
        survey = survey_create(
            description={**PUBLIC_CONFIDENCE, "slug": SLUG},
            status=Survey.Status.OPEN,
            results_public=True,
        )
    missing = min(options.responses, GENERATED) - survey.responses.count()
    if missing > 0:
        print(f"Generating {missing} responses (once; later runs reuse them)...", flush=True)
        started = time.perf_counter()
        # Seeded by the responses already there: growing a survey never repeats their tokens.
        rng = random.Random(survey.responses.count() + 1)
        while missing > 0:
            batch = min(missing, 20_000)
            demo_responses(survey=survey, teams=teams, count=batch, rng=rng, recount=False)
            missing -= batch
        print(f"  generated in {time.perf_counter() - started:.1f} s")
        started = time.perf_counter()
        tallies_rebuild(survey_id=survey.pk)
        print(f"  counted in {time.perf_counter() - started:.1f} s")
    if options.responses > survey.responses.count() and connection.vendor == "postgresql":
        started = time.perf_counter()
        copied = replicate(survey, options.responses)
        tallies_rebuild(survey_id=survey.pk)
        print(f"  copied {copied} responses and counted in {time.perf_counter() - started:.1f} s")
    user, _ = get_user_model().objects.get_or_create(
        username="bench-surveys", defaults={"is_staff": True, "is_superuser": True}
    )
    client = Client(SERVER_NAME="localhost")
    client.force_login(user)

    def page(url):
        response = client.get(url)
        assert response.status_code == 200, response.status_code
        return len(response.content)

    def baseline_group_by():
        with connection.cursor() as cursor:
            cursor.execute(
                "SELECT a.question_id, a.choice_id, count(*) FROM surveys_answer a "
                "JOIN surveys_response r ON r.id = a.response_id WHERE r.survey_id = %s "
                "GROUP BY a.question_id, a.choice_id",
                [survey.pk],
            )
            return len(cursor.fetchall())

    def baseline_read_answers():
        rows = 0
        with connection.cursor() as cursor:
            cursor.execute(
                "SELECT a.response_id, a.question_id, a.choice_id, a.text, a.number "
                "FROM surveys_answer a JOIN surveys_response r ON r.id = a.response_id "
                "WHERE r.survey_id = %s ORDER BY a.response_id",
                [survey.pk],
            )
            while chunk := cursor.fetchmany(20_000):
                rows += len(chunk)
        return rows

    def export():
        response = client.get(reverse("surveys:staff-responses-csv", kwargs={"slug": SLUG}))
        size = lines = 0
        for part in response.streaming_content:
            size += len(part)
            lines += 1
        return size, lines

    staff_url = reverse("surveys:staff-results", kwargs={"slug": SLUG})
    public_url = reverse("surveys:results", kwargs={"slug": SLUG})
    print(f"database: {connection.vendor}, survey with {survey.responses.count()} responses")
    print(f"(best of {options.repeat})")
    group_by, _ = timed(baseline_group_by, options.repeat)
    staff, _ = timed(lambda: page(staff_url), options.repeat)
    filtered, _ = timed(lambda: page(staff_url + "?team=" + teams[0].slug), options.repeat)
    public, _ = timed(lambda: page(public_url), options.repeat)
    read, rows = timed(baseline_read_answers, options.repeat)
    csv_ms, (size, lines) = timed(export, options.repeat)
    tracemalloc.start()  # a separate, untimed run: tracing slows Python down several times
    export()
    _, peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    print(f"{'baseline: one GROUP BY in SQL':45} {group_by:9.0f} ms")
    print(f"{'staff results page':45} {staff:9.0f} ms  ({staff / group_by:.2f}x baseline)")
    print(f"{'staff results page, one team':45} {filtered:9.0f} ms")
    print(f"{'public results page, drawn afresh':45} {public:9.0f} ms")
    print(f"{'baseline: read ' + str(rows) + ' answer rows':45} {read:9.0f} ms")
    print(
        f"{'CSV export, streamed':45} {csv_ms:9.0f} ms  ({csv_ms / read:.1f}x baseline), "
        f"{lines - 1} rows, {size / 1e6:.1f} MB, peak Python memory {peak / 1e6:.1f} MB"
    )
    if options.load:
        under_load(survey, teams, options)


def replicate(survey, target: int) -> int:
    """Copy the generated responses and their answers in SQL until there are `target`: the
    copies keep each response's team, day and answers, with new ids, tokens and references."""
    from django.db import connection, transaction

    with transaction.atomic(), connection.cursor() as cursor:
        cursor.execute(
            "SELECT count(*), max(id) FROM surveys_response WHERE survey_id = %s", [survey.pk]
        )
        have, top = cursor.fetchone()
        offset = 10 ** len(str(top + target))  # copies' ids never meet the originals'
        copies = list(range(1, (target - have) // GENERATED + 1))
        params = {"survey": survey.pk, "offset": offset, "copies": copies, "n": GENERATED}
        cursor.execute(
            "INSERT INTO surveys_response (id, survey_id, team_id, submitted_on, token, "
            "reference, is_demo) SELECT r.id + k * %(offset)s, r.survey_id, r.team_id, "
            "r.submitted_on, md5((r.id + k * %(offset)s)::text)::uuid, "
            "upper(substr(lpad(to_hex(r.id + k * %(offset)s), 8, '0'), 1, 4) || '-' || "
            "substr(lpad(to_hex(r.id + k * %(offset)s), 8, '0'), 5, 4)), r.is_demo "
            "FROM (SELECT * FROM surveys_response WHERE survey_id = %(survey)s "
            "ORDER BY id LIMIT %(n)s) r, unnest(%(copies)s::int[]) k",
            params,
        )
        copied = cursor.rowcount
        cursor.execute(
            "INSERT INTO surveys_answer (response_id, question_id, choice_id, text, number) "
            "SELECT a.response_id + k * %(offset)s, a.question_id, a.choice_id, a.text, a.number "
            "FROM surveys_answer a JOIN (SELECT id FROM surveys_response "
            "WHERE survey_id = %(survey)s ORDER BY id LIMIT %(n)s) r ON r.id = a.response_id, "
            "unnest(%(copies)s::int[]) k",
            params,
        )
        cursor.execute(
            "SELECT setval(pg_get_serial_sequence('surveys_response', 'id'), "
            "(SELECT max(id) FROM surveys_response))"
        )
    return copied


def under_load(survey, teams, options) -> None:
    from bench.loadtest import compare_under_load
    from surveys.results import quarters_with_responses

    os.environ.setdefault("REDIS_URL", "redis://127.0.0.1:6379/11")
    public = f"/surveys/{survey.slug}/results/"
    quarters = [f"{year}-Q{quarter}" for year, quarter in quarters_with_responses(survey)]
    targets = {
        "public results, all": [public],
        "public results, each team": [f"{public}?team={team.slug}&quarter=" for team in teams],
        "public results, each quarter": [f"{public}?team=&quarter={q}" for q in quarters],
    }
    compare_under_load(
        f"Public results under load: gunicorn, 2 workers, {os.environ['DATABASE_URL'][:8]}",
        targets,
        seconds=options.seconds,
        concurrency=options.concurrency,
    )


if __name__ == "__main__":
    main()
