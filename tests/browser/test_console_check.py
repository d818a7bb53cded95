"""The console check itself: it must see what the Content Security Policy blocks."""

import pytest
from django.urls import reverse

from .conftest import console_problem

pytestmark = pytest.mark.django_db(transaction=True)

INLINE = '<script>document.title = "ran"</script><p style="color: red">styled</p></body>'


def test_the_pages_own_error_status_is_not_a_problem():
    text = "Failed to load resource: the server responded with a status of 404 (Not Found)"
    assert console_problem("error", text, "http://x/missing/", "http://x/missing/") is None


def test_a_blocked_inline_script_at_the_pages_own_address_is_a_problem():
    text = (
        "Executing inline script violates the following Content Security Policy directive "
        "'script-src 'self''."
    )
    problem = console_problem("error", text, "http://x/teams/", "http://x/teams/")
    assert problem and "Content Security Policy" in problem


def test_another_address_failing_to_load_is_a_problem():
    text = "Failed to load resource: the server responded with a status of 404 (Not Found)"
    assert console_problem("error", text, "http://x/static/missing.js", "http://x/")


def test_inline_script_and_style_on_a_real_page_are_caught(browser, url):
    """Serve the home page with its own headers (so its CSP) and an inline script and style
    added: the check must report both, and the script must not run."""
    context = browser.new_context(java_script_enabled=True)
    page = context.new_page()
    address = url(reverse("home"))
    problems = []
    page.on(
        "console",
        lambda message: problems.append(
            console_problem(message.type, message.text, message.location.get("url", ""), page.url)
        ),
    )

    def with_inline(route):
        response = route.fetch()
        assert "script-src 'self'" in response.headers["content-security-policy"]
        body = response.text().replace("</body>", INLINE, 1)
        route.fulfill(response=response, body=body)

    page.route(address, with_inline)
    try:
        page.goto(address)
        page.wait_for_load_state("load")
        assert page.title() != "ran"
    finally:
        context.close()
    found = [problem for problem in problems if problem]
    assert any("script-src" in problem for problem in found), found
    assert any("style-src" in problem for problem in found), found
