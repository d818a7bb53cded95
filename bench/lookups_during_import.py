#!/usr/bin/env python3
"""Finder lookups and other pages while a full GB postcode import runs, on PostgreSQL.

Usage::

    python bench/lookups_during_import.py [--database postgres://.../portal_bench_swap]
                                          [--source data/codepo_gb.zip] [--seconds 10]
                                          [--compare OTHER_CHECKOUT] [--nice N]

It prepares the database (migrate, all of Great Britain when it has no postcodes, the sample
teams), serves the portal with gunicorn (2 workers), and measures in one run:

1. the baseline: finder lookups (real postcodes in Essex and outside it, typed as residents
   type them) and a team page, with nothing else running, for --seconds;
2. the same requests while `manage.py import_postcodes` replaces every postcode with the same
   file (1,743,449 rows), for as long as the import takes.

With `--compare DIR` (another checkout, e.g. `git archive main` unpacked), the same is measured
a third time during that checkout's import, side by side.

The import builds a new table and swaps it in at the end, so lookups should keep answering
from the old data throughout. Goal: finder p99 under 100 ms during the import, no errors, and
the team page unaffected. The ratios to the baseline are what to compare on a shared machine.
"""

import argparse
import os
import random
import subprocess
import sys
import threading
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench.finder_load import find_paths, sample  # noqa: E402
from bench.loadtest import (  # noqa: E402
    Result,
    create_database,
    describe_machine,
    manage,
    serve,
)
from bench.loadtest import hammer_clients as hammer  # noqa: E402  (every request's latency)

ROOT = Path(__file__).resolve().parent.parent
DEFAULT_DATABASE = "postgres://postgres@127.0.0.1:5432/portal_bench_swap"
FINDER_CLIENTS = 3
PAGE_CLIENTS = 1


def merged(name: str, results: list[Result]) -> Result:
    return Result(
        name=name,
        requests=sum(r.requests for r in results),
        errors=sum(r.errors for r in results),
        seconds=sum(r.seconds for r in results),
        latencies_ms=[ms for r in results for ms in r.latencies_ms],
    )


def measure(base_url: str, finder: list[str], pages: list[str], until) -> tuple[Result, Result]:
    """Finder lookups and team pages side by side, in slices of two seconds, until `until()`."""
    finder_slices: list[Result] = []
    page_slices: list[Result] = []

    def run(paths, clients, into):
        while not until():
            into.append(hammer(base_url, "slice", paths, seconds=2, concurrency=clients))

    threads = [
        threading.Thread(target=run, args=(finder, FINDER_CLIENTS, finder_slices)),
        threading.Thread(target=run, args=(pages, PAGE_CLIENTS, page_slices)),
    ]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return merged("finder lookups", finder_slices), merged("team pages", page_slices)


def during_import(base_url, finder, pages, checkout: Path, options):
    """(finder and page results, seconds, what the command said) while the import in
    `checkout` replaces every postcode with the same file."""
    started = time.monotonic()
    importing = subprocess.Popen(
        ["nice", "-n", str(options.nice), sys.executable, "manage.py", "import_postcodes",
         str(Path(options.source).resolve()), "-v0"],
        cwd=checkout,
        env={**os.environ, "DJANGO_SETTINGS_MODULE": "portal.settings.dev"},
        stdout=subprocess.PIPE,
        text=True,
    )  # fmt: skip
    results = measure(base_url, finder, pages, lambda: importing.poll() is not None)
    seconds = time.monotonic() - started
    said = importing.stdout.read().strip()
    if importing.returncode != 0:
        raise SystemExit(f"the import in {checkout} failed ({importing.returncode})")
    return results, seconds, said


def line(label: str, result: Result, baseline: Result | None = None) -> str:
    p99 = result.percentile(0.99)
    ratio = f"{p99 / baseline.percentile(0.99):6.2f}x" if baseline else "       "
    return (
        f"  {label:34} {result.requests:8d} {result.per_second:7.1f} "
        f"{result.percentile(0.5):7.1f} {p99:7.1f} {max(result.latencies_ms, default=0):8.1f} "
        f"{result.errors:6d} {ratio}"
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--database", default=DEFAULT_DATABASE)
    parser.add_argument("--source", default="data/codepo_gb.zip")
    parser.add_argument("--seconds", type=float, default=10)
    parser.add_argument(
        "--compare",
        type=Path,
        help="also time lookups during the import of another checkout (e.g. an older release)",
    )
    parser.add_argument(
        "--nice", type=int, default=0, help="run the import at this niceness (0: as the site)"
    )
    options = parser.parse_args()

    os.environ["DATABASE_URL"] = options.database
    create_database(options.database)
    manage("migrate", "--noinput")
    manage("import_postcodes", options.source, "--if-empty", "-v0")
    manage("load_reference_data")

    rng = random.Random(2025)
    inside, outside, _ = sample(options.database, 2000)
    finder = find_paths(inside + outside, rng)
    rng.shuffle(finder)
    pages = ["/teams/basildon/", "/teams/colchester/", "/teams/tendring/"]

    print("Finder lookups during a full GB import: gunicorn, 2 workers, PostgreSQL")
    print(describe_machine())
    with serve(workers=2) as base_url:
        for paths in (finder, pages):  # warm every worker's caches and connections
            hammer(base_url, "warm-up", paths, seconds=1, concurrency=2)
        stop_at = time.monotonic() + options.seconds
        quiet = measure(base_url, finder, pages, lambda: time.monotonic() > stop_at)

        during, import_seconds, said = during_import(base_url, finder, pages, ROOT, options)
        compared = None
        if options.compare:
            compared = during_import(base_url, finder, pages, options.compare.resolve(), options)

    print(f"  {'':34} {'requests':>8} {'req/s':>7} {'p50 ms':>7} {'p99 ms':>7} {'max ms':>8} "
          f"{'errors':>6} {'p99 vs quiet':>7}")  # fmt: skip
    print(line("finder, quiet (baseline)", quiet[0]))
    print(line("finder, during the import", during[0], quiet[0]))
    if compared:
        print(line("finder, during --compare's import", compared[0][0], quiet[0]))
    print(line("team pages, quiet (baseline)", quiet[1]))
    print(line("team pages, during the import", during[1], quiet[1]))
    if compared:
        print(line("team pages, during --compare's", compared[0][1], quiet[1]))
    print(f"\nThe import (nice {options.nice}) took {import_seconds:.1f} s beside the load:")
    print(f"  {said.splitlines()[-1] if said else ''}")
    if compared:
        print(f"--compare's import ({options.compare}) took {compared[1]:.1f} s.")
    p99 = during[0].percentile(0.99)
    verdict = "met" if p99 < 100 and not during[0].errors else "NOT met"
    print(f"Finder p99 during the import: {p99:.1f} ms (goal < 100 ms, no errors): {verdict}")


if __name__ == "__main__":
    main()
