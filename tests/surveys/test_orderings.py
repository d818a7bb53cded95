"""Questions, pages and choices come in the order staff set, without a default ordering that
joins other tables to sort one question's choices."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from surveys.models import Question
from surveys.results import survey_questions
from tests.factories import (
    ChoiceFactory,
    QuestionFactory,
    SurveyFactory,
    SurveyPageFactory,
    UserFactory,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def survey():
    """Two pages whose questions were added out of order, so only the orderings sort them."""
    survey = SurveyFactory(title="Feeling safe")
    second = SurveyPageFactory(survey=survey, order=2, title="About you")
    first = SurveyPageFactory(survey=survey, order=1, title="Your area")
    QuestionFactory(page=second, order=1, text="How old are you?")
    QuestionFactory(page=first, order=2, text="Do you feel safe at night?")
    QuestionFactory(page=first, order=1, text="Do you feel safe by day?")
    return survey


def test_a_surveys_questions_come_page_by_page_in_their_order(survey):
    assert [question.text for question in survey_questions(survey)] == [
        "Do you feel safe by day?",
        "Do you feel safe at night?",
        "How old are you?",
    ]


def test_one_questions_choices_are_read_from_one_table_in_their_order():
    question = QuestionFactory()
    for order, label in [(3, "Poor"), (1, "Excellent"), (2, "Good")]:
        ChoiceFactory(question=question, order=order, label=label)
    with CaptureQueriesContext(connection) as captured:
        labels = [choice.label for choice in question.choices.all()]
    assert labels == ["Excellent", "Good", "Poor"]
    assert "JOIN" not in captured.captured_queries[0]["sql"].upper()


def test_the_admin_lists_questions_survey_by_survey_in_the_order_they_are_asked(client, survey):
    other = SurveyFactory(title="After a crime")
    QuestionFactory(page=SurveyPageFactory(survey=other, order=1), text="Were you kept informed?")
    client.force_login(UserFactory(is_superuser=True))
    page = client.get(reverse("admin:surveys_question_changelist")).content.decode()
    texts = [question.text for question in Question.objects.all()]
    positions = [page.index(text) for text in texts]
    in_order = [texts[positions.index(position)] for position in sorted(positions)]
    assert in_order == [
        "Were you kept informed?",
        "Do you feel safe by day?",
        "Do you feel safe at night?",
        "How old are you?",
    ]
