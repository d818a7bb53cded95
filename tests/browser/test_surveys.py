"""A resident answers the Public Confidence Survey with the keyboard alone, with JavaScript on
and off, and every page on the way passes axe."""

import datetime
import re
import uuid

import pytest
from django.urls import reverse

from surveys.models import Question, Response, Survey
from surveys.seed import PUBLIC_CONFIDENCE, survey_create
from surveys.services import response_submit
from tests.factories import PostcodeFactory, TeamFactory

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture
def survey(settings):
    settings.SURVEYS_MINIMUM_SECONDS = 0
    survey = survey_create(
        description=PUBLIC_CONFIDENCE, status=Survey.Status.OPEN, results_public=True
    )
    team = TeamFactory(name="Chelmsford and Maldon", slug="chelmsford-maldon")
    PostcodeFactory(postcode="CM1 1AA", ward__district__team=team)
    headline = Question.objects.get(page__survey=survey, headline=True)
    for index, label in enumerate(["Good"] * 14 + ["Fair"] * 11 + ["Poor"] * 3):
        response_submit(
            survey=survey,
            token=uuid.uuid4(),
            answers={headline: headline.choices.get(label=label).pk},
            submitted_on=datetime.date(2026, 1 + index % 9, 5),
        )
    return survey


def press(page, locator):
    """Focus a button or link and press Enter, waiting for the next page."""
    locator.focus()
    with page.expect_navigation():
        page.keyboard.press("Enter")


def choose(page, label, nth=0):
    page.get_by_label(label, exact=True).nth(nth).focus()
    page.keyboard.press("Space")


def test_keyboard_only_journey_from_start_to_published_results(page, url, check_page, survey):
    page.goto(url(reverse("surveys:start", kwargs={"slug": survey.slug})))
    check_page(page, "survey-start")
    press(page, page.get_by_role("button", name="Start now"))

    page.wait_for_url(re.compile(r"/page/1/$"))
    press(page, page.get_by_role("button", name="Continue"))
    assert page.title().startswith("Error: ")
    assert page.locator(".govuk-error-summary").is_visible()
    check_page(page, "survey-question-errors")
    choose(page, "Good")
    press(page, page.get_by_role("button", name="Continue"))

    page.wait_for_url(re.compile(r"/page/2/$"))
    assert "page 2 of 4" in page.locator(".govuk-caption-l").inner_text()
    for nth in range(6):
        choose(page, "Tend to agree", nth)
    press(page, page.get_by_role("button", name="Continue"))

    page.wait_for_url(re.compile(r"/page/3/$"))
    choose(page, "Yes")
    press(page, page.get_by_role("button", name="Continue"))

    page.wait_for_url(re.compile(r"/page/4/$"))
    page.get_by_label("Where do you live?").focus()
    page.keyboard.type("cm1 1aa")
    page.get_by_label("Is there anything else").focus()
    page.keyboard.type("Thank you to the team.")
    press(page, page.get_by_role("button", name="Continue"))

    page.wait_for_url(re.compile(r"/check-your-answers/$"))
    assert page.get_by_text("Chelmsford and Maldon area").is_visible()
    check_page(page, "survey-check-answers")
    press(page, page.get_by_role("button", name="Send answers"))

    page.wait_for_url(re.compile(r"/confirmation/$"))
    stored = Response.objects.get(is_demo=False, team__slug="chelmsford-maldon")
    assert page.locator(".govuk-panel__body").inner_text().endswith(stored.reference)
    check_page(page, "survey-confirmation")

    press(page, page.get_by_role("link", name="See the published results"))
    page.wait_for_url(re.compile(r"/results/$"))
    assert page.locator(".app-chart svg").count() >= 2
    assert page.get_by_text("fewer than 10").first.is_visible()
    check_page(page, "survey-results")


def test_staff_results_list_and_closed_pages_pass_axe(page, url, check_page, survey, client):
    from django.contrib.auth.models import Permission

    from tests.factories import UserFactory

    page.goto(url(reverse("surveys:list")))
    assert page.get_by_role("link", name="Public Confidence Survey").first.is_visible()
    check_page(page, "survey-list")

    analyst = UserFactory(username="analyst")
    analyst.user_permissions.add(Permission.objects.get(codename="view_results"))
    client.force_login(analyst)
    page.context.add_cookies(
        [{"name": "sessionid", "value": client.cookies["sessionid"].value, "url": url("/")}]
    )
    page.goto(url(reverse("surveys:staff-results", kwargs={"slug": survey.slug})))
    assert page.locator(".app-chart polyline").count() == 1  # the trend over nine months
    assert page.get_by_role("link", name="These responses, one row each (CSV)").is_visible()
    check_page(page, "survey-staff-results")

    survey.status = Survey.Status.CLOSED
    survey.save()
    page.goto(url(reverse("surveys:start", kwargs={"slug": survey.slug})))
    assert page.get_by_role("heading", name="This survey has closed").is_visible()
    check_page(page, "survey-closed")


def test_results_tables_scroll_in_their_own_region_at_320_pixels(page, url, check_page, survey):
    page.set_viewport_size({"width": 320, "height": 640})
    page.goto(url(reverse("surveys:results", kwargs={"slug": survey.slug})))
    widths = page.evaluate(
        "[document.documentElement.scrollWidth, document.documentElement.clientWidth]"
    )
    assert widths[0] <= widths[1], "the whole page scrolls sideways"
    regions = page.locator(".app-table-scroll[role=region][tabindex='0']")
    assert regions.count() == page.locator("table").count() >= 2
    trend = regions.first
    assert trend.evaluate("el => el.scrollWidth > el.clientWidth")  # it scrolls, by itself
    trend.focus()  # keyboard users reach it with Tab; the browser's arrow keys then scroll it
    assert trend.evaluate("el => el === document.activeElement && el.tabIndex === 0")
    assert trend.evaluate("el => { el.scrollLeft = 40; return el.scrollLeft > 0 }")
    widths = page.evaluate(
        "[document.documentElement.scrollWidth, document.documentElement.clientWidth]"
    )
    assert widths[0] <= widths[1]
    check_page(page, "survey-results-320")


def test_back_after_sending_says_the_answers_were_sent(page, url, survey):
    page.goto(url(reverse("surveys:start", kwargs={"slug": survey.slug})))
    press(page, page.get_by_role("button", name="Start now"))
    choose(page, "Good")
    press(page, page.get_by_role("button", name="Continue"))
    for nth in range(6):
        choose(page, "Tend to agree", nth)
    press(page, page.get_by_role("button", name="Continue"))
    choose(page, "No")
    press(page, page.get_by_role("button", name="Continue"))
    press(page, page.get_by_role("button", name="Continue"))
    press(page, page.get_by_role("button", name="Send answers"))
    page.wait_for_url(re.compile(r"/confirmation/$"))
    page.go_back()
    assert page.get_by_role("heading", name="You have already sent your answers").is_visible()
    assert Response.objects.filter(is_demo=False).count() == 29
