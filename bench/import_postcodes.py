#!/usr/bin/env python3
"""Time `manage.py import_postcodes` beside a plain baseline, on PostgreSQL and on SQLite.

Usage::

    python bench/import_postcodes.py ../shared/data/codepo_gb.zip [--postgres URL] [--skip-sqlite]
        [--database-prefix portal_bench_w2]

Each importer runs in a child process so that its peak memory (maximum resident set size) is
its own. The baselines load the same rows into a table keyed on the postcode:

* PostgreSQL: psql `\\copy` of the CSV rows, unzipped beforehand (the unzip is not timed);
* SQLite: the standard library's sqlite3 `executemany`, reading the zip with csv, one transaction.

The portal's import also reads the zip, checks every row, names the districts and wards, and
builds the Postcode table's indexes. Goals: at most 3x the baseline on PostgreSQL, 2x on SQLite,
peak memory under 300 MB.
"""

from __future__ import annotations

import argparse
import os
import platform
import subprocess
import sys
import tempfile
import time
import zipfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
PYTHON = sys.executable
KEYED_TABLE = (
    "CREATE TABLE baseline (postcode varchar(8) PRIMARY KEY, quality smallint, easting integer, "
    "northing integer, country text, nhs_region text, nhs_ha text, county text, district text, "
    "ward text)"
)
SQLITE_BASELINE = r"""
import csv, io, re, sqlite3, sys, zipfile
source, database, schema = sys.argv[1:]
connection = sqlite3.connect(database)
connection.execute(schema)
with zipfile.ZipFile(source) as z, connection:
    for name in z.namelist():
        if re.search(r"Data/CSV/[a-z]{1,2}\.csv$", name, re.I):
            with z.open(name) as raw:
                rows = csv.reader(io.TextIOWrapper(raw, encoding="utf-8", newline=""))
                connection.executemany("INSERT INTO baseline VALUES (?,?,?,?,?,?,?,?,?,?)", rows)
print(connection.execute("SELECT count(*) FROM baseline").fetchone()[0])
"""


def run_measured(args: list[str], env: dict | None = None) -> tuple[float, float, str, float]:
    """(seconds, peak RSS in MB, output, CPU seconds) for a child process, measured with wait4.

    The CPU time is the process's own: all the work on SQLite, only the client's on PostgreSQL.
    On a busy machine it moves much less than the elapsed time."""
    with tempfile.TemporaryFile("w+") as output:
        started = time.perf_counter()
        process = subprocess.Popen(
            args,
            env={**os.environ, **(env or {})},
            stdout=output,
            stderr=subprocess.STDOUT,
            cwd=ROOT,
        )
        _, status, usage = os.wait4(process.pid, 0)
        seconds = time.perf_counter() - started
        process.returncode = os.waitstatus_to_exitcode(status)
        output.seek(0)
        text = output.read()
    if process.returncode != 0:
        raise SystemExit(f"{' '.join(args)} failed ({process.returncode}):\n{text}")
    return seconds, usage.ru_maxrss / 1024, text, usage.ru_utime + usage.ru_stime


def count_rows(source: Path) -> int:
    rows = 0
    with zipfile.ZipFile(source) as z:
        for name in z.namelist():
            if "/CSV/" in name and name.lower().endswith(".csv"):
                with z.open(name) as member:
                    rows += sum(1 for _ in member)
    return rows


def unzip_rows(source: Path, target: Path) -> None:
    with zipfile.ZipFile(source) as z, target.open("wb") as out:
        for name in z.namelist():
            if "/CSV/" in name and name.lower().endswith(".csv"):
                with z.open(name) as member:
                    while chunk := member.read(1 << 20):
                        out.write(chunk)


def psql(url: str, *commands: str) -> None:
    args = ["psql", "-X", "-q", "-v", "ON_ERROR_STOP=1", url]
    for command in commands:
        args += ["-c", command]
    subprocess.run(args, check=True, capture_output=True)


def migrate(database_url: str) -> None:
    subprocess.run(
        [PYTHON, "manage.py", "migrate", "--noinput", "-v0"],
        env={**os.environ, "DATABASE_URL": database_url},
        cwd=ROOT,
        check=True,
        capture_output=True,
    )


def report(name: str, ours: tuple, baseline: tuple, goal: float) -> None:
    ratio = ours[0] / baseline[0]
    print(f"\n{name}")
    print(f"  {'':34} {'seconds':>8} {'peak RSS MB':>12} {'CPU seconds':>12}")
    print(f"  {'baseline':34} {baseline[0]:8.1f} {baseline[1]:12.0f} {baseline[3]:12.1f}")
    print(f"  {'manage.py import_postcodes':34} {ours[0]:8.1f} {ours[1]:12.0f} {ours[3]:12.1f}")
    verdict = "met" if ratio <= goal and ours[1] < 300 else "NOT met"
    print(f"  ratio {ratio:.2f}x (goal <= {goal:g}x, peak < 300 MB): {verdict}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("source", type=Path)
    parser.add_argument(
        "--postgres", default="postgres://postgres@127.0.0.1:5432/", help="server URL (no db)"
    )
    parser.add_argument(
        "--database-prefix",
        default=os.environ.get("BENCH_DATABASE_PREFIX", "bench_import"),
        help="names of the two PostgreSQL databases made and dropped (<prefix>_baseline, "
        "<prefix>_portal): give each person sharing a server their own",
    )
    parser.add_argument("--skip-postgres", action="store_true")
    parser.add_argument("--skip-sqlite", action="store_true")
    options = parser.parse_args()
    source = options.source.resolve()

    print(
        f"{time.strftime('%Y-%m-%d %H:%M %Z')}, {platform.node()}, {os.cpu_count()} CPUs, "
        f"Python {platform.python_version()}"
    )
    print(f"source: {source} ({count_rows(source):,} rows)")

    with tempfile.TemporaryDirectory(prefix="bench-import-") as work:
        work = Path(work)
        command = [PYTHON, "manage.py", "import_postcodes", str(source)]

        if not options.skip_postgres:
            server = options.postgres.rstrip("/")
            admin = f"{server}/postgres"
            baseline_name = f"{options.database_prefix}_baseline"
            portal_name = f"{options.database_prefix}_portal"
            for name in (baseline_name, portal_name):
                psql(admin, f"DROP DATABASE IF EXISTS {name}", f"CREATE DATABASE {name}")
            rows = work / "rows.csv"
            unzip_rows(source, rows)
            baseline_url = f"{server}/{baseline_name}"
            psql(baseline_url, KEYED_TABLE)
            baseline = run_measured(
                [
                    "psql",
                    "-X",
                    "-q",
                    "-v",
                    "ON_ERROR_STOP=1",
                    baseline_url,
                    "-c",
                    f"\\copy baseline FROM '{rows}' WITH (FORMAT csv)",
                ]
            )
            rows.unlink()
            portal_url = f"{server}/{portal_name}"
            migrate(portal_url)
            ours = run_measured(command, {"DATABASE_URL": portal_url})
            print(ours[2].strip().splitlines()[-1])
            report("PostgreSQL", ours, baseline, 3)
            for name in (baseline_name, portal_name):
                psql(admin, f"DROP DATABASE IF EXISTS {name}")

        if not options.skip_sqlite:
            baseline_db = work / "baseline.sqlite3"
            baseline = run_measured(
                [PYTHON, "-c", SQLITE_BASELINE, str(source), str(baseline_db), KEYED_TABLE]
            )
            baseline_db.unlink()
            portal_url = f"sqlite:///{work / 'portal.sqlite3'}"
            migrate(portal_url)
            ours = run_measured(command, {"DATABASE_URL": portal_url})
            print(ours[2].strip().splitlines()[-1])
            report("SQLite", ours, baseline, 2)


if __name__ == "__main__":
    main()
