"""Browser tests: Playwright drives the system Chromium against a live server.

Every test runs twice, with JavaScript on and off. `check_page` fails a test on any axe-core
violation of WCAG 2.2 AA, and the `page` fixture fails it on any console error or uncaught
exception, so a page that breaks for a resident breaks the build.
"""

import os
import shutil

import pytest
from axe_playwright_python.sync_playwright import Axe

# Playwright's sync API runs an event loop in this thread; the ORM calls the tests make to set up
# data are still synchronous and safe here.
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")

CHROMIUM = os.environ.get("CHROMIUM_PATH") or shutil.which("chromium") or "/usr/bin/chromium"
WCAG_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa", "best-practice"]
SCREENSHOTS = os.environ.get("SCREENSHOTS_DIR", "")


def pytest_collection_modifyitems(config, items):
    browser_items = [item for item in items if "tests/browser/" in item.nodeid]
    for item in browser_items:
        item.add_marker(pytest.mark.browser)
    if os.path.exists(CHROMIUM):
        return
    if os.environ.get("REQUIRE_BROWSER") == "1":
        raise pytest.UsageError(
            f"REQUIRE_BROWSER=1 but Chromium is not at {CHROMIUM}: apt-get install chromium"
        )
    skip = pytest.mark.skip(reason=f"Chromium not found at {CHROMIUM} (apt-get install chromium)")
    for item in browser_items:
        item.add_marker(skip)


@pytest.fixture(scope="session")
def browser_type_launch_args(browser_type_launch_args):
    return {
        **browser_type_launch_args,
        "executable_path": CHROMIUM,
        "args": [
            "--no-sandbox",
            "--disable-gpu",
            "--disable-background-networking",
            "--disable-component-update",
            "--disable-sync",
            "--no-first-run",
            "--disable-quic",
        ],
    }


@pytest.fixture(params=[True, False], ids=["js-on", "js-off"])
def javascript(request):
    return request.param


@pytest.fixture
def browser_context_args(browser_context_args, javascript):
    return {**browser_context_args, "java_script_enabled": javascript, "locale": "en-GB"}


# How Chromium reports the document's own error status (a 404 page, a form with errors): the
# test checks that status itself. Nothing else said at the page's own address is let through:
# that is where Chromium reports an inline script or style the Content Security Policy blocked.
OWN_STATUS = "Failed to load resource: the server responded with a status of "


def console_problem(kind: str, text: str, where: str, page_url: str) -> str | None:
    """What to fail the test with for this console message, or None when it is expected."""
    if kind != "error":
        return None
    if where == page_url and text.startswith(OWN_STATUS):
        return None
    return f"console {kind}: {text} at {where}"


@pytest.fixture
def page(page, javascript):
    """The page, failing the test on any console error or uncaught exception."""
    problems = []

    def on_console(message):
        problem = console_problem(
            message.type, message.text, message.location.get("url", ""), page.url
        )
        if problem:
            problems.append(problem)

    page.on("console", on_console)
    page.on("pageerror", lambda error: problems.append(f"uncaught: {error}"))
    yield page
    assert not problems, "\n".join(problems)


@pytest.fixture(scope="session")
def axe():
    return Axe()


def _mirror_without_scripts(browser, page):
    """A JavaScript-enabled copy of a JavaScript-off page, for axe to run in.

    With JavaScript off, timers never fire, so axe's promise never settles. The copy loads the
    exact HTML the resident saw, at the same address (so styles and colours are the same), with
    every script blocked: what axe checks is what a resident without JavaScript gets.
    """
    html, address = page.content(), page.url
    context = browser.new_context()
    mirror = context.new_page()

    def serve(route):
        request = route.request
        if request.resource_type == "document" and request.url == address:
            route.fulfill(body=html, content_type="text/html; charset=utf-8")
        elif request.resource_type == "script":
            route.abort()
        else:
            route.continue_()

    mirror.route("**/*", serve)
    mirror.goto(address)
    return context, mirror


@pytest.fixture
def check_page(axe, browser, javascript):
    """Assert the page has no accessibility violations; optionally save a screenshot."""

    def check(page, name: str | None = None):
        options = {"runOnly": {"type": "tag", "values": WCAG_TAGS}}
        if javascript:
            results = axe.run(page, options=options)
        else:
            context, mirror = _mirror_without_scripts(browser, page)
            try:
                results = axe.run(mirror, options=options)
            finally:
                context.close()
        if SCREENSHOTS and name:
            os.makedirs(SCREENSHOTS, exist_ok=True)
            suffix = "js" if javascript else "nojs"
            page.screenshot(path=os.path.join(SCREENSHOTS, f"{name}-{suffix}.png"), full_page=True)
        assert results.violations_count == 0, results.generate_report()
        assert page.locator("h1").count() == 1, "every page has exactly one h1"

    return check


@pytest.fixture
def url(live_server):
    """A full URL on the live server for a path from reverse()."""
    return lambda path: f"{live_server.url}{path}"
