import datetime
import uuid

import pytest
from django.core.management import call_command

from surveys.models import Answer, Response
from surveys.services import free_text_purge, response_submit

from .conftest import question

pytestmark = pytest.mark.django_db


def test_same_token_twice_stores_one_response(confidence_survey):
    q = question(confidence_survey, "Taking everything into account, how")
    token = uuid.uuid4()
    first, created = response_submit(
        survey=confidence_survey, token=token, answers={q: q.choices.first().pk}
    )
    again, created_again = response_submit(
        survey=confidence_survey, token=str(token), answers={q: q.choices.last().pk}
    )
    assert created and not created_again
    assert again == first
    assert Response.objects.count() == 1
    assert Answer.objects.get().choice == q.choices.first()


def test_free_text_is_purged_after_the_retention_period(confidence_survey, capsys):
    comment = question(confidence_survey, "Is there anything")
    old, _ = response_submit(
        survey=confidence_survey,
        token=uuid.uuid4(),
        answers={comment: "Old comment"},
        submitted_on=datetime.date(2025, 1, 1),
    )
    recent, _ = response_submit(
        survey=confidence_survey,
        token=uuid.uuid4(),
        answers={comment: "Recent comment"},
        submitted_on=datetime.date(2026, 6, 1),
    )
    assert free_text_purge(today=datetime.date(2026, 7, 1)) == 1
    assert old.answers.get().text == ""
    assert recent.answers.get().text == "Recent comment"
    call_command("purge_survey_free_text")
    assert "Deleted" in capsys.readouterr().out
