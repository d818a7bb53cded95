"""Who reads which staff results: team editors their own team's, when the survey allows it;
written answers for those allowed; exports that say, in their name and first line, which
filters made them."""

import csv
import datetime
import io
import uuid

import pytest
from django.urls import reverse

from surveys.models import Question
from surveys.services import free_text_purge, response_submit
from tests.factories import (
    ChoiceFactory,
    QuestionFactory,
    SurveyFactory,
    SurveyPageFactory,
    TeamEditorFactory,
    TeamFactory,
)

pytestmark = pytest.mark.django_db

RESULT_NAMES = ["surveys:staff-results", "surveys:staff-results-csv", "surveys:staff-responses-csv"]


@pytest.fixture
def two_teams(db):
    """A survey answered in Harlow (3 people, one wrote "Speeding on Fore Street") and in
    Braintree (2 people, one wrote "Braintree secret"), in July and October 2026."""
    survey = SurveyFactory(slug="feeling-safe", title="Feeling safe")
    page = SurveyPageFactory(survey=survey, order=1)
    safe = QuestionFactory(page=page, text="Safe?", kind=Question.Kind.SINGLE, order=1)
    yes, no = ChoiceFactory(question=safe, label="Yes"), ChoiceFactory(question=safe, label="No")
    age = QuestionFactory(page=page, text="Age?", kind=Question.Kind.NUMBER, order=2)
    note = QuestionFactory(page=page, text="Anything else?", kind=Question.Kind.LONG_TEXT, order=3)
    where = QuestionFactory(page=page, text="Where?", kind=Question.Kind.WHERE, order=4)
    harlow = TeamFactory(name="Harlow", slug="harlow")
    braintree = TeamFactory(name="Braintree", slug="braintree")
    july, october = datetime.date(2026, 7, 10), datetime.date(2026, 10, 10)

    def send(team, choice, day, more=None):
        response_submit(
            survey=survey,
            token=uuid.uuid4(),
            answers={safe: choice.pk, where: team.pk, **(more or {})},
            submitted_on=day,
        )

    send(harlow, yes, july, {note: "Speeding on Fore Street", age: 30})
    send(harlow, yes, july, {age: 50})
    send(harlow, no, october)
    send(braintree, no, july, {note: "Braintree secret"})
    send(braintree, no, october)
    return survey, harlow, braintree


def harlow_editor(harlow):
    return TeamEditorFactory(username="harlow-editor", teams=[harlow])


def url(name, survey, query=""):
    return reverse(name, kwargs={"slug": survey.slug}) + query


def csv_rows(response) -> list[list[str]]:
    content = (
        b"".join(response.streaming_content) if response.streaming else response.content
    ).decode()
    return list(csv.reader(io.StringIO(content)))


def test_team_editors_read_nothing_unless_the_survey_allows_it(client, two_teams):
    survey, harlow, _ = two_teams
    client.force_login(harlow_editor(harlow))
    assert "Feeling safe" not in client.get(reverse("surveys:staff-list")).content.decode()
    for name in RESULT_NAMES:
        assert client.get(url(name, survey)).status_code == 403


def test_a_team_editor_reads_only_their_teams_results(client, two_teams):
    survey, harlow, braintree = two_teams
    survey.team_editors_read_results = True
    survey.save()
    client.force_login(harlow_editor(harlow))
    assert "Feeling safe" in client.get(reverse("surveys:staff-list")).content.decode()

    html = client.get(url("surveys:staff-results", survey)).content.decode()
    assert "3 people answered in the Harlow area" in html
    assert "Speeding on Fore Street" in html
    assert "Braintree secret" not in html
    assert ">All teams</option>" not in html and 'value="braintree"' not in html

    rows = csv_rows(client.get(url("surveys:staff-responses-csv", survey)))
    assert rows[0][1] == "Team: Harlow"
    assert len(rows) == 2 + 3
    assert all(row[2] == "Harlow" for row in rows[2:])
    results = csv_rows(client.get(url("surveys:staff-results-csv", survey)))
    assert results[0][1] == "Team: Harlow"
    assert ["Safe?", "No", "1", "33.3", ""] in results


@pytest.mark.parametrize("name", RESULT_NAMES)
@pytest.mark.parametrize("query", ["?team=braintree", "?team=braintree&quarter=2026-Q3"])
def test_a_team_editor_cannot_ask_for_another_teams_results(client, two_teams, name, query):
    survey, harlow, _ = two_teams
    survey.team_editors_read_results = True
    survey.save()
    client.force_login(harlow_editor(harlow))
    assert client.get(url(name, survey, query)).status_code == 404


@pytest.mark.parametrize("name", RESULT_NAMES)
def test_a_team_editor_asking_for_all_teams_gets_their_own(client, two_teams, name):
    survey, harlow, _ = two_teams
    survey.team_editors_read_results = True
    survey.save()
    client.force_login(harlow_editor(harlow))
    response = client.get(url(name, survey, "?team=&quarter="))
    assert response.status_code == 200
    body = str(csv_rows(response)) if name.endswith("csv") else response.content.decode()
    assert "Harlow" in body
    assert "Braintree" not in body


def test_force_administrators_read_every_team(client, two_teams, force_administrator):
    survey, *_ = two_teams
    html = client.get(url("surveys:staff-results", survey)).content.decode()
    assert "5 people answered." in html
    assert ">All teams</option>" in html
    assert "Speeding on Fore Street" in html and "Braintree secret" in html
    braintree = client.get(url("surveys:staff-results", survey, "?team=braintree")).content
    assert "Braintree secret" in braintree.decode()
    assert "Speeding on Fore Street" not in braintree.decode()


def test_the_force_controls_the_setting_in_the_admin(client, two_teams, force_administrator):
    survey, *_ = two_teams
    page = client.get(reverse("admin:surveys_survey_change", args=[survey.pk])).content.decode()
    assert "Team editors may read their team&#x27;s results" in page


def test_exports_name_and_state_their_filters(client, two_teams, staff_viewer):
    survey, *_ = two_teams
    client.force_login(staff_viewer)
    query = "?team=harlow&quarter=2026-Q3"
    responses = client.get(url("surveys:staff-responses-csv", survey, query))
    assert "feeling-safe-responses-harlow-2026-q3-" in responses["Content-Disposition"]
    rows = csv_rows(responses)
    assert rows[0][:3] == [
        "Feeling safe: responses",
        "Team: Harlow",
        "Quarter: July to September 2026",
    ]
    assert len(rows) == 2 + 2  # the two July answers from Harlow, not October's
    assert {row[1] for row in rows[2:]} == {"2026-07-10"}

    results = client.get(url("surveys:staff-results-csv", survey, query))
    assert "feeling-safe-results-harlow-2026-q3-" in results["Content-Disposition"]
    assert csv_rows(results)[0][1:3] == ["Team: Harlow", "Quarter: July to September 2026"]

    every = client.get(url("surveys:staff-results-csv", survey))
    assert "feeling-safe-results-all-teams-all-quarters-" in every["Content-Disposition"]
    html = client.get(url("surveys:staff-results", survey, query)).content.decode()
    assert "responses.csv?team=harlow&amp;quarter=2026-Q3" in html


def test_the_number_average_has_its_own_column(client, two_teams, staff_viewer):
    survey, *_ = two_teams
    client.force_login(staff_viewer)
    rows = csv_rows(client.get(url("surveys:staff-results-csv", survey)))
    assert rows[1] == [
        "question",
        "answer",
        "people",
        "percent of those who answered",
        "average answer",
    ]
    assert ["Age?", "everyone who answered", "2", "", "40.0"] in rows


def test_the_filter_names_in_the_first_line_cannot_become_formulas(client, staff_viewer):
    survey = SurveyFactory(slug="plain", title="=cmd|' /C calc'!A0")
    client.force_login(staff_viewer)
    rows = csv_rows(client.get(url("surveys:staff-results-csv", survey)))
    assert rows[0][0].startswith("'=cmd")


def test_written_answers_are_escaped_and_only_those_kept(client, two_teams, staff_viewer):
    survey, harlow, _ = two_teams
    note = survey.pages.first().questions.get(text="Anything else?")
    response_submit(survey=survey, token=uuid.uuid4(), answers={note: "<script>alert(1)</script>"})
    old = datetime.date.today() - datetime.timedelta(days=survey.free_text_retention_days + 1)
    response_submit(survey=survey, token=uuid.uuid4(), answers={note: "Too old"}, submitted_on=old)
    client.force_login(staff_viewer)
    html = client.get(url("surveys:staff-results", survey)).content.decode()
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in html
    assert "<script>alert(1)" not in html
    assert "Too old" not in html  # past its retention, even before the purge has run
    survey.free_text_retention_days = 30
    survey.save()
    free_text_purge()
    html = client.get(url("surveys:staff-results", survey)).content.decode()
    assert "Speeding on Fore Street" not in html
    assert "alert(1)" in html


def test_many_written_answers_show_the_latest_and_say_how_many(client, staff_viewer):
    survey = SurveyFactory(slug="many")
    note = QuestionFactory(
        page=SurveyPageFactory(survey=survey), text="Tell us", kind=Question.Kind.SHORT_TEXT
    )
    for number in range(30):
        response_submit(
            survey=survey,
            token=uuid.uuid4(),
            answers={note: f"Comment number {number}."},
            submitted_on=datetime.date.today() - datetime.timedelta(days=30 - number),
        )
    client.force_login(staff_viewer)
    html = client.get(url("surveys:staff-results", survey)).content.decode()
    assert "The 25 most recent of 30 written answers kept" in html
    assert "Comment number 29." in html and "Comment number 4." not in html


def test_the_public_never_read_written_answers(client, two_teams):
    survey, *_ = two_teams
    survey.results_public = True
    survey.save()
    page = client.get(reverse("surveys:results", kwargs={"slug": survey.slug}))
    assert page.status_code == 200
    assert "Speeding on Fore Street" not in page.content.decode()


def test_the_admin_home_links_an_editor_to_their_teams_results(client, two_teams):
    survey, harlow, _ = two_teams
    client.force_login(harlow_editor(harlow))
    assert reverse("surveys:staff-list") not in client.get(reverse("admin:index")).content.decode()
    survey.team_editors_read_results = True
    survey.save()
    home = client.get(reverse("admin:index")).content.decode()
    assert reverse("surveys:staff-list") in home
    assert "Read your team's survey results" in home
