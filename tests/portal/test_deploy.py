"""Production configuration: what the people who deploy the portal rely on."""

import os
import re
import subprocess
import sys
from pathlib import Path

import pytest
import yaml

from portal.settings.env import REQUIRED_IN_PRODUCTION

ROOT = Path(__file__).resolve().parents[2]
PRODUCTION = {
    "DJANGO_SETTINGS_MODULE": "portal.settings.prod",
    "DJANGO_SECRET_KEY": "k" * 20 + "-test-only-" + "q" * 30,
    "DJANGO_ALLOWED_HOSTS": "community-policing.example.org",
    "DATABASE_URL": "postgres://portal@127.0.0.1:5432/portal",
    "REDIS_URL": "redis://127.0.0.1:6379/0",
}


def manage(*args, env):
    clean = {
        k: v for k, v in os.environ.items() if not k.startswith(("DJANGO_", "DATABASE_", "REDIS_"))
    }
    return subprocess.run(
        [sys.executable, "manage.py", *args],
        cwd=ROOT,
        env={**clean, **env},
        capture_output=True,
        text=True,
        timeout=120,
    )


def test_check_deploy_is_clean_with_production_settings():
    result = manage("check", "--deploy", "--fail-level", "WARNING", env=PRODUCTION)
    assert result.returncode == 0, result.stdout + result.stderr
    assert "System check identified no issues" in result.stdout


@pytest.mark.parametrize(
    "missing", ["DJANGO_SECRET_KEY", "DJANGO_ALLOWED_HOSTS", "DATABASE_URL", "REDIS_URL"]
)
def test_production_refuses_to_start_without_a_required_setting(missing):
    env = {k: v for k, v in PRODUCTION.items() if k != missing}
    result = manage("check", env=env)
    assert result.returncode != 0
    assert f"Set the {missing} environment variable." in result.stderr


def test_production_is_not_in_debug_unless_asked():
    result = manage(
        "shell", "-c", "from django.conf import settings; print(settings.DEBUG)", env=PRODUCTION
    )
    assert result.stdout.strip().splitlines()[-1] == "False", result.stderr


def settings_read_from_the_environment():
    names = set()
    for path in [*ROOT.glob("portal/settings/*.py"), ROOT / "gunicorn.conf.py"]:
        text = path.read_text()
        names |= set(re.findall(r'env(?:_bool|_int|_list)?\("([A-Z_]+)"', text))
        names |= set(re.findall(r'environ\.get\("([A-Z_]+)"', text))
    return names


def test_env_example_lists_every_setting():
    example = (ROOT / ".env.example").read_text()
    listed = set(re.findall(r"^([A-Z_]+)=", example, flags=re.MULTILINE))
    read = settings_read_from_the_environment()
    assert len(read) > 10
    assert read - listed == set()


def test_the_example_database_gives_up_connecting_after_seconds_not_the_workers_timeout():
    # Workers read from the database as they start (gunicorn.conf.py): one that hangs must fail
    # their start-up quickly rather than hold it until gunicorn kills and restarts them.
    import dj_database_url

    example = (ROOT / ".env.example").read_text()
    url = re.search(r"^DATABASE_URL=(.+)$", example, flags=re.MULTILINE)[1]
    assert 0 < int(dj_database_url.parse(url)["OPTIONS"]["connect_timeout"]) < 30


APP_SERVICES = ("first-run", "web", "scheduler")


@pytest.fixture(scope="module")
def compose():
    return yaml.safe_load((ROOT / "docker-compose.yml").read_text())["services"]


def test_compose_runs_the_first_run_then_the_web_service_and_the_scheduler(compose):
    assert {"db", *APP_SERVICES} <= set(compose)
    assert compose["first-run"]["command"] == ["python", "manage.py", "first_run"]
    assert compose["first-run"]["restart"] == "no"
    assert compose["first-run"]["depends_on"]["db"]["condition"] == "service_healthy"
    for service in ("web", "scheduler"):
        assert compose[service]["depends_on"]["first-run"]["condition"] == (
            "service_completed_successfully"
        )
        assert compose[service]["restart"] == "unless-stopped"
    assert compose["scheduler"]["command"] == ["python", "manage.py", "run_scheduled_jobs"]


def test_compose_health_checks_ask_what_matters(compose):
    assert "pg_isready" in " ".join(compose["db"]["healthcheck"]["test"])
    assert compose["web"]["healthcheck"]["test"] == ["CMD", "python", "-m", "portal.healthcheck"]
    assert compose["scheduler"]["healthcheck"]["test"][-2:] == ["run_scheduled_jobs", "--check"]
    # The image's health check asks gunicorn, which the one-off step never starts.
    assert compose["first-run"]["healthcheck"] == {"disable": True}


def test_compose_commands_are_the_portals_own():
    from django.core.management import get_commands

    compose = yaml.safe_load((ROOT / "docker-compose.yml").read_text())["services"]
    for service in APP_SERVICES:
        for argv in (compose[service].get("command"), compose[service]["healthcheck"].get("test")):
            if argv and "manage.py" in argv:
                assert argv[argv.index("manage.py") + 1] in get_commands(), argv


def test_compose_gives_every_service_the_production_settings(compose):
    for service in APP_SERVICES:
        environment = compose[service]["environment"]
        assert environment["DJANGO_SETTINGS_MODULE"] == "portal.settings.prod"
        for name in REQUIRED_IN_PRODUCTION:
            assert name in environment, f"{service} does not set {name}"
        # A shared cache, where one is named, is a service of this file.
        if environment.get("REDIS_URL"):
            host = environment["REDIS_URL"].split("//", 1)[1].split(":")[0].split("/")[0]
            assert host in compose and host in compose[service].get("depends_on", {})


def test_compose_file_gives_every_web_worker_one_shared_redis():
    services = yaml.safe_load((ROOT / "docker-compose.yml").read_text())["services"]
    assert services["redis"]["image"].startswith("redis:7")
    assert services["redis"]["healthcheck"]["test"][-2:] == ["redis-cli", "ping"]
    assert services["web"]["environment"]["REDIS_URL"] == "redis://redis:6379/0"
    assert services["web"]["depends_on"]["redis"]["condition"] == "service_healthy"


def test_production_caches_in_redis():
    result = manage(
        "shell",
        "-c",
        "from django.conf import settings; print(settings.CACHES['default']['BACKEND'])",
        env=PRODUCTION,
    )
    assert result.stdout.strip().splitlines()[-1] == "portal.redis_cache.RedisCache", result.stderr


def test_dockerfile_serves_with_gunicorn_and_collects_static():
    dockerfile = (ROOT / "Dockerfile").read_text()
    assert "collectstatic --noinput" in dockerfile
    assert '"gunicorn", "portal.wsgi"' in dockerfile
    assert "USER portal" in dockerfile
    assert "HEALTHCHECK" in dockerfile and '"portal.healthcheck"' in dockerfile


def test_the_image_collects_static_with_every_required_setting():
    """Production settings refuse to import without them, which would fail the image's build."""
    dockerfile = (ROOT / "Dockerfile").read_text()
    step = re.search(r"^RUN ((?:.*\\\n)*.*collectstatic.*)$", dockerfile, re.MULTILINE)[1]
    for name in REQUIRED_IN_PRODUCTION:
        assert f"{name}=" in step, f"the collectstatic step does not set {name}"
    deploy_check = (ROOT / "scripts" / "deploy_check.sh").read_text()
    assert all(f"{name}=" in deploy_check for name in REQUIRED_IN_PRODUCTION)


@pytest.mark.django_db(transaction=True)
def test_the_containers_health_check_asks_the_portal(live_server, monkeypatch):
    from portal import healthcheck

    port = live_server.url.rsplit(":", 1)[1]
    monkeypatch.setenv("DJANGO_ALLOWED_HOSTS", "localhost,127.0.0.1")
    monkeypatch.setenv("GUNICORN_BIND", f"0.0.0.0:{port}")
    assert healthcheck.main() == 0
    monkeypatch.setenv("GUNICORN_BIND", "0.0.0.0:9")  # nothing listens there
    assert healthcheck.main() == 1


def test_production_refuses_to_load_sample_data():
    result = manage("load_demo_data", env=PRODUCTION)
    assert result.returncode != 0
    assert "sample data" in result.stderr and "is never loaded here" in result.stderr
    assert "load_reference_data" in result.stderr


def test_collectstatic_hashes_files_and_rewrites_module_imports(tmp_path):
    result = manage(
        "collectstatic",
        "--noinput",
        env={**PRODUCTION, "DJANGO_STATIC_ROOT": str(tmp_path)},
    )
    assert result.returncode == 0, result.stderr
    main_module = next(tmp_path.glob("js/portal.*.js"))
    imported = re.search(
        r"from\s*['\"]\./(govuk-frontend\.min\.[0-9a-f]{12}\.js)['\"]", main_module.read_text()
    )
    assert imported, "portal.js should import GOV.UK Frontend by its hashed name"
    assert (tmp_path / "js" / imported[1]).exists()
    assert (tmp_path / "js" / (imported[1] + ".gz")).exists()
