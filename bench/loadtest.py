"""Serve the portal with gunicorn and measure pages under load beside a bare Django view.

Used by the page benchmarks (bench/pages_load.py, bench/finder_load.py):

    with serve(workers=2) as base_url:
        report(compare(base_url, {"team page": ["/teams/basildon/"]}, seconds=10))

The load comes from wrk (Debian package `wrk`): two threads, 16 connections by default.

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
import tempfile
import time
from contextlib import contextmanager
from dataclasses import dataclass
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
    p50_ms: float
    p99_ms: float

    @property
    def per_second(self) -> float:
        return self.requests / self.seconds if self.seconds else 0.0


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


# wrk: one request after another over `paths`, with `headers`, and a line of figures at the end.
WRK_SCRIPT = """
local paths = {%(paths)s}
local headers = {%(headers)s}
local counter = 0
request = function()
  counter = counter + 1
  return wrk.format("GET", paths[(counter %% #paths) + 1], headers)
end
done = function(summary, latency, requests)
  local e = summary.errors
  io.write(string.format("RESULT %%d %%d %%d %%f %%f\\n", summary.requests, summary.duration,
    e.connect + e.read + e.write + e.status + e.timeout,
    latency:percentile(50) / 1000, latency:percentile(99) / 1000))
end
"""


def _lua(text: str) -> str:
    return '"' + text.replace("\\", "\\\\").replace('"', '\\"') + '"'


Target = list[str] | tuple[list[str], dict[str, str]]


def hammer(
    base_url: str,
    name: str,
    target: Target,
    *,
    seconds: float = 10,
    concurrency: int = 16,
    threads: int = 2,
) -> Result:
    """wrk with `threads` threads and `concurrency` connections over the target's paths for
    `seconds`. wrk is written in C: the load generator takes little of the CPU the server needs.
    Responses other than 2xx and 3xx count as errors."""
    paths, headers = target if isinstance(target, tuple) else (target, {})
    headers = {"Host": "127.0.0.1", **headers}
    script = WRK_SCRIPT % {
        "paths": ", ".join(_lua(path) for path in paths),
        "headers": ", ".join(f"[{_lua(k)}] = {_lua(v)}" for k, v in headers.items()),
    }
    with tempfile.NamedTemporaryFile("w", suffix=".lua") as lua:
        lua.write(script)
        lua.flush()
        output = subprocess.run(
            [
                "wrk",
                f"-t{threads}",
                f"-c{concurrency}",
                f"-d{max(1, round(seconds))}s",
                "--timeout",
                "10s",
                "-s",
                lua.name,
                base_url,
            ],
            capture_output=True,
            text=True,
            check=True,
        ).stdout
    figures = next(line for line in output.splitlines() if line.startswith("RESULT "))
    requests, micros, errors, p50, p99 = figures.split()[1:]
    return Result(
        name=name,
        requests=int(requests),
        errors=int(errors),
        seconds=int(micros) / 1e6,
        p50_ms=float(p50),
        p99_ms=float(p99),
    )


def compare(
    base_url: str, targets: dict[str, Target], *, seconds: float = 10, concurrency: int = 16
) -> list[Result]:
    """The bare view, each target, then the bare view again; the first result is their mean."""
    for target in [[BARE], *targets.values()]:  # warm every worker's caches and connections
        hammer(base_url, "warm-up", target, seconds=1, concurrency=4)
    before = hammer(base_url, "bare view", [BARE], seconds=seconds, concurrency=concurrency)
    results = [
        hammer(base_url, name, target, seconds=seconds, concurrency=concurrency)
        for name, target in targets.items()
    ]
    after = hammer(base_url, "bare view", [BARE], seconds=seconds, concurrency=concurrency)
    bare = Result(
        name="bare view (mean of before and after)",
        requests=before.requests + after.requests,
        errors=before.errors + after.errors,
        seconds=before.seconds + after.seconds,
        p50_ms=(before.p50_ms + after.p50_ms) / 2,
        p99_ms=(before.p99_ms + after.p99_ms) / 2,
    )
    return [bare, *results]


def report(
    results: list[Result], *, goal: float = 0.5, goals: dict[str, float] | None = None
) -> str:
    """A table of the results, each page's throughput as a fraction of the first (baseline),
    then whether each page reaches its goal (`goals` by name, else `goal`) times the baseline's
    throughput."""
    baseline = results[0].per_second
    lines = [
        f"{'target':40} {'requests':>9} {'req/s':>8} {'p50 ms':>8} {'p99 ms':>8} "
        f"{'errors':>7} {'vs bare':>8}"
    ]
    for result in results:
        ratio = result.per_second / baseline if baseline else float("nan")
        lines.append(
            f"{result.name:40} {result.requests:9d} {result.per_second:8.1f} "
            f"{result.p50_ms:8.1f} {result.p99_ms:8.1f} "
            f"{result.errors:7d} {ratio:7.2f}x"
        )
    lines.append("")
    for result in results[1:]:
        ratio = result.per_second / baseline if baseline else float("nan")
        wanted = (goals or {}).get(result.name, goal)
        verdict = "meets" if ratio >= wanted and not result.errors else "MISSES"
        lines.append(f"{result.name}: {ratio:.2f}x the bare view, {verdict} the goal ({wanted}x)")
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
