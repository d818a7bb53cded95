import pytest
from django.conf import settings
from django.urls import reverse

pytestmark = pytest.mark.django_db


def test_every_page_sends_the_security_headers(client):
    response = client.get(reverse("home"))
    csp = response.headers["Content-Security-Policy"]
    assert "default-src 'self'" in csp
    assert "script-src 'self'" in csp
    assert "unsafe-inline" not in csp
    assert "frame-ancestors 'none'" in csp
    assert response.headers["X-Frame-Options"] == "DENY"
    assert response.headers["X-Content-Type-Options"] == "nosniff"
    assert response.headers["Referrer-Policy"] == "same-origin"
    assert response.headers["Cross-Origin-Opener-Policy"] == "same-origin"
    assert "camera=()" in response.headers["Permissions-Policy"]


def test_pages_have_no_inline_scripts_or_styles(client):
    html = client.get(reverse("home")).content.decode()
    assert "<script>" not in html
    assert "style=" not in html


def test_admin_lives_at_the_configured_path():
    assert reverse("admin:index") == "/" + settings.ADMIN_URL


def test_admin_login_locks_out_after_repeated_wrong_passwords(client):
    from tests.factories import UserFactory

    UserFactory(username="inspector")
    login = reverse("admin:login")
    for _ in range(settings.AXES_FAILURE_LIMIT):
        client.post(login, {"username": "inspector", "password": "guess"})
    response = client.post(
        login, {"username": "inspector", "password": "correct horse battery staple"}
    )
    assert response.status_code == 429
    assert "_auth_user_id" not in client.session


def test_admin_login_works_with_the_right_password(client):
    from tests.factories import UserFactory

    UserFactory(username="sergeant")
    response = client.post(
        reverse("admin:login"),
        {"username": "sergeant", "password": "correct horse battery staple"},
    )
    assert response.status_code == 302
    assert "_auth_user_id" in client.session
