"""Serve the portal with gunicorn and measure pages under load beside a bare Django view.

Used by the page benchmarks (bench/pages_load.py, bench/finder_load.py, ...), most through
`compare_under_load`:

    compare_under_load("Team pages", {"team page": ["/teams/basildon/"]}, seconds=10)

The load comes from wrk (Debian package `wrk`): two threads, 16 connections by default.

The bare view (bench/urls.py) goes through the same middleware and the same gunicorn, so the
ratio of a page's throughput to the bare view's says what the page itself costs, whatever else
this machine is doing. Each page takes turns with the bare view (`compare`), so both see the same
load from the rest of the machine.
"""

import http.client
import math
import os
import socket
import statistics
import subprocess
import sys
import tempfile
import time
from concurrent.futures import ProcessPoolExecutor
from contextlib import contextmanager
from dataclasses import dataclass, field
from itertools import cycle
from pathlib import Path
from urllib.parse import urlsplit

ROOT = Path(__file__).resolve().parent.parent
BARE = "/bench/bare/"
# Targets with no more addresses than this are each asked once before they are measured (the
# steady state of pages residents ask for again and again, like outward codes).
PRIME_PATHS = 500


@dataclass
class Result:
    name: str
    requests: int
    errors: int
    seconds: float
    p50_ms: float = math.nan  # wrk's figures (`hammer`)
    p99_ms: float = math.nan
    latencies_ms: list[float] = field(default_factory=list)  # every request's (`hammer_clients`)

    @property
    def per_second(self) -> float:
        return self.requests / self.seconds if self.seconds else 0.0

    def percentile(self, fraction: float) -> float:
        if not self.latencies_ms:
            return {0.5: self.p50_ms, 0.99: self.p99_ms}.get(fraction, math.nan)
        ordered = sorted(self.latencies_ms)
        return ordered[min(len(ordered) - 1, int(fraction * len(ordered)))]


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@contextmanager
def serve(*, workers: int = 2, settings: str = "bench.settings"):
    """Run gunicorn for the duration of the block on BENCH_PORT (on a machine shared with
    others, a port set aside for this run) or else a free local port; yields its base URL."""
    port = int(os.environ.get("BENCH_PORT") or 0) or _free_port()
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


def hammer_clients(
    base_url: str, name: str, paths: list[str], *, seconds: float = 10, concurrency: int = 8
) -> Result:
    """`concurrency` Python clients, each its own process, sharing out `paths`, for `seconds`,
    keeping every request's latency (for a few clients beside other work; `hammer` for load)."""
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


def _sum(name: str, parts: list[Result]) -> Result:
    return Result(
        name=name,
        requests=sum(part.requests for part in parts),
        errors=sum(part.errors for part in parts),
        seconds=sum(part.seconds for part in parts),
        p50_ms=statistics.median(part.p50_ms for part in parts),
        p99_ms=max(part.p99_ms for part in parts),
    )


def compare(
    base_url: str,
    targets: dict[str, Target],
    *,
    seconds: float = 10,
    concurrency: int = 16,
    rounds: int = 4,
) -> list[tuple[Result, Result]]:
    """(the bare view, the target) for each target, measured in turns: `rounds` times the bare
    view then the target, `seconds / rounds` each. Taking turns keeps the two under the same
    load from whatever else this machine is doing, which changes from minute to minute."""
    for target in [[BARE], *targets.values()]:  # warm every worker's caches and connections
        paths = target[0] if isinstance(target, tuple) else target
        if len(paths) <= PRIME_PATHS:  # a few hundred pages asked often: each once, first
            for path in paths:
                _get(base_url, path)
        hammer(base_url, "warm-up", target, seconds=1, concurrency=4)
    share = max(1.0, seconds / rounds)
    results = []
    for name, target in targets.items():
        bare, page = [], []
        for _ in range(rounds):
            bare.append(hammer(base_url, "bare", [BARE], seconds=share, concurrency=concurrency))
            page.append(hammer(base_url, name, target, seconds=share, concurrency=concurrency))
        results.append((_sum("bare view, in turns", bare), _sum(name, page)))
    return results


def report(
    results: list[tuple[Result, Result]],
    *,
    goal: float = 0.5,
    goals: dict[str, float] | None = None,
) -> str:
    """A table of each target beside the bare view measured in turns with it, the target's
    throughput as a fraction of the bare view's, and whether it reaches its goal (`goals` by
    name, else `goal`)."""
    lines = [
        f"{'target':40} {'req/s':>8} {'p50 ms':>7} {'p99 ms':>7} {'errors':>6} "
        f"{'bare req/s':>10} {'vs bare':>8}  goal"
    ]
    for bare, page in results:
        ratio = page.per_second / bare.per_second if bare.per_second else float("nan")
        wanted = (goals or {}).get(page.name, goal)
        verdict = "meets" if ratio >= wanted and not page.errors else "MISSES"
        lines.append(
            f"{page.name:40} {page.per_second:8.1f} {page.p50_ms:7.1f} {page.p99_ms:7.1f} "
            f"{page.errors:6d} {bare.per_second:10.1f} {ratio:7.2f}x  {verdict} ({wanted}x)"
        )
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


def compare_under_load(
    title: str,
    targets: dict[str, Target],
    *,
    seconds: float,
    concurrency: int,
    goals: dict[str, float] | None = None,
) -> str:
    """Print `title` and the machine, serve the portal (gunicorn, 2 workers), measure each
    target in turns with the bare view (`compare`) and print the table (`report`)."""
    print(title)
    print(describe_machine())
    with serve(workers=2) as base_url:
        results = compare(base_url, targets, seconds=seconds, concurrency=concurrency)
    return report(results, goals=goals)


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
