"""A survey cannot open broken: every question type renders for residents, hint or not, and
opening a survey that residents could not finish is refused with what to fix."""

import pytest
from django.urls import reverse

from surveys.checks import survey_problems
from surveys.models import Choice, Question, Survey
from tests.admin_pages import admin_form_data, change_form_data, change_url
from tests.factories import (
    AnswerFactory,
    ChoiceFactory,
    QuestionFactory,
    SurveyFactory,
    SurveyPageFactory,
)

from .conftest import page_url, start

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize("kind", Question.Kind.values)
@pytest.mark.parametrize("hint", ["", "Think about the last year."])
def test_every_question_type_renders_for_residents_with_or_without_a_hint(client, kind, hint):
    question = QuestionFactory(kind=kind, help_text=hint, text="What do you think?")
    if question.has_choices:
        ChoiceFactory(question=question, label="Yes")
        ChoiceFactory(question=question, label="No")
    survey = question.page.survey
    assert survey_problems(survey) == []
    start(client, survey)
    page = client.get(page_url(survey, 1))
    assert page.status_code == 200
    assert "What do you think?" in page.content.decode()
    if hint:
        assert hint in page.content.decode()


def test_opening_a_survey_with_a_choice_question_without_choices_is_refused(
    client, force_administrator
):
    survey = SurveyFactory(status=Survey.Status.DRAFT, title="Night-time economy")
    about = SurveyPageFactory(survey=survey, title="About you", order=1)
    QuestionFactory(page=about, kind=Question.Kind.SINGLE, text="How often do you go out?")
    page = client.get(change_url(survey))
    response = client.post(change_url(survey), {**change_form_data(page), "status": "open"})
    text = response.content.decode()
    assert response.status_code == 200
    assert "This survey cannot open until these are fixed" in text
    assert "“How often do you go out?” (page “About you”) needs at least 2 answers" in text
    survey.refresh_from_db()
    assert survey.status == Survey.Status.DRAFT


def test_a_condition_on_a_later_page_is_refused_on_opening():
    survey = SurveyFactory(status=Survey.Status.DRAFT)
    first = SurveyPageFactory(survey=survey, order=1)
    second = SurveyPageFactory(survey=survey, order=2)
    later = QuestionFactory(page=second, text="Later?")
    ChoiceFactory(question=later), ChoiceFactory(question=later)
    follow = QuestionFactory(page=first, kind=Question.Kind.SHORT_TEXT, text="Why?")
    follow.show_if.set([later.choices.first()])
    assert any("same or a later page" in problem for problem in survey_problems(survey))


def test_a_survey_that_works_opens(client, force_administrator):
    question = QuestionFactory(page__survey__status=Survey.Status.DRAFT)
    ChoiceFactory(question=question), ChoiceFactory(question=question)
    survey = question.page.survey
    page = client.get(change_url(survey))
    response = client.post(change_url(survey), {**change_form_data(page), "status": "open"})
    assert response.status_code == 302
    survey.refresh_from_db()
    assert survey.status == Survey.Status.OPEN


def test_an_agreement_question_fills_in_its_scale(client, force_administrator):
    page = SurveyPageFactory(survey__status=Survey.Status.DRAFT)
    response = client.post(
        reverse("admin:surveys_question_add"),
        admin_form_data(
            {
                "page": page.pk,
                "text": "The police deal with the things that matter to this community",
                "help_text": "",
                "kind": Question.Kind.AGREEMENT,
                "required": "on",
                "order": "1",
                "max_length": "",
                "min_value": "",
                "max_value": "",
            },
            choices=[],
        ),
    )
    assert response.status_code == 302, response.content.decode()
    labels = list(Choice.objects.order_by("order").values_list("label", flat=True))
    assert labels[0] == "Strongly agree" and "Strongly disagree" in labels
    assert survey_problems(page.survey) == []


def test_text_questions_have_no_choices_table(client, force_administrator):
    question = QuestionFactory(kind=Question.Kind.NUMBER)
    assert "choices-TOTAL_FORMS" not in client.get(change_url(question)).content.decode()
    single = QuestionFactory(kind=Question.Kind.SINGLE)
    assert "choices-TOTAL_FORMS" in client.get(change_url(single)).content.decode()


def test_bulk_deleting_an_answered_question_says_why_in_plain_words(client, force_administrator):
    answered = AnswerFactory().question
    response = client.post(
        reverse("admin:surveys_question_changelist"),
        {"action": "delete_selected", "_selected_action": [answered.pk]},
        follow=True,
    )
    text = response.content.decode()
    assert "Nothing was deleted. People have already answered" in text
    assert "permission" not in text.lower().split("nothing was deleted")[1][:300]
    assert Question.objects.filter(pk=answered.pk).exists()


def test_renaming_an_answered_choice_needs_same_meaning_ticked(client, force_administrator):
    answer = AnswerFactory(choice__label="Never")
    question, choice = answer.question, answer.choice
    page = client.get(change_url(question))
    data = change_form_data(page)
    row = next(key for key, value in data.items() if value == "Never").rsplit("-", 1)[0]
    refused = client.post(change_url(question), {**data, f"{row}-label": "Every night"})
    assert "1 person chose “Never”" in refused.content.decode()
    choice.refresh_from_db()
    assert choice.label == "Never"

    fixed = {**data, f"{row}-label": "Never at all", f"{row}-same_meaning": "on"}
    assert client.post(change_url(question), fixed).status_code == 302
    choice.refresh_from_db()
    assert choice.label == "Never at all"


def test_closing_warns_when_residents_are_part_way_through(client, force_administrator):
    question = QuestionFactory(text="How safe do you feel?")
    ChoiceFactory(question=question), ChoiceFactory(question=question)
    survey = question.page.survey
    resident = type(client)()
    start(resident, survey)

    page = client.get(change_url(survey))
    refused = client.post(change_url(survey), {**change_form_data(page), "status": "closed"})
    assert "1 person is part-way through this survey" in refused.content.decode()
    survey.refresh_from_db()
    assert survey.status == Survey.Status.OPEN

    anyway = {**change_form_data(page), "status": "closed", "close_anyway": "on"}
    assert client.post(change_url(survey), anyway).status_code == 302
    survey.refresh_from_db()
    assert survey.status == Survey.Status.CLOSED
