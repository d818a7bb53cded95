import csv
import io
import uuid

import pytest
from django.http import StreamingHttpResponse
from django.urls import reverse

from surveys.models import Question
from surveys.services import response_submit
from tests.factories import (
    ChoiceFactory,
    QuestionFactory,
    SurveyFactory,
    SurveyPageFactory,
    TeamFactory,
    UserFactory,
)

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    "name", ["surveys:staff-results", "surveys:staff-responses-csv", "surveys:staff-results-csv"]
)
def test_staff_results_need_the_permission(client, confidence_survey, staff_viewer, name):
    url = reverse(name, kwargs={"slug": confidence_survey.slug})
    anonymous = client.get(url)
    assert anonymous.status_code == 302 and reverse("admin:login") in anonymous.url
    client.force_login(UserFactory(username="clerk"))
    assert client.get(url).status_code == 403
    client.force_login(staff_viewer)
    assert client.get(url).status_code == 200


def test_staff_results_are_not_in_the_public_navigation(client, confidence_survey):
    html = client.get(reverse("home")).content.decode()
    assert reverse("surveys:staff-list") not in html


def survey_with_mixed_questions():
    survey = SurveyFactory(slug="mixed")
    page = SurveyPageFactory(survey=survey, order=1)
    colour = QuestionFactory(page=page, text="Colours?", kind=Question.Kind.MULTIPLE, order=1)
    red, blue = (
        ChoiceFactory(question=colour, label="Red"),
        ChoiceFactory(question=colour, label="Blue"),
    )
    age = QuestionFactory(page=page, text="Age?", kind=Question.Kind.NUMBER, order=2)
    note = QuestionFactory(page=page, text="Notes?", kind=Question.Kind.SHORT_TEXT, order=3)
    where = QuestionFactory(page=page, text="Where?", kind=Question.Kind.WHERE, order=4)
    return survey, colour, red, blue, age, note, where


def test_responses_csv_is_streamed_one_row_per_response(
    client, staff_viewer, django_assert_max_num_queries
):
    survey, colour, red, blue, age, note, where = survey_with_mixed_questions()
    team = TeamFactory(name="Harlow and Uttlesford", slug="harlow-uttlesford")
    first, _ = response_submit(
        survey=survey,
        token=uuid.uuid4(),
        answers={colour: [red.pk, blue.pk], age: 41, note: "Hello, world", where: team.pk},
    )
    second, _ = response_submit(survey=survey, token=uuid.uuid4(), answers={age: 7})
    for _ in range(50):
        response_submit(survey=survey, token=uuid.uuid4(), answers={colour: [red.pk]})
    client.force_login(staff_viewer)
    response = client.get(reverse("surveys:staff-responses-csv", kwargs={"slug": survey.slug}))
    assert isinstance(response, StreamingHttpResponse)
    assert response["Content-Type"].startswith("text/csv")
    assert "attachment" in response["Content-Disposition"]
    with django_assert_max_num_queries(4):  # however many responses there are
        body = b"".join(response.streaming_content).decode()
    first_line, *rows = list(csv.reader(io.StringIO(body)))
    assert first_line[1:3] == ["Team: All teams", "Quarter: All quarters"]
    assert rows[0] == [
        "reference",
        "submitted_on",
        "team",
        "demo",
        "Colours?",
        "Age?",
        "Notes?",
        "Where?",
    ]
    assert len(rows) == 53
    by_reference = {row[0]: row for row in rows[1:]}
    assert by_reference[first.reference][2:] == [
        "Harlow and Uttlesford",
        "no",
        "Red; Blue",
        "41",
        "Hello, world",
        "Harlow and Uttlesford",
    ]
    assert by_reference[second.reference][4:] == ["", "7", "", ""]


def test_results_csv_has_the_aggregated_table(client, staff_viewer):
    survey, colour, red, blue, *_ = survey_with_mixed_questions()
    for _ in range(3):
        response_submit(survey=survey, token=uuid.uuid4(), answers={colour: [red.pk]})
    response_submit(survey=survey, token=uuid.uuid4(), answers={colour: [red.pk, blue.pk]})
    client.force_login(staff_viewer)
    response = client.get(reverse("surveys:staff-results-csv", kwargs={"slug": survey.slug}))
    rows = list(csv.reader(io.StringIO(response.content.decode())))
    assert ["Colours?", "Red", "4", "100.0", ""] in rows
    assert ["Colours?", "Blue", "1", "25.0", ""] in rows


def test_written_answers_cannot_become_spreadsheet_formulas(client, staff_viewer):
    survey, colour, red, blue, age, note, where = survey_with_mixed_questions()
    response_submit(survey=survey, token=uuid.uuid4(), answers={note: '=HYPERLINK("x")'})
    client.force_login(staff_viewer)
    response = client.get(reverse("surveys:staff-responses-csv", kwargs={"slug": survey.slug}))
    rows = list(csv.reader(io.StringIO(b"".join(response.streaming_content).decode())))
    assert rows[2][6] == '\'=HYPERLINK("x")'
