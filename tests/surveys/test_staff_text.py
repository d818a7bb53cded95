"""Whatever staff type into a survey is shown to residents as text, never as markup: a question
holding a <meta refresh>, a script, an image with onerror or a javascript: link must not act."""

import csv
import io
import re
import uuid

import pytest
from django.urls import reverse

from surveys.models import Choice, Page, Question, Survey
from surveys.services import response_submit
from tests.factories import TeamFactory

from .conftest import start, token_from

pytestmark = pytest.mark.django_db

HOSTILE = {
    "script": "<script>alert(1)</script>",
    "img": '<img src=x onerror="alert(1)">',
    "meta": '<meta http-equiv="refresh" content="2;url=https://example.com/">',
    "link": '<a href="javascript:alert(1)">Click here</a>',
}
# What each payload would look like if it reached the page as markup.
ACTIVE = ["<script>alert", "<img src=x", "<meta http-equiv", 'href="javascript:']


def hostile(field: str) -> str:
    return f"{field} " + " ".join(HOSTILE.values())


def assert_inert(html: str, *fields: str) -> None:
    for active in ACTIVE:
        assert active not in html, f"{active!r} reached the page as markup"
    for name in fields:
        # The text itself is still there for the resident to read, escaped.
        assert f"{name} &lt;script&gt;alert(1)&lt;/script&gt;" in html, name


@pytest.fixture
def hostile_survey(db):
    survey = Survey.objects.create(
        title=hostile("Title"),
        slug="hostile",
        introduction=hostile("Introduction"),
        privacy_notice=hostile("Privacy"),
        status=Survey.Status.OPEN,
        results_public=True,
        minimum_public_count=1,
    )
    page = Page.objects.create(survey=survey, title=hostile("Page"), order=1)
    single = Question.objects.create(
        page=page, text=hostile("Radios"), help_text=hostile("Hint"), kind=Question.Kind.SINGLE
    )
    choice = Choice.objects.create(question=single, label=hostile("Choice"), order=1)
    Choice.objects.create(question=single, label="Other", order=2)
    ticks = Question.objects.create(
        page=page, text=hostile("Ticks"), help_text=hostile("Tickhint"), kind=Question.Kind.MULTIPLE
    )
    tick = Choice.objects.create(question=ticks, label=hostile("Tick"), order=1)
    number = Question.objects.create(
        page=page,
        text=hostile("Number"),
        help_text=hostile("Numberhint"),
        kind=Question.Kind.NUMBER,
        min_value=0,
        max_value=10,
    )
    words = Question.objects.create(
        page=page,
        text=hostile("Words"),
        help_text=hostile("Wordshint"),
        kind=Question.Kind.LONG_TEXT,
        required=False,
    )
    where = Question.objects.create(
        page=page,
        text=hostile("Where"),
        help_text=hostile("Wherehint"),
        kind=Question.Kind.WHERE,
        required=False,
    )
    # A team's name holds at most 100 characters: two of the payloads.
    team = TeamFactory(name=f"Team {HOSTILE['script']} {HOSTILE['img']}", slug="hostile-team")
    for _ in range(3):
        response_submit(
            survey=survey,
            token=uuid.uuid4(),
            answers={single: choice.pk, ticks: [tick.pk], number: 5, words: "x", where: team.pk},
        )
    return survey, {"single": single, "choice": choice, "ticks": ticks, "tick": tick, "n": number}


def test_start_page_and_list_show_staff_text_as_text(client, hostile_survey):
    survey, _ = hostile_survey
    html = client.get(reverse("surveys:start", kwargs={"slug": survey.slug})).content.decode()
    assert_inert(html, "Title", "Introduction", "Privacy")
    assert_inert(client.get(reverse("surveys:list")).content.decode(), "Title")


def test_question_page_shows_labels_hints_and_choices_as_text(client, hostile_survey):
    survey, _ = hostile_survey
    start(client, survey)
    url = reverse("surveys:page", kwargs={"slug": survey.slug, "number": 1})
    html = client.get(url).content.decode()
    assert_inert(
        html,
        "Title",
        "Page",
        "Radios",
        "Hint",
        "Choice",
        "Ticks",
        "Tickhint",
        "Tick",
        "Number",
        "Numberhint",
        "Words",
        "Wordshint",
        "Where",
        "Wherehint",
    )
    # With errors shown (nothing answered) the labels and messages stay text too.
    assert_inert(client.post(url, {}).content.decode(), "Radios", "Hint", "Number")


def test_check_answers_and_confirmation_show_staff_text_as_text(client, hostile_survey):
    survey, q = hostile_survey
    start(client, survey)
    client.post(
        reverse("surveys:page", kwargs={"slug": survey.slug, "number": 1}),
        {
            f"q{q['single'].pk}": q["choice"].pk,
            f"q{q['ticks'].pk}": q["tick"].pk,
            f"q{q['n'].pk}": 3,
        },
    )
    check = reverse("surveys:check", kwargs={"slug": survey.slug})
    html = client.get(check).content.decode()
    assert_inert(html, "Title", "Page", "Radios", "Choice", "Ticks", "Tick", "Number")
    client.post(check, {"token": token_from(html)})
    html = client.get(reverse("surveys:confirmation", kwargs={"slug": survey.slug})).content
    assert_inert(html.decode(), "Title")


def test_results_pages_and_exports_show_staff_text_as_text(client, hostile_survey, staff_viewer):
    survey, _ = hostile_survey
    fields = ("Title", "Radios", "Choice", "Ticks", "Tick", "Number", "Words", "Team")
    html = client.get(reverse("surveys:results", kwargs={"slug": survey.slug})).content.decode()
    assert_inert(html, *fields)
    client.force_login(staff_viewer)
    html = client.get(reverse("surveys:staff-results", kwargs={"slug": survey.slug})).content
    assert_inert(html.decode(), *fields)
    assert_inert(client.get(reverse("surveys:staff-list")).content.decode(), "Title")


def test_closed_page_shows_the_title_as_text(client, hostile_survey):
    survey, _ = hostile_survey
    Survey.objects.filter(pk=survey.pk).update(status=Survey.Status.CLOSED)
    html = client.get(reverse("surveys:start", kwargs={"slug": survey.slug})).content.decode()
    assert_inert(html, "Title")


FORMULAS = ["=HYPERLINK(1)", "@SUM(1)", "-2+3", "+1", "\tx", "\rx"]


def test_every_export_cell_is_safe_from_spreadsheet_formulas(client, staff_viewer):
    """Question text (the headers), choice labels, team names and written answers all start
    with something a spreadsheet would run; none may reach the file unprefixed."""
    survey = Survey.objects.create(
        title="=Title", slug="formulas", introduction="x", privacy_notice="x", status="open"
    )
    page = Page.objects.create(survey=survey, title="=Page", order=1)
    single = Question.objects.create(page=page, text="=HYPERLINK(2)", kind=Question.Kind.SINGLE)
    choice = Choice.objects.create(question=single, label="@SUM(1)", order=1)
    number = Question.objects.create(page=page, text="-2+3", kind=Question.Kind.NUMBER)
    words = Question.objects.create(page=page, text="+Words", kind=Question.Kind.SHORT_TEXT)
    where = Question.objects.create(page=page, text="@Where", kind=Question.Kind.WHERE)
    team = TeamFactory(name="=Team", slug="formula-team")
    for formula in FORMULAS:
        response_submit(
            survey=survey,
            token=uuid.uuid4(),
            answers={single: choice.pk, number: -5, words: formula, where: team.pk},
        )
    client.force_login(staff_viewer)
    responses = client.get(reverse("surveys:staff-responses-csv", kwargs={"slug": survey.slug}))
    body = b"".join(responses.streaming_content).decode()
    results = client.get(reverse("surveys:staff-results-csv", kwargs={"slug": survey.slug}))
    for text in (body, results.content.decode()):
        rows = list(csv.reader(io.StringIO(text)))
        cells = [cell for row in rows for cell in row]
        assert "'=HYPERLINK(2)" in cells
        assert any(cell.startswith("'@SUM(1)") for cell in cells)
        for cell in cells:
            if not re.fullmatch(r"-?\d+(\.\d+)?", cell):  # a plain number is not a formula
                assert cell[:1] not in ("=", "+", "-", "@", "\t", "\r"), cell
