"""The journey never misleads: Back after sending, Change and Back around Check your answers,
short errors, page counts that stay true, number limits up front, spam checks that keep the
answers, and progress that does not linger."""

import datetime
import time

import pytest
from django.contrib.sessions.models import Session
from django.urls import reverse
from django.utils import timezone

from portal.settings import base
from surveys.journey import session_key
from surveys.models import Question, Response

from .conftest import (
    answer_confidence,
    check_url,
    choice_id,
    field,
    page_url,
    send,
    start,
)

pytestmark = pytest.mark.django_db


def test_back_after_sending_says_the_answers_were_sent_with_the_reference(
    client, confidence_survey
):
    answer_confidence(client, confidence_survey)
    send(client, confidence_survey)
    reference = Response.objects.get().reference
    for url in (check_url(confidence_survey), page_url(confidence_survey, 4)):
        page = client.get(url)  # what the browser's Back button asks for
        html = page.content.decode()
        assert page.status_code == 200
        assert "You have already sent your answers" in html and reference in html
        assert "Please start again" not in html and "not kept" not in html
    assert Response.objects.count() == 1


def test_starting_again_after_sending_is_a_new_survey(client, confidence_survey):
    answer_confidence(client, confidence_survey)
    send(client, confidence_survey)
    answer_confidence(client, confidence_survey)
    send(client, confidence_survey)
    assert Response.objects.count() == 2


def test_changing_an_answer_goes_back_to_check_your_answers(client, confidence_survey):
    answer_confidence(client, confidence_survey)
    check = client.get(check_url(confidence_survey)).content.decode()
    change = page_url(confidence_survey, 2) + "?change=1"
    assert change in check
    html = client.get(change).content.decode()
    # Back from a page opened with Change returns to Check your answers, not the page before.
    assert f'<a href="{check_url(confidence_survey)}" class="govuk-back-link">Back</a>' in html
    # Sending the page (the form posts to its own address, ?change=1 included) goes back too.
    agree = {
        f"q{q.pk}": q.choices.get(label="Strongly agree").pk
        for q in Question.objects.filter(page__survey=confidence_survey, kind="agreement")
    }
    assert client.post(change, agree).url == check_url(confidence_survey)
    assert "Strongly agree" in client.get(check_url(confidence_survey)).content.decode()


def test_check_your_answers_has_a_back_link_to_the_last_page(client, confidence_survey):
    answer_confidence(client, confidence_survey)
    html = client.get(check_url(confidence_survey)).content.decode()
    assert f'<a href="{page_url(confidence_survey, 4)}" class="govuk-back-link">Back</a>' in html


def test_errors_are_short_and_name_the_question(client, confidence_survey):
    start(client, confidence_survey)
    client.post(
        page_url(confidence_survey, 1),
        {
            field(confidence_survey, "Taking everything into account, how"): choice_id(
                confidence_survey, "Taking everything into account, how", "Good"
            )
        },
    )
    html = client.post(page_url(confidence_survey, 2), {}).content.decode()
    assert ">Select how much you agree that they can be relied on</a>" in html
    assert ">Select how much you agree that they treat everyone fairly</a>" in html
    assert html.count("govuk-error-message") == 6


def test_page_counts_only_where_every_resident_sees_the_same_pages(
    client, confidence_survey, victim_survey
):
    start(client, confidence_survey)
    assert "page 1 of 4" in client.get(page_url(confidence_survey, 1)).content.decode()
    start_page = client.get(reverse("surveys:start", kwargs={"slug": victim_survey.slug}))
    assert "up to 4 pages of questions, depending on your answers" in start_page.content.decode()
    start(client, victim_survey)
    first = client.get(page_url(victim_survey, 1)).content.decode()
    assert " of 3<" not in first and " of 4<" not in first and "page 1 of" not in first
    reason = field(victim_survey, "What was the main reason")
    victim = choice_id(
        victim_survey, "What was the main reason", "Reporting a crime of which you were the victim"
    )
    client.post(page_url(victim_survey, 1), {reason: victim})
    assert "page 2 of" not in client.get(page_url(victim_survey, 2)).content.decode()


def test_number_limits_are_in_the_hint_before_any_error(client, victim_survey):
    reason = field(victim_survey, "What was the main reason")
    victim = choice_id(
        victim_survey, "What was the main reason", "Reporting a crime of which you were the victim"
    )
    start(client, victim_survey)
    client.post(page_url(victim_survey, 1), {reason: victim})
    html = client.get(page_url(victim_survey, 3)).content.decode()
    assert "govuk-error-message" not in html
    assert 'class="govuk-hint">Enter a whole number from 0 to 100.<' in html.replace("\n", "")


def test_answers_are_kept_when_a_spam_check_says_no(client, confidence_survey, settings):
    answer_confidence(client, confidence_survey)
    assert send(client, confidence_survey, website="x").status_code == 400
    assert session_key(confidence_survey) in client.session
    settings.SURVEYS_SUBMISSIONS_PER_HOUR = 0
    assert send(client, confidence_survey).status_code == 429
    assert session_key(confidence_survey) in client.session
    settings.SURVEYS_SUBMISSIONS_PER_HOUR = 100
    assert send(client, confidence_survey).status_code == 302
    assert Response.objects.count() == 1


def test_a_library_or_meeting_venue_is_not_turned_away():
    """Forty people at a meeting on the venue's Wi-Fi can all send their answers."""
    assert base.SURVEYS_SUBMISSIONS_PER_HOUR >= 60


def test_many_residents_on_one_connection_are_accepted(client, confidence_survey):
    for _ in range(40):
        client.cookies.clear()
        answer_confidence(client, confidence_survey)
        assert send(client, confidence_survey).status_code == 302
    assert Response.objects.count() == 40


def test_progress_left_too_long_is_forgotten(client, confidence_survey, settings):
    answer_confidence(client, confidence_survey)
    session = client.session
    progress = session[session_key(confidence_survey)]
    progress["touched"] = time.time() - settings.SESSION_COOKIE_AGE - 1
    session[session_key(confidence_survey)] = progress
    session.save()
    response = client.get(check_url(confidence_survey), follow=True)
    assert "left the survey for more than 4 hours" in response.content.decode()
    assert session_key(confidence_survey) not in client.session


def test_expired_sessions_are_deleted_when_residents_start_surveys(client, confidence_survey):
    from django.contrib.sessions.backends.db import SessionStore

    abandoned = SessionStore()
    abandoned[session_key(confidence_survey)] = {"answers": {"1": "my words"}}
    abandoned.create()
    Session.objects.filter(session_key=abandoned.session_key).update(
        expire_date=timezone.now() - datetime.timedelta(minutes=1)
    )
    start(client, confidence_survey)
    assert not Session.objects.filter(session_key=abandoned.session_key).exists()
    assert Session.objects.count() == 1  # the resident's own


def test_privacy_notice_says_how_long_progress_is_kept_and_how_results_are_protected(
    client, settings
):
    html = client.get(reverse("privacy")).content.decode()
    assert f"forgotten {settings.SESSION_COOKIE_AGE // 3600} hours after your last answer" in html
    assert "deleted from our systems within a day" in html
    assert "rounded to the nearest 5" in html and "fewer than 10" in html
    assert "Office for National Statistics" in html
