"""Serve the portal with gunicorn and measure pages under load beside a bare Django view.

Used by the page benchmarks (bench/finder_load.py, bench/team_page_load.py):

    with serve(workers=2) as base_url:
        report(compare(base_url, {"team page": ["/teams/basildon/"]}, seconds=10))

The bare view (bench/urls.py) goes through the same middleware and the same gunicorn, so the
ratio of a page's throughput to the bare view's says what the page itself costs, whatever else
this machine is doing. It is measured before and after the pages and averaged.
"""

import http.client
import os
import socket
import statistics
import subprocess
import sys
import time
from concurrent.futures import ProcessPoolExecutor
from contextlib import contextmanager
from dataclasses import dataclass
from itertools import cycle
from pathlib import Path
from urllib.parse import urlsplit

ROOT = Path(__file__).resolve().parent.parent
BARE = "/bench/bare/"


@dataclass
class Result:
    name: str
    requests: int
    errors: int
    seconds: float
    latencies_ms: list[float]

    @property
    def per_second(self) -> float:
        return self.requests / self.seconds if self.seconds else 0.0

    def percentile(self, fraction: float) -> float:
        if not self.latencies_ms:
            return float("nan")
        ordered = sorted(self.latencies_ms)
        return ordered[min(len(ordered) - 1, int(fraction * len(ordered)))]


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@contextmanager
def serve(*, workers: int = 2, settings: str = "bench.settings"):
    """Run gunicorn on a free local port for the duration of the block; yields its base URL."""
    port = _free_port()
    env = {**os.environ, "DJANGO_SETTINGS_MODULE": settings}
    process = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "gunicorn",
            "portal.wsgi:application",
            "--workers",
            str(workers),
            "--bind",
            f"127.0.0.1:{port}",
            "--log-level",
            "warning",
            "--access-logfile",
            "/dev/null",
        ],
        cwd=ROOT,
        env=env,
    )
    base_url = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 30
        while True:
            try:
                status, _ = _get(base_url, BARE)
                if status == 200:
                    break
            except OSError:
                pass
            if time.monotonic() > deadline or process.poll() is not None:
                raise RuntimeError("gunicorn did not start")
            time.sleep(0.2)
        yield base_url
    finally:
        process.terminate()
        process.wait(timeout=30)


def _get(base_url: str, path: str) -> tuple[int, int]:
    parts = urlsplit(base_url)
    connection = http.client.HTTPConnection(parts.hostname, parts.port, timeout=30)
    try:
        connection.request("GET", path, headers={"Host": "127.0.0.1"})
        response = connection.getresponse()
        body = response.read()
        return response.status, len(body)
    finally:
        connection.close()


def _client(base_url: str, paths: list[str], seconds: float) -> tuple[int, int, list[float]]:
    """One client: requests one after another until the time is up."""
    requests = errors = 0
    latencies = []
    deadline = time.perf_counter() + seconds
    for path in cycle(paths):
        started = time.perf_counter()
        if started >= deadline:
            break
        try:
            status, _ = _get(base_url, path)
        except OSError:
            status = 0
        latencies.append((time.perf_counter() - started) * 1000)
        requests += 1
        if not 200 <= status < 400:
            errors += 1
    return requests, errors, latencies


def hammer(
    base_url: str, name: str, paths: list[str], *, seconds: float = 10, concurrency: int = 8
) -> Result:
    """`concurrency` clients, each its own process, sharing out `paths`, for `seconds`."""
    shares = [paths[i::concurrency] or paths for i in range(concurrency)]
    started = time.perf_counter()
    with ProcessPoolExecutor(concurrency) as pool:
        outcomes = list(
            pool.map(_client, [base_url] * concurrency, shares, [seconds] * concurrency)
        )
    elapsed = time.perf_counter() - started
    latencies = [ms for _, _, client_ms in outcomes for ms in client_ms]
    return Result(
        name=name,
        requests=sum(r for r, _, _ in outcomes),
        errors=sum(e for _, e, _ in outcomes),
        seconds=min(elapsed, seconds) if elapsed else seconds,
        latencies_ms=latencies,
    )


def compare(
    base_url: str, targets: dict[str, list[str]], *, seconds: float = 10, concurrency: int = 8
) -> list[Result]:
    """The bare view, each target, then the bare view again; the first result is their mean."""
    for paths in [[BARE], *targets.values()]:  # warm every worker's caches and connections
        hammer(base_url, "warm-up", paths, seconds=1, concurrency=2)
    before = hammer(base_url, "bare view", [BARE], seconds=seconds, concurrency=concurrency)
    results = [
        hammer(base_url, name, paths, seconds=seconds, concurrency=concurrency)
        for name, paths in targets.items()
    ]
    after = hammer(base_url, "bare view", [BARE], seconds=seconds, concurrency=concurrency)
    bare = Result(
        name="bare view (mean of before and after)",
        requests=before.requests + after.requests,
        errors=before.errors + after.errors,
        seconds=before.seconds + after.seconds,
        latencies_ms=before.latencies_ms + after.latencies_ms,
    )
    return [bare, *results]


def report(results: list[Result], *, goal: float = 0.5) -> str:
    """A table of the results, each page's throughput as a fraction of the first (baseline),
    then whether each page reaches `goal` times the baseline's throughput."""
    baseline = results[0].per_second
    lines = [
        f"{'target':40} {'requests':>9} {'req/s':>8} {'p50 ms':>8} {'p99 ms':>8} "
        f"{'errors':>7} {'vs bare':>8}"
    ]
    for result in results:
        ratio = result.per_second / baseline if baseline else float("nan")
        lines.append(
            f"{result.name:40} {result.requests:9d} {result.per_second:8.1f} "
            f"{result.percentile(0.5):8.1f} {result.percentile(0.99):8.1f} "
            f"{result.errors:7d} {ratio:7.2f}x"
        )
    lines.append("")
    for result in results[1:]:
        ratio = result.per_second / baseline if baseline else float("nan")
        verdict = "meets" if ratio >= goal else "MISSES"
        lines.append(f"{result.name}: {ratio:.2f}x the bare view, {verdict} the goal ({goal}x)")
    table = "\n".join(lines)
    print(table)
    return table


def manage(*args: str) -> None:
    """Run a management command against the database DATABASE_URL names, quietly."""
    subprocess.run(
        [sys.executable, "manage.py", *args],
        cwd=ROOT,
        check=True,
        env={**os.environ, "DJANGO_SETTINGS_MODULE": "portal.settings.dev"},
        stdout=subprocess.DEVNULL,
    )


def create_database(url: str) -> None:
    """Create the PostgreSQL database named in `url` when it does not exist."""
    import psycopg

    server, name = url.rsplit("/", 1)
    with psycopg.connect(f"{server}/postgres", autocommit=True) as connection:
        exists = connection.execute(
            "SELECT 1 FROM pg_database WHERE datname = %s", [name]
        ).fetchone()
        if not exists:
            connection.execute(f'CREATE DATABASE "{name}"')


def describe_machine() -> str:
    cores = os.cpu_count()
    with open("/proc/meminfo") as meminfo:
        total_kb = int(meminfo.readline().split()[1])
    return f"{time.strftime('%Y-%m-%d')}, {cores} cores, {total_kb / 1024 / 1024:.0f} GiB"


def median(values: list[float]) -> float:
    return statistics.median(values) if values else float("nan")
