#!/usr/bin/env python3
"""What one request costs, in one process: the finder's answers and the open data API beside
the bare view, timed the same way in the same run (so machine noise cancels in the ratio).

Usage::

    DATABASE_URL=postgres://... REDIS_URL=redis://127.0.0.1:6379/N \\
        python bench/profile_requests.py [--repeat 2000] [--profile "finder: place"] [--only team]

Each request goes through the whole middleware stack (Django's test client, settings as in
bench/settings.py). Prints microseconds per request, the ratio of the bare view's cost to the
request's (the in-process analogue of the load benches' throughput ratio), the number of
database queries and cache round trips one request makes once warm, and its size in KB. With
--profile, prints the cProfile of the named row. The public survey results are profiled when the
database has a survey that publishes them (bench/survey_results.py makes one).
"""

import argparse
import cProfile
import math
import os
import pstats
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "bench.settings")
# One client sends everything: the rate limit is still counted on every API request.
os.environ["API_RATE_PER_SECOND"] = os.environ["API_RATE_BURST"] = "1000000"

import django  # noqa: E402

django.setup()

from django.core.cache import cache  # noqa: E402
from django.db import connection  # noqa: E402
from django.test import Client  # noqa: E402

from teams.reference import TEAM_SLUGS  # noqa: E402

ROWS = {
    "bare view": ["/bench/bare/"],
    "empty page (base.html only)": ["/bench/empty-page/"],
    "home page": ["/"],
    "finder: Essex postcode (302)": ["/find/?postcode=cm11ae", "/find/?postcode=CM1%201AF"],
    "finder: outside Essex": ["/find/?postcode=e10aa", "/find/?postcode=EH1%201AD"],
    "finder: outward code": ["/find/?postcode=CM1", "/find/?postcode=ss7"],
    "finder: place": ["/find/?postcode=Rayleigh", "/find/?postcode=Leeds"],
    "finder: misspelt place": ["/find/?postcode=Chelmsfrd"],
    "finder: unknown postcode": ["/find/?postcode=CM99%209ZZ"],
    "finder: bad input": ["/find/?postcode=%40%40%40"],
    "team page (whole page kept)": ["/teams/colchester/", "/teams/chelmsford-maldon/"],
    "team page arriving with ?postcode=": [
        "/teams/colchester/?postcode=CO4%203SQ",
        "/teams/chelmsford-maldon/?postcode=CM2%200AA",
    ],
    "api: neighbourhoods": ["/api/essex/neighbourhoods"],
    # As bench/api_load.py asks: each of the ten teams in turn.
    "api: neighbourhood <id>": [f"/api/essex/{slug}" for slug in TEAM_SLUGS],
    "api: priorities?status=all": [
        f"/api/essex/{slug}/priorities?status=all" for slug in TEAM_SLUGS
    ],
    "api: events": [f"/api/essex/{slug}/events" for slug in TEAM_SLUGS],
    "api: boundary": [f"/api/essex/{slug}/boundary" for slug in TEAM_SLUGS],
    "api: locate-neighbourhood": [
        "/api/locate-neighbourhood?q=51.7356,0.4685",
        "/api/locate-neighbourhood?q=51.5426,0.7101",
    ],
}


class Queries:
    """Counts the database queries (CaptureQueriesContext forgets them at each request's start)."""

    def __init__(self):
        self.count = 0

    def __call__(self, execute, sql, params, many, context):
        self.count += 1
        return execute(sql, params, many, context)


class Counting:
    """Counts the cache's round trips: on Redis each command sent on any connection, through
    redis-py's client or not (a script run by EVALSHA is one), otherwise each call of the
    cache's API (get, set, get_many, incr...)."""

    def __init__(self):
        self.calls = 0
        self.depth = 0
        self._saved = {}

    def __enter__(self):
        if os.environ.get("REDIS_URL"):
            from redis.connection import AbstractConnection

            original = AbstractConnection.send_packed_command

            def sent(connection, command, *args, **kwargs):
                self.calls += 1
                if os.environ.get("SHOW_CACHE"):
                    print(command)
                return original(connection, command, *args, **kwargs)

            self._saved["redis"] = original
            AbstractConnection.send_packed_command = sent
            return self
        for name in ("get", "set", "add", "get_many", "set_many", "incr", "get_or_set", "delete"):
            original = getattr(cache, name)
            self._saved[name] = original

            def wrapped(*args, _original=original, _name=name, **kwargs):
                self.depth += 1  # get_or_set calls get: one round trip
                try:
                    if self.depth == 1:
                        self.calls += 1
                        if os.environ.get("SHOW_CACHE"):
                            print(_name, args[:1])
                    return _original(*args, **kwargs)
                finally:
                    self.depth -= 1

            setattr(cache, name, wrapped)
        return self

    def __exit__(self, *exc):
        if "redis" in self._saved:
            from redis.connection import AbstractConnection

            AbstractConnection.send_packed_command = self._saved.pop("redis")
        for name, original in self._saved.items():
            setattr(cache, name, original)


ROUNDS = 5


# --cpu: this process's CPU time instead of the wall clock. On a busy machine it is far steadier
# (time spent waiting for the CPU is not counted) but it leaves out the database's and Redis's
# share of each round trip, so it measures the drawing, not the whole request.
CLOCK = time.perf_counter


def timed(client: Client, paths: list[str], count: int) -> float:
    """Seconds per request over `count` requests to `paths` in turn."""
    started = CLOCK()
    for i in range(count):
        client.get(paths[i % len(paths)])
    return (CLOCK() - started) / count


def survey_rows() -> dict[str, list[str]]:
    """The public results of the first survey that has them (bench/survey_results.py makes
    one), kept whole like the home page: all teams, each team, each quarter."""
    from surveys.models import Survey
    from surveys.results import quarters_with_responses
    from teams.models import Team

    survey = Survey.objects.with_public_results().order_by("pk").first()
    if survey is None:
        return {}
    public = f"/surveys/{survey.slug}/results/"
    teams = Team.objects.order_by("pk").values_list("slug", flat=True)[:10]
    quarters = [f"{year}-Q{quarter}" for year, quarter in quarters_with_responses(survey)]
    return {
        "survey results, all (kept)": [public],
        "survey results, each team (kept)": [f"{public}?team={slug}&quarter=" for slug in teams],
        "survey results, each quarter (kept)": [f"{public}?team=&quarter={q}" for q in quarters],
    }


def ward_name_rows() -> dict[str, list[str]]:
    """The finder's answers for ward names typed as bench/pages_load.py types them (its "finder:
    place" row): the first 300 names, in upper or lower case, half of them without spaces."""
    import random

    from bench.pages_load import find
    from teams.models import Ward

    names = sorted(set(Ward.objects.values_list("name", flat=True)))[:300]
    return {"finder: ward names (as pages_load)": find(names, random.Random(2025))} if names else {}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=2000)
    parser.add_argument("--profile", default="")
    parser.add_argument("--only", default="", help="only the rows whose name contains this")
    parser.add_argument("--rounds", type=int, default=ROUNDS, help="batches; the best stands")
    parser.add_argument("--cpu", action="store_true", help="time CPU, not the wall clock")
    options = parser.parse_args()
    if options.cpu:
        global CLOCK
        CLOCK = time.process_time
    # Each address answered once from "elsewhere", as the load benches' client is.
    client = Client(REMOTE_ADDR="127.0.0.2", HTTP_HOST="127.0.0.1")
    results = {}
    for name, paths in {**ROWS, **ward_name_rows(), **survey_rows()}.items():
        if options.only not in name and name != "bare view":
            continue
        for path in paths:  # warm: what is kept is kept
            client.get(path)
        queries = Queries()
        with connection.execute_wrapper(queries), Counting() as trips:
            size = len(client.get(paths[0]).content)
        # The bare view timed right before each batch: the best batch of each stands for it.
        seconds = bare_seconds = math.inf
        batch = max(1, options.repeat // options.rounds)
        for _ in range(options.rounds):
            bare_seconds = min(bare_seconds, timed(client, ["/bench/bare/"], batch))
            seconds = min(seconds, timed(client, paths, batch))
        results[name] = (seconds, bare_seconds, queries.count, trips.calls, size)
        if name == options.profile:
            profiler = cProfile.Profile()
            profiler.enable()
            for i in range(options.repeat):
                client.get(paths[i % len(paths)])
            profiler.disable()
            pstats.Stats(profiler).sort_stats(os.environ.get("SORT", "cumulative")).print_stats(40)
    print(
        f"{'request':36} {'µs':>7} {'bare µs':>7} {'bare/this':>9} {'queries':>7} {'cache':>5}"
        f" {'KB':>5}"
    )
    for name, (seconds, bare, queries, trips, size) in results.items():
        print(
            f"{name:36} {seconds * 1e6:7.0f} {bare * 1e6:7.0f} {bare / seconds:9.2f}"
            f" {queries:7} {trips:5} {size / 1000:5.1f}"
        )


if __name__ == "__main__":
    main()
