import re

import pytest
from django.urls import reverse

from portal.throttle import client_key, counted
from surveys.journey import session_key
from surveys.models import Answer, Response, Survey
from tests.factories import UserFactory

from .conftest import (
    answer_confidence,
    check_url,
    choice_id,
    field,
    page_url,
    send,
    start,
    token_from,
)

pytestmark = pytest.mark.django_db


def test_list_offers_open_surveys_and_published_results(client, confidence_survey):
    Survey.objects.create(title="Secret draft", slug="draft", introduction="x", privacy_notice="x")
    page = client.get(reverse("surveys:list")).content.decode()
    assert "Public Confidence Survey" in page
    assert reverse("surveys:results", kwargs={"slug": confidence_survey.slug}) in page
    assert "Secret draft" not in page


def test_start_page_says_how_long_that_it_is_anonymous_and_the_privacy_notice(
    client, confidence_survey
):
    page = client.get(reverse("surveys:start", kwargs={"slug": confidence_survey.slug}))
    html = page.content.decode()
    assert "There are 4 pages of questions" in html
    assert "about 5 minutes" in html
    assert "It is anonymous" in html
    assert "privacy notice" in html
    assert "Start now" in html


def test_question_page_shows_page_number_back_link_and_errors(client, confidence_survey):
    start(client, confidence_survey)
    page = client.get(page_url(confidence_survey, 2)).content.decode()
    assert "page 2 of 4" in page
    assert f'href="{page_url(confidence_survey, 1)}" class="govuk-back-link"' in page

    response = client.post(page_url(confidence_survey, 1), {})
    html = response.content.decode()
    assert html.count("<title>Error: ") == 1
    assert "govuk-error-summary" in html
    # Short and specific to the question, not the question repeated.
    assert ">Select how good a job the police are doing</a>" in html
    assert "Select an answer: Taking everything" not in html


def test_complete_journey_stores_one_response_and_shows_a_reference(client, confidence_survey):
    answer_confidence(client, confidence_survey)
    check = client.get(check_url(confidence_survey)).content.decode()
    assert "Check your answers before sending them" in check
    assert "Tend to agree" in check and "Prefer not to say" in check
    assert check.count(">Change<") == 10

    response = send(client, confidence_survey)
    assert response.url == reverse("surveys:confirmation", kwargs={"slug": confidence_survey.slug})
    stored = Response.objects.get()
    confirmation = client.get(response.url).content.decode()
    assert stored.reference in confirmation
    assert stored.answers.count() == 9  # 1 + 6 + 1 + the comment; no postcode answer
    assert stored.team is None
    # The session forgets the answers once they are sent.
    assert session_key(confidence_survey) not in client.session


def test_double_submission_stores_one_response(client, confidence_survey):
    answer_confidence(client, confidence_survey)
    token = token_from(client.get(check_url(confidence_survey)).content.decode())
    first = client.post(check_url(confidence_survey), {"token": token})
    second = client.post(check_url(confidence_survey), {"token": token})
    assert Response.objects.count() == 1
    assert first.url == second.url
    assert Response.objects.get().reference in client.get(second.url).content.decode()


def test_change_link_returns_to_check_answers(client, confidence_survey):
    answer_confidence(client, confidence_survey)
    url = page_url(confidence_survey, 1) + "?change=1"
    headline = field(confidence_survey, "Taking everything into account, how")
    response = client.post(
        url, {headline: choice_id(confidence_survey, "Taking everything into account, how", "Poor")}
    )
    assert response.url == check_url(confidence_survey)
    assert "Poor" in client.get(check_url(confidence_survey)).content.decode()


def test_going_back_shows_the_earlier_answer(client, confidence_survey):
    answer_confidence(client, confidence_survey, headline="Fair")
    fair = choice_id(confidence_survey, "Taking everything into account, how", "Fair")
    page = client.get(page_url(confidence_survey, 1)).content.decode()
    checked = re.findall(r'value="(\d+)"\s+checked', page)
    assert checked == [str(fair)]


def test_conditional_victim_questions_skipped_for_others(client, victim_survey):
    reason = field(victim_survey, "What was the main reason")
    start(client, victim_survey)
    client.post(
        page_url(victim_survey, 1),
        {reason: choice_id(victim_survey, "What was the main reason", "Something else")},
    )
    page = client.get(page_url(victim_survey, 2)).content.decode()
    assert "page 2 of" not in page  # the route depends on the answers: no count

    start(client, victim_survey)
    victim = choice_id(
        victim_survey, "What was the main reason", "Reporting a crime of which you were the victim"
    )
    client.post(page_url(victim_survey, 1) + "?change=1", {reason: victim})
    page = client.get(page_url(victim_survey, 3)).content.decode()
    assert "The crime you reported" in page


def test_answers_to_skipped_questions_are_not_stored(client, victim_survey):
    reason = field(victim_survey, "What was the main reason")
    victim = choice_id(
        victim_survey, "What was the main reason", "Reporting a crime of which you were the victim"
    )
    satisfied = {
        f"q{q.pk}": q.choices.get(label="Very satisfied").pk
        for q in victim_survey.pages.get(order=2).questions.all()
    }
    start(client, victim_survey)
    client.post(page_url(victim_survey, 1), {reason: victim})
    client.post(page_url(victim_survey, 2), satisfied)
    support = field(victim_survey, "Were you given information")
    client.post(
        page_url(victim_survey, 3),
        {support: choice_id(victim_survey, "Were you given information", "Yes")},
    )
    client.post(page_url(victim_survey, 4), {})
    # They change their mind: not a victim after all, so the victim page drops out.
    other = choice_id(victim_survey, "What was the main reason", "Something else")
    response = client.post(page_url(victim_survey, 1) + "?change=1", {reason: other})
    assert response.url == check_url(victim_survey)
    assert "Victim Support" not in client.get(check_url(victim_survey)).content.decode()
    send(client, victim_survey)
    assert not Answer.objects.filter(question__text__startswith="Were you given").exists()
    assert Answer.objects.count() == 6


def test_postcode_becomes_the_team_and_is_not_kept(client, confidence_survey, chelmsford):
    response = answer_confidence(client, confidence_survey, postcode="cm11aa")
    assert response.status_code == 302
    assert "Chelmsford and Maldon area" in client.get(check_url(confidence_survey)).content.decode()
    assert "CM1" not in str(dict(client.session))
    send(client, confidence_survey)
    stored = Response.objects.get()
    assert stored.team == chelmsford
    assert not Answer.objects.filter(text__icontains="CM1").exists()


@pytest.mark.parametrize(
    ("postcode", "message"),
    [("not a postcode", "Enter a full postcode, like CM1 1AA"), ("SW1A 1AA", "in Essex")],
)
def test_bad_or_unknown_postcode_gets_a_clear_message(
    client, confidence_survey, chelmsford, postcode, message
):
    response = answer_confidence(client, confidence_survey, postcode=postcode)
    assert response.status_code == 200
    assert message in response.content.decode()


def test_survey_closed_in_the_meantime_says_so_and_keeps_nothing(client, confidence_survey):
    answer_confidence(client, confidence_survey)
    token = token_from(client.get(check_url(confidence_survey)).content.decode())
    confidence_survey.status = Survey.Status.CLOSED
    confidence_survey.save()
    response = client.post(check_url(confidence_survey), {"token": token})
    assert "This survey has closed" in response.content.decode()
    assert Response.objects.count() == 0
    assert session_key(confidence_survey) not in client.session


def test_draft_survey_is_not_found_by_the_public(client):
    Survey.objects.create(title="Draft", slug="draft", introduction="x", privacy_notice="x")
    assert client.get(reverse("surveys:start", kwargs={"slug": "draft"})).status_code == 404


def test_staff_can_preview_a_draft_without_storing_anything(client, confidence_survey):
    confidence_survey.status = Survey.Status.DRAFT
    confidence_survey.save()
    client.force_login(UserFactory(is_superuser=True))
    assert "Preview" in client.get(confidence_survey.get_absolute_url()).content.decode()
    answer_confidence(client, confidence_survey)
    send(client, confidence_survey)
    assert Response.objects.count() == 0


def test_honeypot_filled_in_is_refused(client, confidence_survey):
    answer_confidence(client, confidence_survey)
    response = send(client, confidence_survey, website="http://spam.example")
    assert response.status_code == 400
    assert "could not be accepted" in response.content.decode()
    assert Response.objects.count() == 0


def test_answers_sent_too_quickly_are_refused_with_a_message(client, confidence_survey, settings):
    settings.SURVEYS_MINIMUM_SECONDS = 600
    answer_confidence(client, confidence_survey)
    response = send(client, confidence_survey)
    assert response.status_code == 400
    assert "faster than we expect" in response.content.decode()
    assert Response.objects.count() == 0


def test_rate_limit_per_client_without_keeping_the_address(
    client, confidence_survey, settings, any_cache, cache_keys
):
    settings.SURVEYS_SUBMISSIONS_PER_HOUR = 2
    for _ in range(2):
        answer_confidence(client, confidence_survey)
        assert send(client, confidence_survey).status_code == 302
    answer_confidence(client, confidence_survey)
    response = send(client, confidence_survey)
    assert response.status_code == 429
    assert Response.objects.count() == 2
    assert counted(client_key("surveys", "127.0.0.1")) == 2
    assert cache_keys and not any("127.0.0.1" in key for key in cache_keys)


def test_submission_date_is_kept_to_the_day(client, confidence_survey):
    answer_confidence(client, confidence_survey)
    send(client, confidence_survey)
    field_names = {f.name for f in Response._meta.get_fields()}
    assert "submitted_on" in field_names
    assert not {"created_at", "ip_address", "user_agent", "user"} & field_names


def test_session_expired_asks_to_start_again(client, confidence_survey):
    response = client.get(page_url(confidence_survey, 2), follow=True)
    assert "Please start again" in response.content.decode()


def test_returning_resident_can_carry_on_or_start_again(client, confidence_survey):
    start(client, confidence_survey)
    client.post(
        page_url(confidence_survey, 1),
        {
            field(confidence_survey, "Taking everything into account, how"): choice_id(
                confidence_survey, "Taking everything into account, how", "Good"
            )
        },
    )
    start_url = reverse("surveys:start", kwargs={"slug": confidence_survey.slug})
    assert "Continue the survey" in client.get(start_url).content.decode()
    assert client.post(start_url).url == page_url(confidence_survey, 2)
    assert client.post(start_url, {"restart": "1"}).url == page_url(confidence_survey, 1)


def test_closed_survey_start_page_points_to_the_results(client, confidence_survey):
    confidence_survey.status = Survey.Status.CLOSED
    confidence_survey.save()
    html = client.get(confidence_survey.get_absolute_url()).content.decode()
    assert "This survey has closed" in html
    assert reverse("surveys:results", kwargs={"slug": confidence_survey.slug}) in html


@pytest.mark.parametrize(
    "query", ["?team=nowhere", "?quarter=2026-Q9", "?quarter=garbage&team=", "?team[]=x"]
)
def test_odd_filters_show_all_results_not_an_error(client, confidence_survey, query):
    url = reverse("surveys:results", kwargs={"slug": confidence_survey.slug}) + query
    assert client.get(url).status_code == 200


def test_tampered_token_or_page_number_is_handled(client, confidence_survey):
    answer_confidence(client, confidence_survey)
    assert client.post(check_url(confidence_survey), {"token": "nonsense"}).status_code == 302
    assert client.get(page_url(confidence_survey, 9)).status_code == 404
    assert Response.objects.count() == 0


@pytest.mark.parametrize("value", ["lots", "101", "-1"])
def test_number_out_of_bounds_gets_a_clear_message(client, victim_survey, value):
    reason = field(victim_survey, "What was the main reason")
    victim = choice_id(
        victim_survey, "What was the main reason", "Reporting a crime of which you were the victim"
    )
    start(client, victim_survey)
    client.post(page_url(victim_survey, 1), {reason: victim})
    updates = field(victim_survey, "How many times")
    response = client.post(page_url(victim_survey, 3), {updates: value})
    assert "Enter a whole number from 0 to 100" in response.content.decode()


def test_comment_over_the_limit_is_refused(client, confidence_survey):
    start(client, confidence_survey)
    comment = field(confidence_survey, "Is there anything")
    response = client.post(page_url(confidence_survey, 4), {comment: "x" * 1001})
    html = response.content.decode()
    assert "Your answer must be 1000 characters or fewer" in html
    assert "govuk-character-count" in html
