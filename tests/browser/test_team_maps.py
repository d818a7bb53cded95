"""The maps as residents see them, on a 390 px phone and a 1280 px desktop, JavaScript on and
off: names readable and apart on the Essex map, "you are here" for a resident arriving from the
finder (and for no one else), the next meeting's venue marked."""

import itertools

import pytest
from django.urls import reverse
from playwright.sync_api import expect

from tests.factories import (
    DistrictFactory,
    MeetingFactory,
    PostcodeFactory,
    TeamFactory,
    WardFactory,
)

pytestmark = pytest.mark.django_db(transaction=True)

WIDTHS = pytest.mark.parametrize("width", [390, 1280], ids=["390px", "1280px"])
# Readable on a phone: at least 14 px as displayed (the measure).
MIN_PX = 14


@pytest.fixture
def essex():
    """Colchester (with a meeting at the Moot Hall) and three small neighbours crowding it."""
    teams = {}
    squares = {
        "Colchester": [(599, 225), (600, 225), (600, 226), (601, 224), (599, 226), (601, 225)],
        "Tendring": [(603, 225), (604, 225), (604, 224)],
        "Castle Point & Rochford": [(602, 222), (603, 222)],
        "Epping Forest & Brentwood": [(597, 222)],
    }
    for number, (name, cells) in enumerate(squares.items(), start=1):
        team = TeamFactory(name=name, slug=f"team-{number}")
        ward = WardFactory(district=DistrictFactory(team=team))
        for index, (column, row) in enumerate(cells):
            PostcodeFactory(
                postcode=f"CO{number}{index} 1AA",
                easting=column * 1000 + 500,
                northing=row * 1000 + 500,
                ward=ward,
            )
        teams[name] = team
    colchester = teams["Colchester"]
    MeetingFactory(team=colchester, venue_name="Moot Hall", postcode="CO12 1AA")
    return teams


def shown_font_px(text):
    """A text's font size as displayed: its size in the drawing times the drawing's scale."""
    return text.evaluate("t => parseFloat(getComputedStyle(t).fontSize) * t.getScreenCTM().a")


@WIDTHS
def test_the_essex_map_names_each_team_readably(page, url, check_page, essex, width):
    page.set_viewport_size({"width": width, "height": 900})
    page.goto(url(reverse("teams:list")))
    names = page.locator(".app-map svg text.app-map__area-name")
    expect(names).to_have_count(4)
    shown = [" ".join(text.split()) for text in names.all_text_contents()]
    assert sorted(shown) == sorted(
        ["Colchester", "Tendring", "Castle Point & Rochford", "Epping Forest & Brentwood"]
    )
    site_font = page.locator("#teams h2").first.evaluate("h => getComputedStyle(h).fontFamily")
    boxes = []
    for text in names.all():
        assert shown_font_px(text) >= MIN_PX
        assert text.evaluate("t => getComputedStyle(t).fontFamily") == site_font
        boxes.append(text.bounding_box())
    for one, other in itertools.combinations(boxes, 2):
        apart = (
            one["x"] + one["width"] <= other["x"]
            or other["x"] + other["width"] <= one["x"]
            or one["y"] + one["height"] <= other["y"]
            or other["y"] + other["height"] <= one["y"]
        )
        assert apart, (one, other)
    assert page.evaluate("document.documentElement.scrollWidth") <= width
    check_page(page, f"essex-map-{width}")


def marker_centre(page, selector):
    box = page.locator(selector).first.bounding_box()
    return box["x"] + box["width"] / 2, box["y"] + box["height"] / 2


@WIDTHS
def test_arriving_from_the_finder_shows_where_you_are(page, url, check_page, essex, width):
    page.set_viewport_size({"width": width, "height": 900})
    colchester = essex["Colchester"]
    page.goto(url(reverse("teams:detail", args=[colchester.slug]) + "?postcode=co11%201aa"))
    expect(page.locator("#map-here")).to_have_text("You are here: CO11 1AA")
    marker = page.locator(".app-map__layer--here circle").first
    expect(marker).to_be_visible()
    # The layer lies exactly over the map, and the marker where the map has CO11 1AA: square
    # (600, 225), the map running from column 596 (left) to 604 and from row 229 (top) to 221.
    drawing = page.locator(".app-map__frame > svg[role=img]").bounding_box()
    layer = page.locator(".app-map__layer--here").bounding_box()
    for side in ("x", "y", "width", "height"):
        assert abs(drawing[side] - layer[side]) < 1, (side, drawing, layer)
    x, y = marker_centre(page, ".app-map__layer--here circle")
    scale = drawing["width"] / 9
    assert abs(x - (drawing["x"] + 4.5 * scale)) < 2
    assert abs(y - (drawing["y"] + 4.5 * scale)) < 2
    # The venue of the next meeting, with its key.
    expect(page.locator(".app-map__layer--venue rect")).to_have_count(2)
    expect(page.locator("#map-venues")).to_have_text("Where we meet next: Moot Hall")
    # Town names in the site font, at least 14 px as displayed.
    for text in page.locator(".app-map__layer--labels text").all():
        assert shown_font_px(text) >= MIN_PX
    page.locator("#areas").scroll_into_view_if_needed()
    check_page(page, f"team-map-here-{width}")


@WIDTHS
def test_a_plain_visit_after_an_arrival_shows_no_marker(page, url, check_page, essex, width):
    page.set_viewport_size({"width": width, "height": 900})
    team_url = url(reverse("teams:detail", args=[essex["Colchester"].slug]))
    page.goto(team_url + "?postcode=CO11%201AA")
    expect(page.locator("#map-here")).to_be_visible()
    page.goto(team_url)
    expect(page.locator("h1")).to_have_text("Colchester Community Policing Team")
    expect(page.locator(".app-map__layer--here")).to_have_count(0)
    expect(page.locator("#map-here")).to_have_count(0)
    expect(page.get_by_text("You are here")).to_have_count(0)
    expect(page.locator(".app-map__layer--venue")).to_be_visible()
    check_page(page, f"team-map-plain-{width}")
