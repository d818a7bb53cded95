"""Several gunicorn workers on one Redis and one PostgreSQL: a change in the admin shows on
every request at once, whichever worker answers it."""

import http.client
from urllib.parse import urlsplit

import pytest
from django.db import connection
from django.urls import reverse

from bench.loadtest import serve
from tests.conftest import TEST_REDIS_URL, use_test_redis
from tests.factories import TeamFactory, UserFactory


def get(base_url: str, path: str) -> tuple[int, str]:
    parts = urlsplit(base_url)
    client = http.client.HTTPConnection(parts.hostname, parts.port, timeout=30)
    try:
        client.request("GET", path, headers={"Host": "127.0.0.1"})
        response = client.getresponse()
        return response.status, response.read().decode()
    finally:
        client.close()


@pytest.fixture
def workers(transactional_db, settings, monkeypatch):
    """Three gunicorn workers on this test database and the test Redis; yields the base URL."""
    if connection.vendor != "postgresql":
        pytest.skip("the workers share a PostgreSQL database (set DATABASE_URL)")
    use_test_redis(settings)
    from django.core.cache import cache

    cache.clear()
    database = connection.settings_dict
    monkeypatch.setenv(
        "DATABASE_URL",
        f"postgres://{database['USER']}:{database['PASSWORD'] or ''}@{database['HOST']}:"
        f"{database['PORT'] or 5432}/{database['NAME']}",
    )
    monkeypatch.setenv("REDIS_URL", TEST_REDIS_URL)
    with serve(workers=3) as base_url:
        yield base_url
    cache.clear()


def test_an_admin_change_shows_on_the_next_thirty_requests(workers, client):
    team = TeamFactory(name="Colchester", slug="colchester")
    page = reverse("teams:detail", kwargs={"slug": team.slug})
    for _ in range(30):  # every worker has now served (and kept its copy of) the page
        status, html = get(workers, page)
        assert status == 200
        assert "Newly Arrived" not in html

    client.force_login(UserFactory(is_staff=True, is_superuser=True))
    response = client.post(
        reverse("admin:teams_officer_add"),
        {
            "team": team.pk,
            "name": "Newly Arrived",
            "rank": "pcso",
            "order": 3,
            "active": "on",
            "reviewed_on": "2026-11-28",
        },
    )
    assert response.status_code == 302

    shown = [("Newly Arrived" in get(workers, page)[1]) for _ in range(30)]
    assert shown == [True] * 30
