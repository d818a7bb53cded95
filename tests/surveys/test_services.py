import datetime
import uuid

import pytest
from django.core.management import call_command

from surveys.models import Answer, Response
from surveys.services import (
    free_text_purge,
    response_submit,
    submission_allowed,
    submission_count,
)

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


def test_rate_limit_counts_each_client_separately(settings):
    settings.SURVEYS_SUBMISSIONS_PER_HOUR = 1
    submission_count("203.0.113.9")
    assert not submission_allowed("203.0.113.9")
    assert submission_allowed("203.0.113.10")


def test_submission_day_is_the_day_in_london_across_midnight_bst(confidence_survey, monkeypatch):
    # 23:30 UTC on 30 June is 00:30 on 1 July in London (BST): the response belongs to July,
    # and so to the third quarter.
    from django.utils import timezone

    monkeypatch.setattr(
        timezone, "now", lambda: datetime.datetime(2026, 6, 30, 23, 30, tzinfo=datetime.UTC)
    )
    q = question(confidence_survey, "Taking everything into account, how")
    response, _ = response_submit(
        survey=confidence_survey, token=uuid.uuid4(), answers={q: q.choices.first().pk}
    )
    assert response.submitted_on == datetime.date(2026, 7, 1)
    assert Response.objects.in_quarter(2026, 3).get() == response


def test_survey_past_its_closing_time_is_closed(confidence_survey):
    from django.utils import timezone

    confidence_survey.closes_at = timezone.now() - datetime.timedelta(minutes=1)
    confidence_survey.save()
    assert not confidence_survey.is_open()
    assert confidence_survey not in confidence_survey.__class__.objects.open()
