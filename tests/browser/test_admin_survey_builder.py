"""How many clicks it takes a force administrator to build and open a survey in the admin.

The survey of the issue that asked for the builder: three pages, a five-choice question, a
follow-up for two of its answers, a 0-10 number and a free-text question. Typing is not counted;
every click, choice from a list and page load is. The README quotes the count.
"""

import pytest
from django.contrib.auth.models import Group
from django.urls import reverse
from playwright.sync_api import expect

from surveys.checks import survey_problems
from surveys.models import Question, Survey
from teams.models import FORCE_ADMINISTRATORS
from tests.factories import UserFactory

from .test_admin_staff import signed_in

pytestmark = pytest.mark.django_db(transaction=True)

# What the README says it takes; the test fails if the builder gets worse.
MOST_CLICKS = 17


class Counted:
    """The page, counting the clicks and choices made through it."""

    def __init__(self, page):
        self.page, self.clicks, self.loads = page, 0, 0
        page.on("load", lambda _: setattr(self, "loads", self.loads + 1))

    def click(self, locator):
        self.clicks += 1
        locator.click()

    def choose(self, field, option):
        self.clicks += 1
        self.page.locator(f"#id_{field}").select_option(label=option)

    def save(self, name="Save"):
        self.click(self.page.get_by_role("button", name=name, exact=True))


def add_question(counted, page_title, text, kind, *, first=True):
    page = counted.page
    if first:
        counted.click(page.get_by_role("link", name=f"Add a question to “{page_title}”"))
    page.locator("#id_text").fill(text)
    counted.choose("kind", kind)


def test_building_the_night_time_survey(browser, live_server, javascript):
    if not javascript:
        pytest.skip("counted with JavaScript on, as staff use the admin")
    user = UserFactory(username="force-admin")
    user.groups.add(Group.objects.get(name=FORCE_ADMINISTRATORS))
    context = signed_in(browser, live_server, user, javascript)
    page = context.new_page()
    counted = Counted(page)
    try:
        page.goto(live_server.url + reverse("admin:index"))
        counted.click(page.locator(f'a[href="{reverse("admin:surveys_survey_add")}"]'))
        page.locator("#id_title").fill("Going out at night")
        page.locator("#id_introduction").fill("Tell us how safe you feel at night.")
        page.locator("#id_privacy_notice").fill("Your answers are anonymous.")
        for index, title in enumerate(["About you", "Going out", "Your views"]):
            page.locator(f"#id_pages-{index}-title").fill(title)
        counted.save("Save and continue editing")

        add_question(
            counted, "About you", "How often do you go out at night?", "Single choice (radios)"
        )
        for index, label in enumerate(["Never", "Monthly", "Weekly", "Most nights", "Every night"]):
            page.locator(f"#id_choices-{index}-label").fill(label)
        counted.save()

        add_question(counted, "Going out", "What would make you feel safer?", "Short free text")
        for answer in ["Weekly", "Most nights"]:
            counted.click(
                page.get_by_label(f"About you › How often do you go out at night? › {answer}")
            )
        counted.save()

        add_question(counted, "Your views", "How safe do you feel, from 0 to 10?", "Number")
        page.locator("#id_min_value").fill("0")
        page.locator("#id_max_value").fill("10")
        counted.save("Save and add another")
        add_question(
            counted, "Your views", "Anything else to tell us?", "Long free text", first=False
        )
        counted.save()

        counted.choose("status", "Open")
        counted.save()
        expect(page.locator(".messagelist")).to_contain_text("was changed successfully")
    finally:
        context.close()

    survey = Survey.objects.get(title="Going out at night")
    assert survey.status == Survey.Status.OPEN
    assert survey_problems(survey) == []
    assert Question.objects.filter(page__survey=survey).count() == 4
    follow_up = Question.objects.get(page__survey=survey, text__startswith="What would")
    assert sorted(follow_up.show_if.values_list("label", flat=True)) == ["Most nights", "Weekly"]
    print(f"\nclicks: {counted.clicks}, page loads: {counted.loads}")
    assert counted.clicks <= MOST_CLICKS
