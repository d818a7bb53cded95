import json
import re

import pytest
from django.conf import settings
from django.urls import reverse

pytestmark = pytest.mark.django_db


def consent_cookie(client):
    return json.loads(client.cookies[settings.COOKIE_CONSENT_NAME].value)


def test_banner_shows_until_the_resident_chooses(client):
    assert "Accept analytics cookies" in client.get(reverse("home")).content.decode()


@pytest.mark.parametrize(
    ("choice", "stored", "word"), [("yes", True, "accepted"), ("no", False, "rejected")]
)
def test_banner_choice_is_remembered_for_a_year_and_confirmed(client, choice, stored, word):
    response = client.post(
        reverse("cookie-consent"), {"analytics": choice, "next": reverse("privacy")}
    )
    assert response.status_code == 302
    assert response["Location"] == reverse("privacy")
    assert consent_cookie(client) == {"analytics": stored, "version": 1}
    morsel = response.cookies[settings.COOKIE_CONSENT_NAME]
    assert morsel["max-age"] == 60 * 60 * 24 * 365
    assert morsel["samesite"] == "Lax"
    page = client.get(reverse("privacy")).content.decode()
    assert f"You’ve {word} analytics cookies" in page
    assert "Accept analytics cookies" not in page
    # The confirmation shows once; the next page is clean.
    assert "analytics cookies. You can" not in client.get(reverse("privacy")).content.decode()


def test_banner_does_not_redirect_to_another_site(client):
    response = client.post(
        reverse("cookie-consent"), {"analytics": "yes", "next": "https://evil.example/"}
    )
    assert response["Location"] == reverse("home")


def test_an_older_policy_version_asks_again(client):
    client.cookies[settings.COOKIE_CONSENT_NAME] = json.dumps({"analytics": True, "version": 0})
    assert "Accept analytics cookies" in client.get(reverse("home")).content.decode()


def test_a_garbled_consent_cookie_asks_again_instead_of_failing(client):
    client.cookies[settings.COOKIE_CONSENT_NAME] = "{not json"
    response = client.get(reverse("home"))
    assert response.status_code == 200
    assert "Accept analytics cookies" in response.content.decode()


def test_cookies_page_lists_every_cookie_and_defaults_to_no(client):
    html = client.get(reverse("cookies")).content.decode()
    for name in (settings.COOKIE_CONSENT_NAME, settings.CSRF_COOKIE_NAME, "sessionid"):
        assert name in html
    no_radio = re.search(r'<input[^>]*value="no"[^>]*>', html)[0]
    assert "checked" in no_radio
    # The page has its own form, so no banner repeats it.
    assert "Accept analytics cookies" not in html


def test_cookies_page_withdraws_consent(client):
    client.post(reverse("cookie-consent"), {"analytics": "yes"})
    response = client.post(reverse("cookies"), {"analytics": "no"}, follow=True)
    assert consent_cookie(client) == {"analytics": False, "version": 1}
    assert "You’ve set your cookie preferences." in response.content.decode()


def test_cookies_page_without_a_choice_shows_an_error_summary(client):
    response = client.post(reverse("cookies"), {})
    html = response.content.decode()
    assert response.status_code == 200
    assert "There is a problem" in html
    assert "Select yes if you want to accept analytics cookies" in html
    assert settings.COOKIE_CONSENT_NAME not in client.cookies


def test_analytics_script_loads_only_after_consent(client, settings):
    settings.ANALYTICS_SCRIPT_URL = "https://analytics.example/script.js"
    assert "analytics.example" not in client.get(reverse("home")).content.decode()
    client.post(reverse("cookie-consent"), {"analytics": "no"})
    assert "analytics.example" not in client.get(reverse("home")).content.decode()
    client.post(reverse("cookie-consent"), {"analytics": "yes"})
    assert "analytics.example/script.js" in client.get(reverse("home")).content.decode()
