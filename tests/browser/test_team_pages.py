"""The list of teams and a team's page in a real browser, with JavaScript on and off."""

import datetime
import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone
from PIL import Image, ImageDraw
from playwright.sync_api import expect

from teams.models import Officer, OfficerPhoto, Priority
from teams.photos import prepare_photo
from tests.factories import (
    DutyPeriodFactory,
    MeetingFactory,
    OfficerFactory,
    PostcodeFactory,
    PriorityFactory,
    colchester_team,
    tendring_next_door,
)

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture
def colchester():
    team = colchester_team()
    district = team.districts.get()
    wards = list(district.wards.order_by("name"))
    for index, (easting, northing) in enumerate(
        [(599500, 225500), (600500, 225500), (600500, 226500), (601500, 224500)]
    ):
        PostcodeFactory(
            postcode=f"CO{index + 1} 1AA",
            easting=easting,
            northing=northing,
            ward=wards[index % 2],
            district=district,
        )
    team.inspector = OfficerFactory(team=team, name="Pip Vane", rank=Officer.Rank.INSPECTOR)
    team.save()
    OfficerFactory(team=team, name="Ros Dunmore", rank=Officer.Rank.SERGEANT)
    OfficerFactory(team=team, name="Uma Marchant", rank=Officer.Rank.PCSO)
    for day in range(7):
        DutyPeriodFactory(team=team, weekday=day, start=datetime.time(8), end=datetime.time(2))
    PriorityFactory(team=team, title="Speeding on the Lexden Road")
    PriorityFactory(
        team=team,
        title="Graffiti in the town centre",
        status=Priority.Status.CLOSED,
        actioned_on=datetime.date(2026, 10, 1),
        outcome="The walls were cleaned and two people were cautioned.",
        outcome_on=datetime.date(2026, 11, 1),
    )
    tendring_next_door()
    return team


def test_the_list_of_teams_leads_to_a_team(page, url, check_page, colchester):
    page.goto(url(reverse("teams:list")))
    expect(page.locator("h1")).to_have_text("Community Policing Teams")
    expect(page).to_have_title("Community Policing Teams – Essex Police Community Policing")
    expect(page.locator("#teams")).to_contain_text("Covers Colchester.")
    expect(page.locator(".app-map svg")).to_be_visible()
    check_page(page, "team-list")
    page.get_by_role("link", name="Colchester").click()
    expect(page.locator("h1")).to_have_text("Colchester Community Policing Team")


def test_an_area_on_the_essex_map_leads_to_its_team(page, url, colchester):
    page.goto(url(reverse("teams:list")))
    page.locator(f'.app-map svg a[href="{reverse("teams:detail", args=["tendring"])}"]').click()
    expect(page.locator("h1")).to_have_text("Tendring Community Policing Team")


@pytest.fixture
def at_noon(monkeypatch):
    """Today at noon in Essex, whenever the suite runs (the team's hours are 8am to 2am: run
    between 2am and 8am, the page rightly said it was off duty)."""
    noon = timezone.localtime().replace(hour=12, minute=0, second=0, microsecond=0)
    monkeypatch.setattr(timezone, "now", lambda: noon)
    return noon


def test_a_team_page_answers_a_residents_questions(page, url, check_page, colchester, at_noon):
    page.goto(url(reverse("teams:detail", args=["colchester"]) + "?postcode=co1%201aa"))
    expect(page.locator("h1")).to_have_text("Colchester Community Policing Team")
    expect(page.locator("#your-postcode")).to_have_text("Your team for CO1 1AA, in Castle ward")
    expect(page.locator("#duty-status")).to_contain_text("On duty now until 2am")
    expect(page.get_by_role("table")).to_contain_text("8am to 2am on Tuesday")
    expect(page.get_by_role("heading", name="Inspector in command")).to_be_visible()
    expect(page.get_by_role("img", name="Map of the area Colchester covers")).to_be_visible()
    expect(page.get_by_role("link", name="Safer Colchester Partnership")).to_be_visible()
    expect(
        page.locator("#glance-contact").get_by_role("link", name="colchester.team@example.org")
    ).to_be_visible()
    expect(page.locator("#last-updated")).to_contain_text("Last updated")
    # The wards are folded away, and open with or without JavaScript.
    page.get_by_text("The 2 wards in Colchester the team covers").click()
    expect(page.get_by_text("Mile End")).to_be_visible()
    check_page(page, "team-page")


def test_on_a_phone_the_contact_details_and_next_meeting_come_first(
    page, url, check_page, colchester
):
    MeetingFactory(team=colchester, title="Town centre meeting", venue_name="Moot Hall")
    page.set_viewport_size({"width": 390, "height": 844})
    page.goto(url(reverse("teams:detail", args=["colchester"]) + "?postcode=CO1%201AA"))
    expect(page.locator("#your-postcode")).to_have_text("Your team for CO1 1AA, in Castle ward")
    phone = page.get_by_role("link", name="01632 960 001").first
    expect(phone).to_have_attribute("href", "tel:01632960001")
    meeting = page.locator("#glance-meeting")
    expect(meeting).to_contain_text("Moot Hall")
    expect(meeting.get_by_role("link", name="Add to calendar")).to_be_visible()
    for part in (page.locator("#glance-contact"), meeting):
        box = part.bounding_box()
        assert box["y"] + box["height"] <= 1300, box
    page.get_by_role("navigation", name="Contents").get_by_role(
        "link", name="Where we work"
    ).click()
    expect(page.locator("#areas")).to_be_in_viewport()
    assert page.evaluate("document.documentElement.scrollWidth") <= 390
    # The map names its towns in the site font, at least 14 px on this phone.
    label = page.locator(".app-map svg text", has_text="Colchester")
    expect(label).to_have_count(1)
    shown_px = label.evaluate("t => parseFloat(t.getAttribute('font-size')) * t.getScreenCTM().a")
    assert shown_px >= 14, shown_px
    font = label.evaluate("t => getComputedStyle(t).fontFamily")
    # (GOV.UK Frontend sets the site font on its classes; the body itself keeps the browser's.)
    assert font == page.locator("#map-towns").evaluate("p => getComputedStyle(p).fontFamily")
    expect(page.locator("#map-towns")).to_have_text("Towns and villages in the area: Colchester.")
    check_page(page, "team-page-phone")


def test_an_off_duty_team_page_says_how_to_get_help(page, url, check_page, colchester, at_noon):
    colchester.duty_periods.all().delete()
    DutyPeriodFactory(team=colchester, weekday=0, start=datetime.time(3), end=datetime.time(4))
    page.goto(url(reverse("teams:detail", args=["colchester"])))
    expect(page.locator("#duty-status")).to_contain_text("Next on duty at 3am")
    expect(page.locator("#duty-status")).to_contain_text("call 999")
    check_page(page, "team-page-off-duty")


def add_photo(officer: Officer) -> None:
    """A portrait-shaped test photo: a face-coloured oval on a blue background."""
    image = Image.new("RGB", (900, 1200), (29, 112, 184))
    ImageDraw.Draw(image).ellipse((200, 150, 700, 850), fill=(224, 172, 140))
    out = io.BytesIO()
    image.save(out, format="JPEG")
    upload = SimpleUploadedFile("photo.jpg", out.getvalue(), content_type="image/jpeg")
    OfficerPhoto.objects.create(officer=officer, **prepare_photo(upload).__dict__)


@pytest.mark.parametrize("width", [390, 1280])
def test_officers_with_photos_and_initials_and_ward_officers_first(
    page, url, check_page, colchester, width
):
    add_photo(colchester.officers.get(name="Ros Dunmore"))
    castle = colchester.districts.get().wards.get(name="Castle")
    colchester.officers.get(name="Uma Marchant").wards.add(castle)
    page.set_viewport_size({"width": width, "height": 900})
    page.goto(url(reverse("teams:detail", args=["colchester"]) + "?postcode=CO1%201AA"))
    officers = page.locator("#your-ward-officers")
    expect(officers).to_have_text("Your ward officers for Castle")
    photo = page.locator("img.app-officer__photo")
    expect(photo).to_have_count(1)
    expect(photo).to_have_attribute("alt", "")  # the name is beside it
    photo.scroll_into_view_if_needed()
    page.wait_for_function(
        "() => document.querySelector('img.app-officer__photo').naturalWidth === 225"
    )
    box = photo.bounding_box()
    assert box["width"] == 64 and box["height"] == 80, box
    initials = page.locator(".app-officer__initials")
    expect(initials).to_have_text(["UM", "PV"], use_inner_text=True)
    circle = initials.first.bounding_box()
    assert circle["width"] == circle["height"] == 64, circle
    # Uma looks after Castle: first, before the Inspector, and only once.
    names = page.locator(".app-officer__name").all_inner_texts()
    assert names[0] == "Police Community Support Officer Uma Marchant", names
    assert names.count("Police Community Support Officer Uma Marchant") == 1
    assert page.evaluate("document.documentElement.scrollWidth") <= width
    page.locator("#officers").scroll_into_view_if_needed()
    check_page(page, f"team-officers-{width}")


@pytest.mark.parametrize("width", [390, 1280])
def test_the_archive_of_priorities_dealt_with(page, url, check_page, colchester, width):
    page.set_viewport_size({"width": width, "height": 900})
    page.goto(url(reverse("teams:detail", args=["colchester"])))
    page.get_by_role("link", name="The issue Colchester has dealt with").click()
    expect(page.locator("h1")).to_have_text("ColchesterIssues we have dealt with")
    card = page.locator(".govuk-summary-card", has_text="Graffiti in the town centre")
    expect(card).to_contain_text("The walls were cleaned and two people were cautioned.")
    expect(card).to_contain_text("Dealt with on 1 November 2026")
    expect(page.get_by_text("Speeding on the Lexden Road")).to_have_count(0)
    assert page.evaluate("document.documentElement.scrollWidth") <= width
    check_page(page, f"team-past-priorities-{width}")
