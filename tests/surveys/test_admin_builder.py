"""Building a survey from its own page: its pages and questions in order, "Show if" offering
only this survey's earlier answers, choices only where a question has them."""

import pytest
from django.urls import reverse

from surveys.models import Question
from tests.admin_pages import admin_form_data
from tests.factories import (
    ChoiceFactory,
    QuestionFactory,
    SurveyFactory,
    SurveyPageFactory,
)

from .conftest import page_url, start

pytestmark = pytest.mark.django_db


@pytest.fixture
def two_surveys():
    ours = SurveyFactory(title="Night-time economy")
    theirs = SurveyFactory(title="Speeding")
    pages = [
        SurveyPageFactory(survey=ours, title="About you", order=1),
        SurveyPageFactory(survey=ours, title="Going out", order=2),
        SurveyPageFactory(survey=theirs, title="About you", order=1),
    ]
    how_often = QuestionFactory(page=pages[0], text="How often do you go out at night?")
    for label in ["Never", "Monthly", "Weekly"]:
        ChoiceFactory(question=how_often, label=label)
    other = QuestionFactory(page=pages[2], text="Do cars speed on your road?")
    ChoiceFactory(question=other, label="Often")
    return ours, pages


def test_the_survey_page_lists_its_pages_and_questions_with_links(
    client, force_administrator, two_surveys
):
    ours, pages = two_surveys
    text = client.get(reverse("admin:surveys_survey_change", args=[ours.pk])).content.decode()
    assert "How often do you go out at night?" in text
    assert "Do cars speed on your road?" not in text
    assert reverse("admin:surveys_question_add") + f"?page={pages[1].pk}" in text
    assert text.index("About you") < text.index("Going out")


def test_a_new_question_offers_only_this_surveys_pages_and_earlier_answers(
    client, force_administrator, two_surveys
):
    ours, pages = two_surveys
    add = reverse("admin:surveys_question_add") + f"?page={pages[1].pk}"
    text = client.get(add).content.decode()
    assert "Night-time economy › Going out" in text
    assert "Speeding › About you" not in text
    assert "About you › How often do you go out at night? › Weekly" in text
    assert "Often" not in text  # another survey's answer


def test_saving_a_question_returns_to_the_survey(client, force_administrator, two_surveys):
    ours, pages = two_surveys
    data = {
        "page": pages[1].pk,
        "text": "Where do you go?",
        "help_text": "",
        "kind": Question.Kind.SHORT_TEXT,
        "required": "on",
        "order": "1",
        "show_if": [
            str(choice.pk) for choice in pages[0].questions.get().choices.exclude(label="Never")
        ],
        "max_length": "",
        "min_value": "",
        "max_value": "",
    }
    data = admin_form_data(data, choices=[])
    response = client.post(reverse("admin:surveys_question_add"), data)
    assert response.status_code == 302
    assert response.url == reverse("admin:surveys_survey_change", args=[ours.pk])

    another = client.post(reverse("admin:surveys_question_add"), {**data, "_addanother": "1"})
    assert another.url == reverse("admin:surveys_question_add") + f"?page={pages[1].pk}"


def test_a_text_question_with_choices_typed_is_refused(client, force_administrator, two_surveys):
    ours, pages = two_surveys
    response = client.post(
        reverse("admin:surveys_question_add"),
        admin_form_data(
            {
                "page": pages[1].pk,
                "text": "Anything else?",
                "kind": Question.Kind.LONG_TEXT,
                "required": "on",
                "order": "2",
            },
            choices=[{"order": "1", "label": "Yes"}],
        ),
    )
    assert response.status_code == 200
    assert "question has no choices: clear the choices" in response.content.decode()
    assert not Question.objects.filter(text="Anything else?").exists()


def test_one_follow_up_for_two_answers_is_asked_of_both_and_no_one_else(client, two_surveys):
    ours, pages = two_surveys
    how_often = pages[0].questions.get()
    follow_up = QuestionFactory(
        page=pages[1], kind=Question.Kind.SHORT_TEXT, text="What would make you feel safer?"
    )
    follow_up.show_if.set(how_often.choices.filter(label__in=["Monthly", "Weekly"]))
    QuestionFactory(page=pages[1], kind=Question.Kind.NUMBER, text="How many times?")
    asked = {}
    for label in ["Never", "Monthly", "Weekly"]:
        client.cookies.clear()
        start(client, ours)
        client.post(page_url(ours, 1), {f"q{how_often.pk}": how_often.choices.get(label=label).pk})
        asked[label] = (
            "What would make you feel safer?" in client.get(page_url(ours, 2)).content.decode()
        )
    assert asked == {"Never": False, "Monthly": True, "Weekly": True}
