"""The finder on another organisation's website, in a cross-origin iframe (JavaScript on and
off); and every other page refusing to be framed."""

import http.server
import re
import threading

import pytest
from django.urls import reverse
from playwright.sync_api import expect

from tests.factories import DistrictFactory, PostcodeFactory, TeamFactory, WardFactory

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture
def team(db):
    team = TeamFactory(name="Chelmsford & Maldon", slug="chelmsford-maldon")
    district = DistrictFactory(code="E07000070", name="Chelmsford", team=team)
    ward = WardFactory(code="E05004106", name="Moulsham Lodge", district=district)
    PostcodeFactory(postcode="CM2 9AA", ward=ward, district=district)
    return team


@pytest.fixture
def parish(live_server):
    """Another organisation's website: its own little server, on another origin (127.0.0.1
    where the portal is localhost, or the other way round). `frame(page, address)` opens its
    page with `address` in an iframe. Both are on this machine: Chromium refuses to let a page
    from elsewhere frame a local address."""
    pages = {}

    class Handler(http.server.BaseHTTPRequestHandler):
        def do_GET(self):
            body = pages.get(self.path, "").encode()
            self.send_response(200 if body else 404)
            self.send_header("Content-Type", "text/html; charset=utf-8")
            self.end_headers()
            self.wfile.write(body)

        def log_message(self, *args):
            pass

    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    host = "127.0.0.1" if "localhost" in live_server.url else "localhost"

    def frame(page, address: str) -> str:
        pages["/"] = (
            '<!DOCTYPE html><html lang="en-GB"><head><title>Anytown Parish Council</title>'
            '<link rel="icon" href="data:,"></head><body><main><h1>Anytown Parish Council</h1>'
            f'<iframe src="{address}" title="Find your police team" width="600" height="420">'
            "</iframe></main></body></html>"
        )
        origin = f"http://{host}:{server.server_address[1]}"
        page.goto(f"{origin}/")
        return origin

    yield frame
    server.shutdown()
    server.server_close()


def test_the_finder_works_inside_another_sites_page(page, url, check_page, parish, team):
    page.goto(url(reverse("open-data:embed-find")))
    check_page(page, "embed-find")
    parish(page, url(reverse("open-data:embed-find")))
    frame = page.frame_locator("iframe")
    expect(frame.get_by_role("heading", level=1)).to_have_text(
        "Find your Essex Police Community Policing Team"
    )
    assert page.context.cookies() == []  # the finder sets none
    frame.get_by_label("Enter your postcode").fill("cm2 9aa")
    frame.get_by_role("button", name="Find your team").click()
    # The answer fills the whole window, on the portal, not the parish council's frame.
    expect(page).to_have_url(re.compile(r"/teams/chelmsford-maldon/\?postcode=CM2%209AA$"))
    expect(page.get_by_role("heading", level=1)).to_contain_text("Chelmsford & Maldon")


@pytest.mark.parametrize("name", ["home", "teams:find", "open-data:docs"])
def test_every_other_page_refuses_to_be_framed(browser, live_server, parish, team, name):
    context = browser.new_context()
    page = context.new_page()
    refusals = []
    page.on("console", lambda message: refusals.append(message.text))
    try:
        parish(page, f"{live_server.url}{reverse(name)}")
        frame = page.frames[1]
        expect(page.get_by_role("heading", level=1)).to_have_text("Anytown Parish Council")
        assert not frame.url.startswith(live_server.url)
        assert any("frame-ancestors" in text for text in refusals), refusals
    finally:
        context.close()


def test_the_open_data_page_is_accessible(page, url, check_page, team):
    page.goto(url(reverse("home")))
    page.get_by_role("link", name="Open data").click()
    expect(page).to_have_title(
        "Open data: neighbourhood policing API – Essex Police Community Policing"
    )
    check_page(page, "open-data")
