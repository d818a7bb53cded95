#!/usr/bin/env python3
"""The finder under load: gunicorn (2 workers) on PostgreSQL, beside a bare Django view.

Usage::

    python bench/finder_load.py [--database postgres://postgres@127.0.0.1:5432/portal_bench_finder]
                                [--redis redis://127.0.0.1:6379/0] [--seconds 10]
                                [--concurrency 8] [--postcodes 5000]

It prepares the database (migrate, every GB postcode when the database has none, the sample
teams), picks real postcodes at random from it, and measures in one run: the bare view,
`/find/?postcode=` for postcodes in Essex (answered with a redirect to the team's page), for
postcodes outside Essex (a page naming the council and force), for outward codes (a page
listing the teams and their shares), for towns and villages by name and misspelt ("Did you
mean"), the home page for scale, and the bare view again, with all of Great Britain loaded. Each
postcode is typed as a resident might: lower case, with or without the space. Goal: at least
half the bare view's throughput.
"""

import argparse
import os
import random
import sys
from pathlib import Path
from urllib.parse import urlencode

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench.loadtest import (  # noqa: E402
    compare_under_load,
    create_database,
    manage,
)
from teams.reference import ESSEX_DISTRICT_CODES  # noqa: E402

ROOT = Path(__file__).resolve().parent.parent
DEFAULT_DATABASE = "postgres://postgres@127.0.0.1:5432/portal_bench_finder"


# Names as residents type them: Essex towns (straight to a team), names shared across Great
# Britain (a list), and misspellings (no match: "Did you mean").
TOWNS = [
    "Rayleigh", "leigh-on-sea", "Clacton", "Benfleet", "Witham", "South Woodham Ferrers",
    "saffron walden", "Grays", "Newport", "Hadleigh", "Walton", "Cambridge", "Leeds", "Ongar",
]  # fmt: skip
TYPOS = ["Chelmsfrd", "Rayliegh", "Colchster", "Billericey", "Brentwod", "Southnd", "Witam"]


def sample(url: str, count: int) -> tuple[list[str], list[str], list[str]]:
    """Random real postcodes in Essex and outside it, and the outward codes."""
    import psycopg

    with psycopg.connect(url) as connection:
        rows = connection.execute(
            "SELECT postcode, district_id = ANY(%s) FROM teams_postcode "
            "WHERE district_id IS NOT NULL ORDER BY random() LIMIT %s",
            [ESSEX_DISTRICT_CODES, count * 2],
        ).fetchall()
        outwards = [
            row[0]
            for row in connection.execute("SELECT DISTINCT outward FROM teams_postcode").fetchall()
        ]
    inside = [postcode for postcode, essex in rows if essex][:count]
    outside = [postcode for postcode, essex in rows if not essex][:count]
    return inside, outside, outwards


def as_typed(postcode: str, rng: random.Random) -> str:
    typed = rng.choice([str.lower, str.upper])(postcode)
    return typed.replace(" ", "") if rng.random() < 0.5 else typed


def find_paths(postcodes: list[str], rng: random.Random) -> list[str]:
    return [f"/find/?{urlencode({'postcode': as_typed(p, rng)})}" for p in postcodes]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--database", default=os.environ.get("DATABASE_URL", DEFAULT_DATABASE))
    parser.add_argument("--redis", default=os.environ.get("REDIS_URL", ""))
    parser.add_argument("--seconds", type=float, default=10)
    parser.add_argument("--concurrency", type=int, default=8)
    parser.add_argument("--postcodes", type=int, default=5000)
    options = parser.parse_args()

    os.environ["DATABASE_URL"] = options.database
    if options.redis:  # as production: the generation and what is kept, shared by the workers
        os.environ["REDIS_URL"] = options.redis
    create_database(options.database)
    manage("migrate", "--noinput")
    manage("import_postcodes", "data/codepo_gb.zip", "--if-empty", "-v0")
    manage("load_reference_data")

    rng = random.Random(2025)
    inside, outside, outwards = sample(options.database, options.postcodes)
    targets = {
        f"finder: {len(inside):,} Essex postcodes (302)": find_paths(inside, rng),
        f"finder: {len(outside):,} postcodes outside Essex": find_paths(outside, rng),
        f"finder: {len(outwards):,} outward codes": find_paths(outwards, rng),
        f"finder: {len(TOWNS)} towns and villages by name": [
            f"/find/?{urlencode({'postcode': town})}" for town in TOWNS
        ],
        f"finder: {len(TYPOS)} misspelt towns (Did you mean)": [
            f"/find/?{urlencode({'postcode': typo})}" for typo in TYPOS
        ],
        # For scale: any page drawn from the templates costs about this much.
        "home page (a plain rendered page)": ["/"],
    }
    cache = "Redis" if options.redis else "per-process memory"
    compare_under_load(
        f"The finder under load: gunicorn, 2 workers, PostgreSQL, {cache}",
        targets,
        seconds=options.seconds,
        concurrency=options.concurrency,
    )


if __name__ == "__main__":
    main()
