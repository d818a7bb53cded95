#!/usr/bin/env python3
"""Every public page under load: gunicorn (2 workers) on PostgreSQL and Redis, beside a bare view.

Usage::

    python bench/pages_load.py [--database postgres://postgres@127.0.0.1:5432/portal_bench_pages]
                               [--redis redis://127.0.0.1:6379/0] [--seconds 10]
                               [--concurrency 16] [--only team]

It prepares the database (migrate, then `load_demo_data`: the postcode extract, the sample
teams, their details, meetings and surveys), picks real postcodes, outward codes and places from
it, signs in a member of staff, and measures in one run with wrk (`wrk -t2 -c16`): the bare view,
each page below, and the bare view again. Goal: every public page at least half the bare view's
throughput, a page drawn for a signed-in member of staff at least a fifth.
"""

import argparse
import json
import os
import random
import subprocess
import sys
from pathlib import Path
from urllib.parse import urlencode

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench.loadtest import (  # noqa: E402
    ROOT,
    compare_under_load,
    create_database,
    manage,
)

DEFAULT_DATABASE = "postgres://postgres@127.0.0.1:5432/portal_bench_pages"
STAFF_GOAL = 0.2

# What the benchmark needs from the database, as JSON (run through `manage.py shell`).
SAMPLE = """
import json, random
from django.contrib.auth import get_user_model
from django.contrib.sessions.backends.db import SessionStore
from meetings.models import Meeting
from teams.models import Postcode, Team, Ward
rng = random.Random(2025)
inside = list(Postcode.objects.filter(district__team__isnull=False)
              .values_list("postcode", "district__team__slug").order_by("?")[:2000])
outside = list(Postcode.objects.filter(district__team__isnull=True, district__isnull=False)
               .values_list("postcode", flat=True).order_by("?")[:2000])
outwards = sorted(set(Postcode.objects.values_list("outward", flat=True)))
places = sorted(set(Ward.objects.values_list("name", flat=True)))[:300]
User = get_user_model()
staff, _ = User.objects.get_or_create(
    username="bench-staff", defaults={"is_staff": True, "is_superuser": True})
session = SessionStore()
session.update({"_auth_user_id": str(staff.pk),
                "_auth_user_backend": "django.contrib.auth.backends.ModelBackend",
                "_auth_user_hash": staff.get_session_auth_hash()})
session.create()
print(json.dumps({
    "teams": list(Team.objects.order_by("slug").values_list("slug", flat=True)),
    "inside": inside, "outside": outside, "outwards": outwards, "places": places,
    "meetings": [m.get_absolute_url() for m in Meeting.objects.upcoming()[:50]],
    "session": session.session_key,
}))
"""


def sample() -> dict:
    output = subprocess.run(
        [sys.executable, "manage.py", "shell", "-c", SAMPLE],
        cwd=ROOT,
        check=True,
        capture_output=True,
        text=True,
        env={**os.environ, "DJANGO_SETTINGS_MODULE": "portal.settings.dev"},
    ).stdout
    return json.loads(output.strip().splitlines()[-1])


def as_typed(text: str, rng: random.Random) -> str:
    typed = rng.choice([str.lower, str.upper])(text)
    return typed.replace(" ", "") if rng.random() < 0.5 else typed


def find(texts: list[str], rng: random.Random) -> list[str]:
    return [f"/find/?{urlencode({'postcode': as_typed(text, rng)})}" for text in texts]


def targets(data: dict) -> dict:
    rng = random.Random(2025)
    unknown = [f"CM{rng.randrange(80, 99)} {rng.randrange(10)}ZZ" for _ in range(500)]
    bad = ["!!!", "12345", "<script>", "CM1 1AA 1AA", "x" * 101, "hello?", "   ", "C"]
    return {
        "home": ["/"],
        "team pages, all in turn": [f"/teams/{slug}/" for slug in data["teams"]],
        "team page arriving with ?postcode=": [
            f"/teams/{slug}/?{urlencode({'postcode': postcode})}"
            for postcode, slug in data["inside"]
        ],
        "finder: Essex postcode (302)": find([p for p, _ in data["inside"]], rng),
        "finder: postcode outside Essex": find(data["outside"], rng),
        "finder: outward code": find(data["outwards"], rng),
        "finder: place": find(data["places"], rng),
        "finder: unknown postcode": find(unknown, rng),
        "finder: bad input": find(bad, rng),
        "teams list with the map": ["/teams/"],
        "meetings list": ["/meetings/"],
        "meeting page": data["meetings"],
        "surveys list": ["/surveys/"],
        "team page for signed-in staff": (
            [f"/teams/{slug}/" for slug in data["teams"]],
            {"Cookie": f"sessionid={data['session']}"},
        ),
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--database", default=os.environ.get("DATABASE_URL", DEFAULT_DATABASE))
    parser.add_argument("--redis", default=os.environ.get("REDIS_URL", ""))
    parser.add_argument("--seconds", type=float, default=10)
    parser.add_argument("--concurrency", type=int, default=16)
    parser.add_argument("--only", default="", help="only the pages whose name contains this")
    options = parser.parse_args()

    os.environ["DATABASE_URL"] = options.database
    if options.redis:
        os.environ["REDIS_URL"] = options.redis
    create_database(options.database)
    manage("migrate", "--noinput")
    manage("load_demo_data")
    chosen = {name: t for name, t in targets(sample()).items() if options.only in name}

    cache = "Redis" if options.redis else "per-process memory"
    compare_under_load(
        f"Every page under load: gunicorn, 2 workers, PostgreSQL, {cache}, wrk -t2 -c16",
        chosen,
        seconds=options.seconds,
        concurrency=options.concurrency,
        goals={"team page for signed-in staff": STAFF_GOAL},
    )


if __name__ == "__main__":
    main()
