"""Several gunicorn workers on one Redis and one PostgreSQL: a change in the admin shows on
every request at once, whichever worker answers it."""

import http.client
import os
import socket
import subprocess
import sys
import time
from pathlib import Path

import pytest
from django.db import connection
from django.urls import reverse

from tests.conftest import TEST_REDIS_URL, redis_answers
from tests.factories import TeamFactory, UserFactory

ROOT = Path(__file__).resolve().parents[2]


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def get(port: int, path: str) -> tuple[int, str]:
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
    try:
        connection.request("GET", path, headers={"Host": "127.0.0.1"})
        response = connection.getresponse()
        return response.status, response.read().decode()
    finally:
        connection.close()


@pytest.fixture
def gunicorn(transactional_db, settings):
    """Three workers on this test database and the test Redis; yields the port."""
    if connection.vendor != "postgresql":
        pytest.skip("the workers share a PostgreSQL database (set DATABASE_URL)")
    if not redis_answers():
        if os.environ.get("REQUIRE_REDIS") == "1":
            pytest.fail(f"No Redis answers on {TEST_REDIS_URL} and REQUIRE_REDIS=1")
        pytest.skip(f"no Redis answers on {TEST_REDIS_URL}")
    settings.CACHES = {
        "default": {
            "BACKEND": "portal.redis_cache.RedisCache",
            "LOCATION": TEST_REDIS_URL,
            "KEY_PREFIX": "portal",  # as portal.settings.base gives the workers
        }
    }
    from django.core.cache import cache

    cache.clear()
    database = connection.settings_dict
    url = (
        f"postgres://{database['USER']}:{database['PASSWORD'] or ''}@{database['HOST']}:"
        f"{database['PORT'] or 5432}/{database['NAME']}"
    )
    port = free_port()
    process = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "gunicorn",
            "portal.wsgi:application",
            "--workers",
            "3",
            "--bind",
            f"127.0.0.1:{port}",
            "--access-logfile",
            "/dev/null",
        ],
        cwd=ROOT,
        env={
            **os.environ,
            "DJANGO_SETTINGS_MODULE": "portal.settings.test",
            "DATABASE_URL": url,
            "REDIS_URL": TEST_REDIS_URL,
        },
    )
    try:
        deadline = time.monotonic() + 30
        while True:
            try:
                if get(port, reverse("healthz"))[0] == 200:
                    break
            except OSError:
                pass
            assert time.monotonic() < deadline and process.poll() is None, "gunicorn did not start"
            time.sleep(0.2)
        yield port
    finally:
        process.terminate()
        process.wait(timeout=30)
        cache.clear()


def test_an_admin_change_shows_on_the_next_thirty_requests(gunicorn, client):
    team = TeamFactory(name="Colchester", slug="colchester")
    page = reverse("teams:detail", kwargs={"slug": team.slug})
    for _ in range(30):  # every worker has now served (and the cache kept) the page
        status, html = get(gunicorn, page)
        assert status == 200
        assert "Newly Arrived" not in html

    client.force_login(UserFactory(is_staff=True, is_superuser=True))
    response = client.post(
        reverse("admin:teams_officer_add"),
        {"team": team.pk, "name": "Newly Arrived", "rank": "pcso", "order": 3, "active": "on"},
    )
    assert response.status_code == 302

    shown = [("Newly Arrived" in get(gunicorn, page)[1]) for _ in range(30)]
    assert shown == [True] * 30
