"""The server's access log keeps the surveys' promise: no address or browser for survey pages."""

import datetime
from types import SimpleNamespace

import pytest
from gunicorn.config import Config

from portal.access_log import AccessLogger

ADDRESS = "203.0.113.9"
BROWSER = "Mozilla/5.0 (X11; Linux x86_64) Firefox/140.0"


def log_line(path: str, capsys) -> str:
    config = Config()
    config.set("accesslog", "-")
    logger = AccessLogger(config)
    environ = {
        "REQUEST_METHOD": "POST",
        "RAW_URI": path,
        "PATH_INFO": path,
        "QUERY_STRING": "",
        "SERVER_PROTOCOL": "HTTP/1.1",
        "REMOTE_ADDR": ADDRESS,
        "HTTP_USER_AGENT": BROWSER,
        "HTTP_REFERER": "https://example.org/",
    }
    request = SimpleNamespace(headers=[("USER-AGENT", BROWSER), ("X-FORWARDED-FOR", ADDRESS)])
    response = SimpleNamespace(status="302 Found", sent=0, headers=[])
    logger.access(response, request, environ, datetime.timedelta(milliseconds=12))
    return capsys.readouterr().out


@pytest.mark.parametrize(
    "path", ["/surveys/public-confidence/check-your-answers/", "/surveys/x/page/2/"]
)
def test_survey_pages_are_logged_without_address_or_browser(path, capsys):
    line = log_line(path, capsys)
    assert path in line
    assert ADDRESS not in line
    assert "Firefox" not in line


def test_other_pages_keep_the_usual_log_line(capsys):
    line = log_line("/teams/colchester/", capsys)
    assert ADDRESS in line
    assert "Firefox" in line


def test_gunicorn_uses_this_logger():
    from pathlib import Path

    conf = (Path(__file__).resolve().parents[2] / "gunicorn.conf.py").read_text()
    assert 'logger_class = "portal.access_log.AccessLogger"' in conf


@pytest.mark.django_db
def test_the_privacy_notice_says_so(client):
    from django.urls import reverse

    page = client.get(reverse("privacy")).content.decode()
    assert "logs leave them out for every survey page" in page
