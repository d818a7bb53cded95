"""What residents could not find, counted for staff: shaped text only, by day, 90 days."""

import datetime as dt

import pytest
from django.urls import reverse

from teams.finder import answer
from teams.models import UnansweredQuery
from teams.places import gazetteer
from teams.unanswered import unanswered_queries_purge, unanswered_query_record
from tests.factories import PostcodeFactory

FIND = reverse("teams:find")
pytestmark = pytest.mark.django_db


def counts():
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


def test_counting_again_is_one_statement_with_no_read(django_assert_num_queries):
    unanswered_query_record(answer=answer("Atlantis"))
    with django_assert_num_queries(1):
        assert unanswered_query_record(answer=answer("Atlantis"))
    assert {text: count for (_, text), count in counts().items()} == {"Atlantis": 2}
