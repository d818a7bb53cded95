"""The running counts behind the results: kept as responses arrive, equal to counting the
answers again, put right after a bulk load or a deletion."""

import datetime
import random
import uuid

import pytest
from django.core.management import call_command
from django.urls import reverse

from surveys.management.commands.load_demo_surveys import demo_responses
from surveys.models import Question, Response
from surveys.services import response_submit
from surveys.tallies import survey_tallies, tallies_counted, tallies_rebuild
from tests.factories import TeamFactory

from .test_staff_views import survey_with_mixed_questions

pytestmark = pytest.mark.django_db


def stored_equals_counted(survey) -> bool:
    stored, counted = survey_tallies(survey.pk), tallies_counted(survey_id=survey.pk)
    nonzero = {key: count for key, count in stored.counts.items() if count}
    return nonzero == dict(counted.counts) and stored.numbers == counted.numbers


def test_counts_kept_as_responses_arrive_equal_counting_again():
    survey, colour, red, blue, age, note, where = survey_with_mixed_questions()
    team = TeamFactory()
    rng = random.Random(3)
    for day in range(40):
        answers = {colour: rng.choice([[red.pk], [blue.pk], [red.pk, blue.pk], []])}
        if rng.random() < 0.7:
            answers[age] = rng.randrange(-5, 90)
        if rng.random() < 0.5:
            answers[note] = "A comment"
        if rng.random() < 0.5:
            answers[where] = team.pk
        response_submit(
            survey=survey,
            token=uuid.uuid4(),
            answers=answers,
            submitted_on=datetime.date(2026, 1, 1) + datetime.timedelta(days=day * 5),
        )
    assert stored_equals_counted(survey)
    least = min(n.least for n in survey_tallies(survey.pk).numbers.values())
    assert least == min(
        Response.objects.filter(answers__question=age).values_list("answers__number", flat=True)
    )


def test_a_replayed_response_is_counted_once():
    survey, colour, red, *_ = survey_with_mixed_questions()
    token = uuid.uuid4()
    for _ in range(3):
        response_submit(survey=survey, token=token, answers={colour: [red.pk]})
    assert survey_tallies(survey.pk).counts[0, _quarter(), 0, 0] == 1


def _quarter():
    today = datetime.date.today()
    return datetime.date(today.year, 3 * ((today.month - 1) // 3) + 1, 1)


def test_deleted_responses_come_out_of_the_counts(django_capture_on_commit_callbacks):
    survey, colour, red, *_ = survey_with_mixed_questions()
    for _ in range(3):
        response_submit(survey=survey, token=uuid.uuid4(), answers={colour: [red.pk]})
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        Response.objects.filter(pk__in=survey.responses.values("pk")[:2]).delete()
    recounts = [c for c in callbacks if getattr(c, "survey_id", None) == survey.pk]
    assert len(recounts) == 1  # one recount for the survey, however many were deleted
    assert survey_tallies(survey.pk).counts[0, _quarter(), 0, 0] == 1
    assert stored_equals_counted(survey)


def test_demo_data_loaded_in_bulk_is_counted(confidence_survey):
    demo_responses(survey=confidence_survey, teams=[TeamFactory()], count=60, rng=random.Random(1))
    assert (
        sum(survey_tallies(confidence_survey.pk).counts[k] for k in _responses(confidence_survey))
        == 60
    )
    assert stored_equals_counted(confidence_survey)


def _responses(survey):
    return [key for key in survey_tallies(survey.pk).counts if key[2] == 0]


def test_results_pages_do_not_count_answers_again(
    client, confidence_survey, staff_viewer, django_assert_max_num_queries
):
    """However many responses there are, a results page reads the counts, not the answers."""
    demo_responses(survey=confidence_survey, teams=[TeamFactory()], count=200, rng=random.Random(2))
    tallies_rebuild(survey_id=confidence_survey.pk)
    client.force_login(staff_viewer)
    # Staff also read the latest written answers: one query for each free-text question.
    for name, most in (("surveys:results", 12), ("surveys:staff-results", 13)):
        with django_assert_max_num_queries(most):
            page = client.get(reverse(name, kwargs={"slug": confidence_survey.slug}))
        assert page.status_code == 200


def test_rebuild_command_recounts_every_survey(confidence_survey):
    response_submit(survey=confidence_survey, token=uuid.uuid4(), answers={})
    survey_tallies(confidence_survey.pk)
    confidence_survey.tallies.all().delete()
    call_command("recount_survey_results")
    assert stored_equals_counted(confidence_survey)
    assert survey_tallies(confidence_survey.pk).counts[0, _quarter(), 0, 0] == 1


def test_public_results_are_kept_until_a_response_arrives(
    client, confidence_survey, django_capture_on_commit_callbacks, django_assert_num_queries
):
    headline = confidence_survey.pages.first().questions.first()
    good = headline.choices.get(label="Good")
    url = reverse("surveys:results", kwargs={"slug": confidence_survey.slug})
    with django_capture_on_commit_callbacks(execute=True):
        for _ in range(12):
            response_submit(
                survey=confidence_survey, token=uuid.uuid4(), answers={headline: good.pk}
            )
    assert "10 people answered" in client.get(url).content.decode()
    with django_assert_num_queries(0):
        assert "10 people answered" in client.get(url).content.decode()
    with django_capture_on_commit_callbacks(execute=True):
        for _ in range(3):
            response_submit(
                survey=confidence_survey, token=uuid.uuid4(), answers={headline: good.pk}
            )
    assert "15 people answered" in client.get(url).content.decode()


def test_a_teams_results_are_kept_until_a_response_arrives(
    client,
    confidence_survey,
    chelmsford,
    django_capture_on_commit_callbacks,
    django_assert_num_queries,
):
    headline = confidence_survey.pages.first().questions.first()
    where = Question.objects.get(page__survey=confidence_survey, kind=Question.Kind.WHERE)
    good = headline.choices.get(label="Good")

    def answer(times, team):
        with django_capture_on_commit_callbacks(execute=True):
            for _ in range(times):
                answers = {headline: good.pk, where: team.pk}
                response_submit(survey=confidence_survey, token=uuid.uuid4(), answers=answers)

    answer(12, chelmsford)
    answer(12, TeamFactory())
    url = reverse("surveys:results", kwargs={"slug": confidence_survey.slug})
    team_page = {"team": chelmsford.slug, "quarter": ""}
    assert (
        "10 people answered in the Chelmsford and Maldon area"
        in client.get(url, team_page).content.decode()
    )
    with django_assert_num_queries(0):
        again = client.get(url, team_page)
    assert "10 people answered in the Chelmsford and Maldon area" in again.content.decode()
    assert "public" in again["Cache-Control"]
    # The same filters in another order are the same page; anything more is drawn afresh.
    with django_assert_num_queries(0):
        client.get(url, {"quarter": "", "team": chelmsford.slug})
    assert "private" in client.get(url, {**team_page, "utm_source": "x"})["Cache-Control"]
    answer(3, chelmsford)
    assert (
        "15 people answered in the Chelmsford and Maldon area"
        in client.get(url, team_page).content.decode()
    )


def test_results_for_odd_filters_are_not_kept(client, confidence_survey, any_cache, cache_keys):
    url = reverse("surveys:results", kwargs={"slug": confidence_survey.slug})
    client.get(url, {"team": "no-such-team", "quarter": "1900-Q1"})
    client.get(url, {"team": "", "quarter": ""})
    assert cache_keys  # the pages did use the cache
    assert not [key for key in cache_keys if "no-such-team" in key or "1900" in key]


def test_a_kept_results_page_reads_the_cache_once_and_still_shows_the_next_response(
    client,
    confidence_survey,
    any_cache,
    cache_round_trips,
    django_capture_on_commit_callbacks,
    django_assert_num_queries,
):
    headline = confidence_survey.pages.first().questions.first()
    good = headline.choices.get(label="Good")

    def answer(times):
        with django_capture_on_commit_callbacks(execute=True):
            for _ in range(times):
                response_submit(
                    survey=confidence_survey, token=uuid.uuid4(), answers={headline: good.pk}
                )

    answer(12)
    url = reverse("surveys:results", kwargs={"slug": confidence_survey.slug})
    assert "10 people answered" in client.get(url).content.decode()
    cache_round_trips.clear()
    with django_assert_num_queries(0):
        kept = client.get(url)
    # The generation and the results version in one round trip; the page is this process's copy.
    assert cache_round_trips == ["get_many"]
    assert "10 people answered" in kept.content.decode() and "public" in kept["Cache-Control"]
    answer(3)
    assert "15 people answered" in client.get(url).content.decode()
