import pytest
from django.urls import reverse
from playwright.sync_api import expect

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.mark.parametrize(
    ("name", "heading", "title"),
    [
        ("home", "Find your Community Policing Team", "Find your Community Policing Team"),
        (
            "accessibility",
            "Accessibility statement for Essex Police Community Policing",
            "Accessibility statement",
        ),
        ("privacy", "Privacy notice", "Privacy notice"),
        ("cookies", "Cookies", "Cookies"),
    ],
)
def test_site_page_is_accessible(page, url, check_page, name, heading, title):
    page.goto(url(reverse(name)))
    expect(page.locator("h1")).to_have_text(heading)
    expect(page).to_have_title(f"{title} – Essex Police Community Policing")
    expect(page.get_by_role("complementary", name="Urgent help")).to_contain_text("999")
    check_page(page, name)


@pytest.mark.parametrize(
    "address",
    [
        lambda: reverse("home"),
        lambda: reverse("accessibility"),
        lambda: reverse("privacy"),
        lambda: reverse("cookies"),
        lambda: reverse("teams:list"),
        lambda: reverse("meetings:list"),
        lambda: reverse("surveys:list"),
    ],
    ids=["home", "accessibility", "privacy", "cookies", "teams", "meetings", "surveys"],
)
def test_nothing_scrolls_sideways_on_a_320_px_screen(page, url, address):
    page.set_viewport_size({"width": 320, "height": 640})
    page.goto(url(address()))
    width = page.evaluate("document.documentElement.scrollWidth")
    assert width <= 320, f"{address()} is {width} px wide on a 320 px screen"


def test_missing_page_is_styled_and_accessible(page, url, check_page):
    response = page.goto(url("/no-such-page/"))
    assert response.status == 404
    expect(page.locator("h1")).to_have_text("Page not found")
    check_page(page, "404")


def test_cookie_banner_accept_then_hide(page, url, check_page):
    page.goto(url(reverse("privacy")))
    banner = page.get_by_role("region", name="Cookies on Essex Police Community Policing")
    expect(banner).to_be_visible()
    check_page(page, "cookie-banner")
    page.get_by_role("button", name="Accept analytics cookies").click()
    expect(page.locator("h1")).to_have_text("Privacy notice")
    expect(banner).to_contain_text("You’ve accepted analytics cookies")
    check_page(page, "cookie-banner-accepted")
    page.get_by_role("button", name="Hide cookie message").click()
    expect(banner).to_have_count(0)


def test_cookies_page_lets_a_resident_withdraw_consent(page, url, check_page):
    page.goto(url(reverse("home")))
    page.get_by_role("button", name="Accept analytics cookies").click()
    page.goto(url(reverse("cookies")))
    expect(page.get_by_label("Yes")).to_be_checked()
    page.get_by_label("No").check()
    page.get_by_role("button", name="Save cookie settings").click()
    expect(page.get_by_text("You’ve set your cookie preferences.")).to_be_visible()
    expect(page.get_by_label("No")).to_be_checked()
    check_page(page, "cookies-saved")
    page.goto(url(reverse("home")))
    expect(page.get_by_role("button", name="Accept analytics cookies")).to_have_count(0)
