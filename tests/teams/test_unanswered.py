"""What residents could not find, counted for staff: shaped text only, by day, 90 days."""

import datetime as dt
import threading
import time
from concurrent.futures import ThreadPoolExecutor
from types import SimpleNamespace

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from portal.clock import LONDON
from teams import unanswered
from teams.answers import Answer
from teams.finder import answer
from teams.models import UnansweredQuery
from teams.places import gazetteer
from teams.unanswered import (
    unanswered_queries_flush,
    unanswered_queries_purge,
    unanswered_query_record,
)
from tests.factories import PostcodeFactory

FIND = reverse("teams:find")
pytestmark = pytest.mark.django_db


def counts():
    """What staff see once this process has written its counts."""
    unanswered_queries_flush()
    return {(q.day, q.text): q.count for q in UnansweredQuery.objects.all()}


def test_places_and_postcodes_not_found_are_counted_by_day(client):
    for typed in ["Atlantis", "atlantis ", "ATLANTIS", "ZZ1 1ZZ", "zz9"]:
        client.get(FIND, {"postcode": typed})
    texts = {text: count for (_, text), count in counts().items()}
    assert texts == {"Atlantis": 3, "ZZ1 1ZZ": 1, "ZZ9": 1}


def test_what_was_found_is_not_counted(client):
    PostcodeFactory(postcode="CM2 9AA")
    rayleigh = gazetteer().find("Rayleigh")[0]
    PostcodeFactory(postcode="SS6 7AA", easting=rayleigh.easting, northing=rayleigh.northing)
    client.get(FIND, {"postcode": "CM2 9AA"})
    client.get(FIND, {"postcode": "CM2 9AB"})  # unknown, but its sector is known
    client.get(FIND, {"postcode": "Rayleigh"})  # in the gazetteer, placed at SS6 7AA
    assert counts() == {}


@pytest.mark.parametrize(
    "typed",
    [
        "my neighbour at 12 Acacia Avenue keeps shouting",
        "someone@example.com",
        "07700 900123",
        "I live in a very long named place somewhere",
        "<script>",
    ],
)
def test_nothing_but_postcode_or_place_shaped_text_is_kept(client, typed):
    client.get(FIND, {"postcode": typed})
    assert counts() == {}


@pytest.mark.parametrize(
    ("query", "kept"),
    [("atlantis", "Atlantis"), ("St. Osyth-on-Sea", "St. Osyth-On-Sea"), ("CM¹ ¹AA", None)],
)
def test_a_place_is_kept_by_name_and_a_postcode_never_as_one(query, kept):
    """Place names are kept as words; text that is a postcode once normalised ('¹' is 1) never
    is, even in an answer about places (the finder itself answers it as a postcode)."""
    assert unanswered.query_shape(Answer("places", query=query)) == kept


@pytest.mark.parametrize(
    "day",
    [dt.date(2026, 6, 1), dt.date(2026, 3, 29), dt.date(2026, 10, 25)],
    ids=["summer", "clocks go forward", "clocks go back"],
)
def test_searches_are_counted_on_the_day_in_essex_until_its_midnight(monkeypatch, day):
    """The day is worked out once and kept until its midnight in Essex: a search a second
    before midnight counts for that day, one at midnight for the next, whatever its length."""
    monkeypatch.setitem(unanswered._last, "day", (dt.date.min, float("-inf")))
    starts = dt.datetime.combine(day, dt.time(), tzinfo=LONDON)
    ends = dt.datetime.combine(day + dt.timedelta(days=1), dt.time(), tzinfo=LONDON)
    second = dt.timedelta(seconds=1)
    for moment in [starts - second, starts, starts + second, ends - second, ends]:
        clock = SimpleNamespace(time=moment.timestamp, monotonic=time.monotonic)
        monkeypatch.setattr(unanswered, "time", clock)
        monkeypatch.setattr(timezone, "now", lambda moment=moment: moment.astimezone(dt.UTC))
        unanswered_query_record(answer=answer("Atlantis"))
    assert counts() == {
        (day - dt.timedelta(days=1), "Atlantis"): 1,
        (day, "Atlantis"): 3,
        (day + dt.timedelta(days=1), "Atlantis"): 1,
    }


def test_counts_are_kept_90_days():
    today = dt.date(2026, 6, 1)
    old = today - dt.timedelta(days=91)
    UnansweredQuery.objects.create(day=old, text="Atlantis", count=5)
    UnansweredQuery.objects.create(day=today - dt.timedelta(days=90), text="Lyonesse")
    unanswered_query_record(answer=answer("Brigadoon"), today=today)
    assert {text for _, text in counts()} == {"Lyonesse", "Brigadoon"}
    assert unanswered_queries_purge(today=today) == 0


def test_staff_see_the_counts_but_cannot_change_them(admin_client):
    UnansweredQuery.objects.create(day=dt.date(2026, 6, 1), text="Atlantis", count=7)
    url = reverse("admin:teams_unansweredquery_changelist")
    page = admin_client.get(url).content.decode()
    assert "Atlantis" in page and ">7<" in page
    assert admin_client.get(reverse("admin:teams_unansweredquery_add")).status_code == 403


def test_a_flood_of_searches_costs_no_query_until_the_counts_are_written(
    client, django_assert_num_queries, monkeypatch
):
    monkeypatch.setattr(unanswered, "FLUSH_SECONDS", 60)
    for typed in ["Atlantis", "ZZ99 9ZZ"]:  # the finder's own lists, read once a process
        client.get(FIND, {"postcode": typed})
    unanswered_queries_flush()  # and this process's counts so far written
    with django_assert_num_queries(0):
        for number in range(50):
            client.get(FIND, {"postcode": f"ZZ{number} 1ZZ"})
        client.get(FIND, {"postcode": "Atlantis"})
        client.get(FIND, {"postcode": "atlantis"})
    # Not written yet: only the searches before the flood.
    assert set(UnansweredQuery.objects.values_list("text", flat=True)) == {"Atlantis", "ZZ99 9ZZ"}
    texts = {text: count for (_, text), count in counts().items()}
    assert len(texts) == 52 and texts["Atlantis"] == 3 and texts["ZZ7 1ZZ"] == 1


def test_counts_are_written_once_the_interval_has_passed(client, monkeypatch):
    monkeypatch.setattr(unanswered, "FLUSH_SECONDS", 10)
    clock = [1000.0]
    monkeypatch.setattr(unanswered.time, "monotonic", lambda: clock[0])
    unanswered_queries_flush()
    client.get(FIND, {"postcode": "Atlantis"})
    assert UnansweredQuery.objects.count() == 0
    clock[0] += unanswered.FLUSH_SECONDS
    client.get(FIND, {"postcode": "Lyonesse"})  # due: this one writes both
    assert set(UnansweredQuery.objects.values_list("text", flat=True)) == {"Atlantis", "Lyonesse"}


def test_held_counts_are_bounded(monkeypatch):
    monkeypatch.setattr(unanswered, "FLUSH_SECONDS", 3600)
    monkeypatch.setattr(unanswered, "MAX_PENDING", 10)
    unanswered_queries_flush()
    for number in range(25):
        unanswered_query_record(answer=answer(f"ZZ{number} 9ZZ"))
        assert len(unanswered._pending) < 10
    assert UnansweredQuery.objects.count() == 20  # written twice, at ten each


def test_writing_adds_to_the_days_counts_in_one_statement():
    UnansweredQuery.objects.create(day=dt.date(2026, 6, 1), text="Atlantis", count=3)
    unanswered._last["purged"] = dt.date(2026, 6, 1)  # the day's old counts are gone already
    for _ in range(2):
        unanswered_query_record(answer=answer("Atlantis"), today=dt.date(2026, 6, 1))
    unanswered_query_record(answer=answer("Lyonesse"), today=dt.date(2026, 6, 1))
    with CaptureQueriesContext(connection) as queries:
        assert unanswered_queries_flush() == 2
    statements = [query["sql"].split()[0] for query in queries.captured_queries]
    assert [s for s in statements if s not in {"SAVEPOINT", "RELEASE"}] == ["INSERT"]
    assert counts() == {(dt.date(2026, 6, 1), "Atlantis"): 5, (dt.date(2026, 6, 1), "Lyonesse"): 1}


def test_a_failed_write_never_reaches_the_resident(client, monkeypatch, caplog):
    monkeypatch.setattr(unanswered, "UPSERT_SQL", "INSERT INTO no_such_table VALUES {rows}")
    monkeypatch.setattr(unanswered, "FLUSH_SECONDS", 0)
    page = client.get(FIND, {"postcode": "ZZ1 1ZZ"})
    assert page.status_code == 200 and "We could not find ZZ1 1ZZ" in page.content.decode()
    assert "Could not write 1 unanswered finder queries" in caplog.text
    assert UnansweredQuery.objects.count() == 0


@pytest.mark.django_db(transaction=True)
def test_workers_writing_the_same_counts_at_once_never_deadlock(caplog):
    if connection.vendor != "postgresql":
        pytest.skip("needs PostgreSQL (set DATABASE_URL): SQLite serialises writers")
    day = dt.date(2026, 6, 1)
    texts = [f"ZZ{number} 9ZZ" for number in range(200)]
    unanswered._last["purged"] = day
    barrier = threading.Barrier(4)

    def worker(order):
        # Each worker's counts in its own order, as two workers' searches come in.
        counts = {(day, text): 1 for text in (texts if order % 2 else texts[::-1])}
        try:
            for _ in range(10):
                barrier.wait(timeout=10)
                unanswered._write(counts)
        finally:
            connection.close()

    with ThreadPoolExecutor(4) as pool:
        list(pool.map(worker, range(4)))
    assert "Could not write" not in caplog.text
    assert set(UnansweredQuery.objects.values_list("count", flat=True)) == {40}
