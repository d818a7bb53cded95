import pytest
from django.urls import reverse

pytestmark = pytest.mark.django_db

ATTRIBUTION = "Contains OS data © Crown copyright and database right 2025."


@pytest.mark.parametrize("name", ["home", "accessibility", "privacy", "cookies"])
def test_every_site_page_has_the_shell(client, name):
    response = client.get(reverse(name))
    assert response.status_code == 200
    html = response.content.decode()
    assert html.count("<h1") == 1
    assert "Skip to main content" in html
    assert "In an emergency, call 999." in html
    assert "Textphone: 18001 101." in html
    assert ATTRIBUTION in html
    for label in ("Find your team", "Meetings", "Have your say"):
        assert label in html


def test_home_page_explains_teams_and_offers_the_postcode_form(client):
    html = client.get(reverse("home")).content.decode()
    assert "10 Community Policing Teams" in html
    assert "14 Community Safety Partnerships" in html
    assert "8am to 2am on Friday and Saturday" in html
    assert f'action="{reverse("teams:find")}"' in html
    assert 'name="postcode"' in html


def test_the_skip_link_comes_first_then_the_cookie_banner_then_the_header(client):
    # The skip link before any other link is what makes it a skip link to assistive
    # technology and to axe; the banner still comes before everything else.
    html = client.get(reverse("home")).content.decode()
    skip = html.index("Skip to main content")
    assert skip < html.index("Accept analytics cookies") < html.index("<header")
    assert html.index("<a ") == html.rindex("<a ", 0, skip + 1)


def test_the_phase_banner_is_inside_the_header(client):
    html = client.get(reverse("home")).content.decode()
    assert html.index("<header") < html.index("govuk-phase-banner") < html.index("</header>")


def test_missing_page_is_a_styled_404(client):
    response = client.get("/no-such-page/")
    assert response.status_code == 404
    assert "Page not found" in response.content.decode()


def test_server_error_page_renders_without_a_request(rf):
    from portal.views import server_error

    response = server_error(rf.get("/"))
    assert response.status_code == 500
    assert "Sorry, there is a problem with the service" in response.content.decode()


def test_permission_denied_page(rf):
    from portal.views import permission_denied

    response = permission_denied(rf.get("/"))
    assert response.status_code == 403
    assert "You do not have permission" in response.content.decode()


def test_health_check_reports_the_database(client):
    response = client.get(reverse("healthz"))
    assert response.status_code == 200
    assert response.json() == {"status": "ok", "database": "ok"}
    assert "no-cache" in response.headers["Cache-Control"]


def test_health_check_says_503_when_the_database_is_down(client, monkeypatch):
    from django.db.utils import OperationalError

    from portal import views

    class Broken:
        def cursor(self):
            raise OperationalError("connection refused")

    monkeypatch.setattr(views, "connection", Broken())
    response = client.get(reverse("healthz"))
    assert response.status_code == 503
    assert response.json()["status"] == "error"
