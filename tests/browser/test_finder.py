"""Finding a team in the browser, with JavaScript on and off (each test runs both ways)."""

import re

import pytest
from django.urls import reverse
from playwright.sync_api import expect

from tests.factories import (
    DistrictFactory,
    NeighbouringForceFactory,
    PostcodeFactory,
    TeamFactory,
    WardFactory,
)

pytestmark = pytest.mark.django_db(transaction=True)

# About 570500, 205500 on the British National Grid: CM2 9AA below.
HERE = {"latitude": 51.7185, "longitude": 0.4657}


@pytest.fixture
def browser_context_args(browser_context_args):
    """A resident in Chelmsford who lets the portal know where they are."""
    return {**browser_context_args, "geolocation": HERE, "permissions": ["geolocation"]}


@pytest.fixture
def areas(db):
    team = TeamFactory(name="Chelmsford & Maldon", slug="chelmsford-maldon")
    chelmsford = DistrictFactory(code="E07000070", name="Chelmsford", team=team)
    ward = WardFactory(code="E05004106", name="Moulsham Lodge", district=chelmsford)
    PostcodeFactory(postcode="CM2 9AA", ward=ward, district=chelmsford, easting=570500)
    braintree = DistrictFactory(
        code="E07000067", name="Braintree", team=TeamFactory(name="Braintree", slug="braintree")
    )
    PostcodeFactory(postcode="CM2 9AB", ward=None, district=braintree, easting=571000)
    force = NeighbouringForceFactory(
        name="Cambridgeshire Constabulary", website="https://www.cambs.police.uk/"
    )
    cambridge = DistrictFactory(code="E07000008", name="Cambridge", team=None, force=force)
    PostcodeFactory(postcode="CB2 1TN", ward=None, district=cambridge, easting=545000)
    WardFactory(code="E05013055", name="Moulsham Fields", district=cambridge)
    return team


def find(page, text):
    page.get_by_label("Enter your postcode").or_(page.get_by_label("Search again")).fill(text)
    page.get_by_role("button", name="Find your team").click()


def test_a_postcode_leads_to_its_team(page, url, check_page, areas):
    page.goto(url(reverse("teams:find")))
    expect(page).to_have_title(
        "Find your Community Policing Team – Essex Police Community Policing"
    )
    check_page(page, "finder")
    find(page, " cm2 9aa ")
    expect(page).to_have_url(re.compile(r"/teams/chelmsford-maldon/\?postcode=CM2%209AA$"))


def test_outside_essex_names_the_force(page, url, check_page, areas):
    page.goto(url(reverse("home")))
    find(page, "CB2 1TN")
    expect(page.locator("h1")).to_have_text("CB2 1TN is outside the area Essex Police covers")
    expect(page.get_by_role("link", name="Cambridgeshire Constabulary")).to_be_visible()
    # The OGL attribution, once, in the footer.
    expect(page.get_by_text("Contains OS data")).to_have_count(1)
    check_page(page, "finder-outside")


def test_an_outward_code_lists_the_teams(page, url, check_page, areas):
    page.goto(url(reverse("teams:find")))
    find(page, "CM2")
    expect(page.locator("h1")).to_have_text("Teams that cover CM2")
    expect(page.get_by_role("link", name="Braintree")).to_be_visible()
    check_page(page, "finder-area")
    page.get_by_role("link", name="Chelmsford & Maldon").click()
    expect(page).to_have_url(re.compile(r"/teams/chelmsford-maldon/$"))


def test_a_place_name_lists_places(page, url, check_page, areas):
    page.goto(url(reverse("teams:find")))
    find(page, "Moulsham")
    expect(page.locator("h1")).to_have_text("Places matching “Moulsham”")
    check_page(page, "finder-places")


def test_a_misspelt_town_offers_did_you_mean(page, url, check_page, areas):
    page.goto(url(reverse("teams:find")))
    find(page, "Chelmsfrd")
    expect(page.locator("h1")).to_have_text("We could not find a place called “Chelmsfrd”")
    expect(page.get_by_role("link", name="Chelmsford", exact=True)).to_be_visible()
    check_page(page, "finder-did-you-mean")


def test_northern_ireland_names_its_police(page, url, check_page, areas):
    page.goto(url(reverse("teams:find")))
    find(page, "bt1 1aa")
    expect(page.locator("h1")).to_have_text("BT1 1AA is in Northern Ireland")
    expect(page.get_by_role("link", name="Police Service of Northern Ireland")).to_be_visible()
    check_page(page, "finder-elsewhere")


def test_bad_input_gets_an_error_summary(page, url, check_page, areas, javascript):
    page.goto(url(reverse("teams:find")))
    find(page, "<script>alert('x')</script>")
    expect(page).to_have_title(re.compile(r"^Error: "))
    summary = page.get_by_role("alert")
    expect(summary).to_contain_text("Enter a full postcode, like CM1 1AA")
    expect(
        page.get_by_label("Search again").or_(page.get_by_label("Enter your postcode"))
    ).to_have_value("<script>alert('x')</script>")
    check_page(page, "finder-error")
    summary.get_by_role("link").click()
    if javascript:  # GOV.UK Frontend's error summary moves the focus to the field itself
        expect(page.locator("#postcode")).to_be_focused()
    else:
        expect(page).to_have_url(re.compile(r"#postcode$"))


def test_use_my_location_only_with_javascript(page, url, check_page, areas, javascript):
    page.goto(url(reverse("teams:find")))
    button = page.get_by_role("button", name="Use my location")
    if not javascript:
        expect(button).to_have_count(0)
        return
    expect(button).to_be_visible()
    check_page(page, "finder-location")
    button.click()
    expect(page).to_have_url(re.compile(r"/teams/chelmsford-maldon/\?postcode=CM2%209AA$"))


def test_use_my_location_when_the_resident_says_no(page, url, areas, javascript, context):
    if not javascript:
        pytest.skip("the button needs JavaScript")
    context.clear_permissions()
    page.goto(url(reverse("teams:find")))
    page.get_by_role("button", name="Use my location").click()
    expect(page.get_by_role("status")).to_contain_text("Enter your postcode instead")
