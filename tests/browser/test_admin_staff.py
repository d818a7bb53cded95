"""Staff in the admin: two editors with one meeting open at once, and a force administrator
building a survey that cannot open broken."""

import os

import pytest
from django.conf import settings
from django.contrib.auth.models import Group
from django.test import Client
from django.urls import reverse
from playwright.sync_api import expect

from meetings.models import Meeting
from surveys.models import Question, Survey
from teams.models import FORCE_ADMINISTRATORS
from tests.factories import (
    MeetingFactory,
    OfficerFactory,
    QuestionFactory,
    TeamEditorFactory,
    TeamFactory,
    UserFactory,
)

pytestmark = pytest.mark.django_db(transaction=True)


def signed_in(browser, live_server, user, javascript):
    """A browser of its own for `user`, already signed in."""
    client = Client()
    client.force_login(user)
    context = browser.new_context(java_script_enabled=javascript, locale="en-GB")
    context.add_cookies(
        [
            {
                "name": settings.SESSION_COOKIE_NAME,
                "value": client.cookies[settings.SESSION_COOKIE_NAME].value,
                "url": live_server.url,
            }
        ]
    )
    return context


def editor(team, username, first_name):
    return TeamEditorFactory(
        username=username, first_name=first_name, last_name="Editor", teams=[team]
    )


def test_two_editors_at_once_never_undo_each_other(browser, live_server, javascript):
    team = TeamFactory(name="Tendring", slug="tendring")
    meeting = MeetingFactory(team=team, agenda="1. Welcome")
    address = live_server.url + reverse("admin:meetings_meeting_change", args=[meeting.pk])
    alice_context = signed_in(browser, live_server, editor(team, "alice", "Alice"), javascript)
    bob_context = signed_in(browser, live_server, editor(team, "bob", "Bob"), javascript)
    alice, bob = alice_context.new_page(), bob_context.new_page()
    try:
        alice.goto(address)
        bob.goto(address)

        alice.get_by_label("Status").select_option(label="Cancelled")
        alice.get_by_label("Reason").fill("The hall is flooded.")
        alice.get_by_role("button", name="Save and continue editing").click()
        expect(alice.locator(".messagelist")).to_contain_text("was changed successfully")

        bob.get_by_label("Agenda").fill("1. Welcome\n2. Speeding on the seafront")
        bob.get_by_role("button", name="Save and continue editing").click()
        expect(bob.get_by_role("heading", name="There is a problem")).to_be_visible()
        conflict = bob.locator(".edit-conflict")
        expect(conflict).to_contain_text("Alice Editor")
        expect(conflict).to_contain_text("The hall is flooded.")
        expect(bob.get_by_label("Agenda")).to_have_value("1. Welcome\n2. Speeding on the seafront")
        expect(bob.get_by_label("Status")).to_have_value("cancelled")

        bob.get_by_role("button", name="Save and continue editing").click()
        expect(bob.locator(".messagelist")).to_contain_text("was changed successfully")
    finally:
        alice_context.close()
        bob_context.close()
    meeting.refresh_from_db()
    assert meeting.status == Meeting.Status.CANCELLED
    assert meeting.status_reason == "The hall is flooded."
    assert "Speeding on the seafront" in meeting.agenda


def test_a_force_administrator_cannot_open_a_broken_survey(browser, live_server, javascript):
    user = UserFactory(username="force-admin", first_name="Fran")
    user.groups.add(Group.objects.get(name=FORCE_ADMINISTRATORS))
    question = QuestionFactory(
        page__survey__status=Survey.Status.DRAFT,
        page__survey__title="Night-time economy",
        page__title="About you",
        kind=Question.Kind.SINGLE,
        text="How often do you go out?",
    )
    survey = question.page.survey
    context = signed_in(browser, live_server, user, javascript)
    page = context.new_page()
    try:
        page.goto(live_server.url + reverse("admin:index"))
        page.get_by_role("link", name="Read the results of every survey").wait_for()
        changelist = reverse("admin:surveys_survey_changelist")
        page.locator(f'#content-main a[href="{changelist}"]').first.click()
        page.get_by_role("link", name="Night-time economy").click()

        page.get_by_label("Status").select_option(label="Open")
        page.get_by_role("button", name="Save and continue editing").click()
        summary = page.locator(".error-summary")
        expect(summary).to_contain_text("This survey cannot open until these are fixed")
        expect(summary).to_contain_text("needs at least 2 answers")
        summary.get_by_role("link").first.click()
        if javascript:
            expect(page.get_by_label("Status")).to_be_focused()
    finally:
        context.close()
    survey.refresh_from_db()
    assert survey.status == Survey.Status.DRAFT


# What sticks out past 1280 px, to say in a failure.
WIDER_THAN_1280 = """[...document.querySelectorAll("#content-main *")]
    .filter(element => element.getBoundingClientRect().right > 1280)
    .slice(0, 8)
    .map(element => `${element.tagName}.${element.className}`)"""


def test_an_editor_sees_their_team_page_fit_a_laptop_screen(browser, live_server, javascript):
    team = TeamFactory(name="Tendring", slug="tendring")
    for index in range(4):
        OfficerFactory(
            team=team,
            name=f"Alexandra Montgomery-Smythe {index}",
            role="Neighbourhood officer for Clacton town centre and the seafront",
        )
    context = signed_in(browser, live_server, editor(team, "alice", "Alice"), javascript)
    page = context.new_page()
    page.set_viewport_size({"width": 1280, "height": 800})
    try:
        page.goto(live_server.url + reverse("admin:teams_team_change", args=[team.pk]))
        expect(page.locator("#officers-group")).to_be_visible()
        width = page.evaluate("document.documentElement.scrollWidth")
        wide = page.evaluate(WIDER_THAN_1280)
        assert width <= 1280, f"the team page is {width} px wide at 1280 px: {wide}"
        # Another team's record: a clear answer, not "doesn't exist".
        theirs = OfficerFactory(team=TeamFactory(name="Uttlesford", slug="uttlesford"))
        response = page.goto(
            live_server.url + reverse("admin:teams_officer_change", args=[theirs.pk])
        )
        assert response.status == 403
        expect(page.get_by_role("heading", level=1)).to_have_text("This belongs to another team")
    finally:
        context.close()


def test_an_editor_gives_an_officer_a_photo_and_their_wards(
    browser, live_server, javascript, tmp_path
):
    from PIL import Image

    from tests.factories import DistrictFactory, WardFactory

    team = TeamFactory(name="Colchester", slug="colchester")
    district = DistrictFactory(team=team)
    WardFactory(district=district, name="Castle")
    WardFactory(district=DistrictFactory(team=TeamFactory(name="Tendring")), name="Seafront")
    officer = OfficerFactory(team=team, name="Uma Marchant")
    good, bad = tmp_path / "uma.jpg", tmp_path / "notes.jpg"
    Image.new("RGB", (1200, 1600), (29, 112, 184)).save(good, format="JPEG")
    bad.write_bytes(b"not a photo")
    context = signed_in(browser, live_server, editor(team, "cara", "Cara"), javascript)
    page = context.new_page()
    page.set_viewport_size({"width": 1280, "height": 900})
    try:
        page.goto(live_server.url + reverse("admin:teams_officer_change", args=[officer.pk]))
        expect(page.get_by_text("Seafront")).to_have_count(0)  # another team's ward
        page.get_by_label("Role").fill("Ward officer")
        page.get_by_label("New photo").set_input_files(bad)
        page.get_by_role("button", name="Save and continue editing").click()
        expect(page.get_by_role("heading", name="There is a problem")).to_be_visible()
        expect(page.locator("body")).to_contain_text("must be a JPG, PNG or WebP image")
        expect(page.get_by_label("Role")).to_have_value("Ward officer")

        page.get_by_label("Castle").check()
        page.get_by_label("New photo").set_input_files(good)
        page.get_by_role("button", name="Save and continue editing").click()
        expect(page.locator(".messagelist")).to_contain_text("resized and its details removed")
        photo = page.get_by_role("img", name="The current photo of Uma Marchant")
        expect(photo).to_be_visible()
        assert photo.evaluate("img => img.naturalWidth") == 225
        assert page.evaluate("document.documentElement.scrollWidth") <= 1280
        if os.environ.get("SCREENSHOTS_DIR"):
            page.screenshot(path=os.path.join(os.environ["SCREENSHOTS_DIR"], "admin-officer.png"))
    finally:
        context.close()
    assert [ward.name for ward in officer.wards.all()] == ["Castle"]
