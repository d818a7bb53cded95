import uuid

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from surveys.models import Question
from surveys.services import response_submit
from tests.factories import UserFactory

from .conftest import question

pytestmark = pytest.mark.django_db


@pytest.fixture
def answered(confidence_survey):
    q = question(confidence_survey, "Taking everything into account, how")
    response_submit(survey=confidence_survey, token=uuid.uuid4(), answers={q: q.choices.first().pk})
    return q


def test_answered_question_cannot_be_deleted_or_change_type(client, answered):
    client.force_login(UserFactory(is_superuser=True))
    change = client.get(reverse("admin:surveys_question_change", args=[answered.pk]))
    html = change.content.decode()
    assert "People have already answered this survey" in html
    assert 'name="kind"' not in html  # shown read only
    delete = client.post(
        reverse("admin:surveys_question_delete", args=[answered.pk]), {"post": "yes"}
    )
    assert delete.status_code == 403
    assert Question.objects.filter(pk=answered.pk).exists()


def test_model_refuses_a_type_change_once_answered(answered):
    answered.kind = Question.Kind.SHORT_TEXT
    with pytest.raises(ValidationError, match="already answered"):
        answered.full_clean()


def test_unanswered_question_can_still_be_changed(client, confidence_survey):
    q = question(confidence_survey, "Taking everything into account, how")
    client.force_login(UserFactory(is_superuser=True))
    html = client.get(reverse("admin:surveys_question_change", args=[q.pk])).content.decode()
    assert 'name="kind"' in html


def test_survey_admin_pages_render(client, confidence_survey):
    client.force_login(UserFactory(is_superuser=True))
    for url in [
        reverse("admin:surveys_survey_changelist"),
        reverse("admin:surveys_survey_change", args=[confidence_survey.pk]),
        reverse("admin:surveys_response_changelist"),
        reverse("admin:surveys_question_changelist"),
    ]:
        assert client.get(url).status_code == 200, url
