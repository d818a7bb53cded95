"""Many submissions at once, with duplicates, against PostgreSQL: each distinct one is stored
exactly once. SQLite serialises writers, so the race this guards against cannot happen there."""

import contextlib
import threading
import uuid
from concurrent.futures import ThreadPoolExecutor

import pytest
from django.db import connection

from surveys.models import Answer, Question, Response, Survey
from surveys.seed import PUBLIC_CONFIDENCE, survey_create
from surveys.services import response_submit

DISTINCT = 40
COPIES = 3
THREADS = 16


@pytest.mark.django_db(transaction=True)
def test_concurrent_submissions_with_duplicates_store_each_once():
    if connection.vendor != "postgresql":
        pytest.skip("needs PostgreSQL (set DATABASE_URL)")
    survey = survey_create(description=PUBLIC_CONFIDENCE, status=Survey.Status.OPEN)
    headline = Question.objects.get(page__survey=survey, headline=True)
    choices = list(headline.choices.values_list("pk", flat=True))
    tokens = [uuid.uuid4() for _ in range(DISTINCT)]
    jobs = [(token, choices[index % len(choices)]) for index, token in enumerate(tokens)] * COPIES
    barrier = threading.Barrier(THREADS)

    def submit(job):
        token, choice = job
        try:
            with contextlib.suppress(threading.BrokenBarrierError):
                barrier.wait(timeout=5)
            response, created = response_submit(
                survey=survey, token=token, answers={headline: choice}
            )
            return token, response.pk, created
        finally:
            connection.close()

    with ThreadPoolExecutor(max_workers=THREADS) as pool:
        results = list(pool.map(submit, jobs))

    assert Response.objects.filter(survey=survey).count() == DISTINCT
    assert Answer.objects.filter(response__survey=survey).count() == DISTINCT
    assert sum(created for _, _, created in results) == DISTINCT
    # Every copy of a submission was told about the same stored response.
    by_token = {}
    for token, pk, _ in results:
        by_token.setdefault(token, set()).add(pk)
    assert all(len(pks) == 1 for pks in by_token.values())
