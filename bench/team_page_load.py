#!/usr/bin/env python3
"""The team pages under load: gunicorn (2 workers) on PostgreSQL, beside a bare Django view.

Usage::

    python bench/team_page_load.py [--database postgres://postgres@127.0.0.1:5432/portal_bench]
                                   [--seconds 10] [--concurrency 8]

It prepares the database (migrate, the ten demo teams with their sample details, the postcode
extract when the database has none), then measures, in one run: the bare view, the ten team
pages in turn, a team page arriving from the finder (`?postcode=`, which looks the postcode up),
the list of teams with its Essex map, and the bare view again. Goal: each page at least half
the bare view's throughput.

The maps are drawn once per gunicorn worker (the cache is per process unless REDIS_URL is
set) during the warm-up, as in production after the first request.
"""

import argparse
import os
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench.loadtest import (  # noqa: E402
    compare_under_load,
    create_database,
    manage,
)
from teams.reference import TEAM_SLUGS  # noqa: E402

ROOT = Path(__file__).resolve().parent.parent
DEFAULT_DATABASE = "postgres://postgres@127.0.0.1:5432/portal_bench_teams"


def prepare() -> None:
    manage("migrate", "--noinput")
    manage("load_reference_data")
    manage("import_postcodes", "data/codepo_essex.zip", "--if-empty")
    manage("load_demo_team_details")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--database", default=os.environ.get("DATABASE_URL", DEFAULT_DATABASE))
    parser.add_argument("--seconds", type=float, default=10)
    parser.add_argument("--concurrency", type=int, default=8)
    options = parser.parse_args()

    os.environ["DATABASE_URL"] = options.database
    if options.database.startswith("postgres"):
        create_database(options.database)
    prepare()

    team_pages = [f"/teams/{slug}/" for slug in TEAM_SLUGS]
    targets = {
        "team page (all ten in turn)": team_pages,
        "team page from the finder (?postcode=)": ["/teams/chelmsford-maldon/?postcode=CM1%201AE"],
        "list of teams with the Essex map": ["/teams/"],
    }
    compare_under_load(
        f"Team pages under load: gunicorn, 2 workers, {options.database.split('://')[0]}",
        targets,
        seconds=options.seconds,
        concurrency=options.concurrency,
    )


if __name__ == "__main__":
    main()
