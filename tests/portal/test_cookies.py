import json
import re

import pytest
from django.conf import settings
from django.urls import reverse
from hypothesis import HealthCheck, given
from hypothesis import settings as hypothesis_settings
from hypothesis import strategies as st

from portal.cookies import consent_from_request

pytestmark = pytest.mark.django_db

# What every current browser sends with a form posted from the portal's own page.
SAME_SITE = {"Sec-Fetch-Site": "same-origin"}


def consent_cookie(client):
    return json.loads(client.cookies[settings.COOKIE_CONSENT_NAME].value)


def test_banner_shows_until_the_resident_chooses(client):
    assert "Accept analytics cookies" in client.get(reverse("home")).content.decode()


@pytest.mark.parametrize(
    ("choice", "stored", "word"), [("yes", True, "accepted"), ("no", False, "rejected")]
)
def test_banner_choice_is_remembered_for_a_year_and_confirmed(client, choice, stored, word):
    response = client.post(
        reverse("cookie-consent"),
        {"analytics": choice, "next": reverse("privacy")},
        headers=SAME_SITE,
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
        reverse("cookie-consent"),
        {"analytics": "yes", "next": "https://evil.example/"},
        headers=SAME_SITE,
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
    client.post(reverse("cookie-consent"), {"analytics": "yes"}, headers=SAME_SITE)
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
    client.post(reverse("cookie-consent"), {"analytics": "no"}, headers=SAME_SITE)
    assert "analytics.example" not in client.get(reverse("home")).content.decode()
    client.post(reverse("cookie-consent"), {"analytics": "yes"}, headers=SAME_SITE)
    assert "analytics.example/script.js" in client.get(reverse("home")).content.decode()


@pytest.mark.parametrize(
    "headers",
    [
        {"Sec-Fetch-Site": "cross-site"},
        {"Sec-Fetch-Site": "same-site"},
        {"Origin": "https://evil.example"},
        {"Referer": "https://evil.example/page"},
        {"Referer": "http://testserver.evil.example/"},
        {},
    ],
)
def test_another_site_cannot_make_the_choice_for_a_resident(client, headers):
    response = client.post(reverse("cookie-consent"), {"analytics": "yes"}, headers=headers)
    assert response.status_code == 403
    assert settings.COOKIE_CONSENT_NAME not in response.cookies


@pytest.mark.parametrize(
    "headers",
    [{"Origin": "http://testserver"}, {"Referer": "http://testserver/teams/"}],
)
def test_browsers_without_fetch_metadata_can_still_choose(client, headers):
    response = client.post(reverse("cookie-consent"), {"analytics": "no"}, headers=headers)
    assert response.status_code == 302
    assert consent_cookie(client) == {"analytics": False, "version": 1}


def test_the_banner_holds_nothing_of_the_request_but_its_path(client):
    page = client.get(reverse("teams:find"), {"postcode": "QQ9 MARKER"}).content.decode()
    banner = page[page.index('action="/cookies/consent/"') :]
    banner = banner[: banner.index("</form>")]
    assert 'name="next" value="/find/"' in banner
    assert "MARKER" not in banner
    assert "csrfmiddlewaretoken" not in banner


@pytest.mark.parametrize(
    "value",
    ["[" * 2000 + "]" * 2000, "{" * 5000, '{"analytics":' * 3000, "x" * 4000, "null", "[]"],
)
def test_a_deep_or_huge_consent_cookie_means_no_choice_yet(client, value):
    client.cookies[settings.COOKIE_CONSENT_NAME] = value
    response = client.get(reverse("home"))
    assert response.status_code == 200
    assert "Accept analytics cookies" in response.content.decode()


@hypothesis_settings(
    max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(
    value=st.text(max_size=300)
    | st.builds(lambda n: "[" * n + "]" * n, st.integers(0, 5000))
    | st.recursive(st.none() | st.booleans() | st.integers(), st.lists, max_leaves=50).map(
        json.dumps
    )
)
def test_any_consent_cookie_value_is_no_choice_or_a_choice(rf, value):
    request = rf.get("/")
    request.COOKIES[settings.COOKIE_CONSENT_NAME] = value
    assert consent_from_request(request) in {None, True, False}
