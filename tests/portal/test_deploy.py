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
}


def manage(*args, env):
    clean = {k: v for k, v in os.environ.items() if not k.startswith(("DJANGO_", "DATABASE_"))}
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


@pytest.mark.parametrize("missing", ["DJANGO_SECRET_KEY", "DJANGO_ALLOWED_HOSTS", "DATABASE_URL"])
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


def test_compose_file_runs_migrate_then_web_with_every_required_setting():
    compose = yaml.safe_load((ROOT / "docker-compose.yml").read_text())
    services = compose["services"]
    assert {"db", "migrate", "web"} <= set(services)
    assert services["migrate"]["command"][-2:] == ["migrate", "--noinput"]
    assert services["web"]["depends_on"]["migrate"]["condition"] == (
        "service_completed_successfully"
    )
    for service in ("migrate", "web"):
        environment = services[service]["environment"]
        assert environment["DJANGO_SETTINGS_MODULE"] == "portal.settings.prod"
        for name in REQUIRED_IN_PRODUCTION:
            assert name in environment, f"{service} does not set {name}"


def test_dockerfile_serves_with_gunicorn_and_collects_static():
    dockerfile = (ROOT / "Dockerfile").read_text()
    assert "collectstatic --noinput" in dockerfile
    assert '"gunicorn", "portal.wsgi"' in dockerfile
    assert "USER portal" in dockerfile


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
