#!/usr/bin/env python3
"""The open data API under load: gunicorn (2 workers) on PostgreSQL, beside a bare Django view.

Usage::

    python bench/api_load.py [--database postgres://postgres@127.0.0.1:5432/portal_bench_api]
                             [--seconds 4] [--rounds 3] [--concurrency 8]

It prepares the database (migrate, the ten demo teams with their sample details and meetings,
the postcode extract when the database has none), then measures, in one run: the bare view,
the list of neighbourhoods, each team (all ten in turn), their priorities, events and
boundaries, locate-neighbourhood at the positions of 200 Essex postcodes, and the bare view
again. Each endpoint is measured right after the bare view, several rounds over, and its
throughput compared with that bare view's: the median of the rounds, and their range. Then,
because throughput on a busy shared machine swings with whatever else runs, each endpoint's
cost is timed in one process, through all the middleware, beside the bare view's (best of
several tries). Goal: each endpoint at least 0.7 times the bare view.

Every client here shares one address, so the rate limit is raised far above what the clients
can send (API_RATE_PER_SECOND, API_RATE_BURST): it is still counted on every request, and so
measured. Set REDIS_URL (e.g. redis://127.0.0.1:6379/1) to keep it, and the kept answers, in
Redis as production does; without it each worker keeps its own in memory.
"""

import argparse
import os
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench.loadtest import (  # noqa: E402
    BARE,
    create_database,
    describe_machine,
    hammer,
    manage,
    median,
    serve,
)
from bench.team_page_load import prepare as prepare_teams  # noqa: E402
from teams.reference import ESSEX_DISTRICT_CODES, TEAM_SLUGS  # noqa: E402

DEFAULT_DATABASE = "postgres://postgres@127.0.0.1:5432/portal_bench_api"
GOAL = 0.7


def essex_points(url: str, count: int) -> list[str]:
    """ "latitude,longitude" of random real Essex postcodes, as a phone would send them."""
    import psycopg
    from pyproj import Transformer

    to_wgs84 = Transformer.from_crs("EPSG:27700", "EPSG:4326", always_xy=True)
    with psycopg.connect(url) as connection:
        connection.execute("SELECT setseed(0.13)")
        rows = connection.execute(
            "SELECT easting, northing FROM teams_postcode WHERE district_id = ANY(%s) "
            "AND quality < 90 ORDER BY random() LIMIT %s",
            [ESSEX_DISTRICT_CODES, count],
        ).fetchall()
    points = [to_wgs84.transform(easting, northing) for easting, northing in rows]
    return [f"{latitude:.5f},{longitude:.5f}" for longitude, latitude in points]


def prepare() -> None:
    prepare_teams()
    manage("load_demo_meetings")


def paired(
    base_url: str, targets: dict[str, list[str]], *, seconds: float, concurrency: int, rounds: int
) -> None:
    """Each endpoint right after the bare view, `rounds` times over: on a machine whose other
    load comes and goes, the ratio of two neighbouring measurements is what holds still."""
    for paths in [[BARE], *targets.values()]:  # warm every worker's caches and connections
        hammer(base_url, "warm-up", paths, seconds=1, concurrency=2)
    ratios: dict[str, list[float]] = {name: [] for name in targets}
    results = {name: [] for name in targets}
    load = {"seconds": seconds, "concurrency": concurrency}
    for _ in range(rounds):
        for name, paths in targets.items():
            bare = hammer(base_url, "bare", [BARE], **load)
            result = hammer(base_url, name, paths, **load)
            ratios[name].append(result.per_second / bare.per_second if bare.per_second else 0)
            results[name].append(result)
    print(
        f"{'endpoint':42} {'req/s':>7} {'p50 ms':>7} {'p99 ms':>7} {'errors':>6} "
        f"{'vs bare: median':>15} {'(range)':>13}"
    )
    for name, runs in results.items():
        best = max(runs, key=lambda result: result.per_second)
        ordered = sorted(ratios[name])
        verdict = "meets" if median(ordered) >= GOAL else "MISSES"
        print(
            f"{name:42} {best.per_second:7.0f} {best.percentile(0.5):7.1f} "
            f"{best.percentile(0.99):7.1f} {sum(r.errors for r in runs):6d} "
            f"{median(ordered):14.2f}x ({ordered[0]:.2f}–{ordered[-1]:.2f}x) {verdict}"
        )


def in_process(targets: dict[str, list[str]], *, repeats: int = 7, seconds: float = 0.2) -> None:
    """What each endpoint costs the server: the time of one request through Django's handler and
    all its middleware, in this process, beside the bare view's. The best of several tries
    holds still however busy the machine is, unlike throughput under load."""
    import timeit

    import django

    os.environ["DJANGO_SETTINGS_MODULE"] = "bench.settings"
    django.setup()
    from django.test import Client

    client = Client(HTTP_HOST="127.0.0.1")

    def best(paths: list[str]) -> float:
        started = time.perf_counter()
        for path in paths:  # the answers kept, as under load
            client.get(path)
        number = max(1, int(seconds / (time.perf_counter() - started)))
        rounds = [
            timeit.timeit(lambda: [client.get(path) for path in paths], number=number)
            for _ in range(repeats)
        ]
        return 1e6 * min(rounds) / (number * len(paths))

    print(f"\n{'in one process, best of ' + str(repeats):42} {'µs a request':>13} {'vs bare':>8}")
    for name, paths in targets.items():
        bare, cost = best([BARE]), best(paths[:20])
        verdict = "meets" if bare / cost >= GOAL else "MISSES"
        print(f"{name:42} {cost:13.0f} {bare / cost:7.2f}x (bare {bare:.0f} µs) {verdict}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--database", default=os.environ.get("DATABASE_URL", DEFAULT_DATABASE))
    parser.add_argument("--seconds", type=float, default=4, help="each measurement")
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--concurrency", type=int, default=8)
    options = parser.parse_args()

    os.environ["DATABASE_URL"] = options.database
    os.environ["API_RATE_PER_SECOND"] = os.environ["API_RATE_BURST"] = "1000000"
    create_database(options.database)
    prepare()

    locate = [
        f"/api/locate-neighbourhood?q={point}" for point in essex_points(options.database, 200)
    ]
    targets = {
        "/api/essex/neighbourhoods": ["/api/essex/neighbourhoods"],
        "/api/essex/<id> (all ten in turn)": [f"/api/essex/{slug}" for slug in TEAM_SLUGS],
        "/api/essex/<id>/priorities?status=all": [
            f"/api/essex/{slug}/priorities?status=all" for slug in TEAM_SLUGS
        ],
        "/api/essex/<id>/events": [f"/api/essex/{slug}/events" for slug in TEAM_SLUGS],
        "/api/essex/<id>/boundary": [f"/api/essex/{slug}/boundary" for slug in TEAM_SLUGS],
        "/api/locate-neighbourhood (200 points)": locate,
    }
    cache = "Redis" if os.environ.get("REDIS_URL") else "per-process memory"
    print(
        f"Open data API under load: gunicorn, 2 workers, {options.database.split('://')[0]}, "
        f"cache in {cache}"
    )
    print(describe_machine())
    with serve(workers=2) as base_url:
        paired(
            base_url,
            targets,
            seconds=options.seconds,
            concurrency=options.concurrency,
            rounds=options.rounds,
        )
    in_process(targets)


if __name__ == "__main__":
    main()
