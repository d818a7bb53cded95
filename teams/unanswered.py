"""Counting what people searched the finder for and found nothing, for staff (UnansweredQuery).

Only text shaped like a postcode (full, outward code or sector) or a short place name is kept,
normalised so that "chelmsfrd" and "Chelmsfrd " count as one; anything else (sentences, e-mail
addresses, telephone numbers) is never stored. Counts are by day and kept RETENTION_DAYS.
"""

from __future__ import annotations

import datetime as dt

from django.db import connection
from django.utils import timezone

from .answers import Answer
from .finder import OUTWARD_RE, PLACE_RE, SECTOR_RE, normalise_postcode
from .models import UnansweredQuery

MAX_PLACE_LENGTH = 40
MAX_PLACE_WORDS = 5


def query_shape(answer: Answer) -> str | None:
    """What may be kept of an unanswered query: 'CM99 9ZZ', 'ZZ9', 'Atlantis'; else None."""
    if answer.kind in {"unknown", "area"}:
        return answer.postcode or None
    if answer.kind != "places":
        return None
    text = " ".join(answer.query.split())
    if normalise_postcode(text) or SECTOR_RE.match(text.upper()) or OUTWARD_RE.match(text):
        return None  # answered as a postcode elsewhere; not a place
    if (
        len(text) > MAX_PLACE_LENGTH
        or len(text.split()) > MAX_PLACE_WORDS
        or not PLACE_RE.match(text)
    ):
        return None
    return text.title()


def unanswered_query_record(*, answer: Answer, today: dt.date | None = None) -> bool:
    """Count `answer`'s query for today if the finder had nothing for it; True if counted."""
    if answer.answered:
        return False
    text = query_shape(answer)
    if text is None:
        return False
    today = today or timezone.localdate()
    if _count(today, text) == 1:  # the day's first: a good moment to forget the oldest
        unanswered_queries_purge(today=today)
    return True


_TABLE = UnansweredQuery._meta.db_table
# One statement, no read first: a new row, or one more on the day's row. Returns the count.
UPSERT_SQL = (
    f"INSERT INTO {_TABLE} (day, text, count) VALUES (%s, %s, 1) "  # noqa: S608
    f"ON CONFLICT (day, text) DO UPDATE SET count = {_TABLE}.count + 1 RETURNING count"
)


def _count(day: dt.date, text: str) -> int:
    """Count `text` once more on `day`, in one round trip; the day's count now."""
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            # A count lost in a crash does not matter; the resident's page waiting for the
            # disk does. Sent with the upsert as one round trip, which PostgreSQL runs as one
            # transaction, so SET LOCAL holds for the upsert alone.
            cursor.execute(f"SET LOCAL synchronous_commit TO OFF; {UPSERT_SQL}", [day, text])
            cursor.nextset()
        else:
            cursor.execute(UPSERT_SQL, [day, text])
        return cursor.fetchone()[0]


def unanswered_queries_purge(*, today: dt.date | None = None) -> int:
    """Delete the counts older than RETENTION_DAYS; returns how many days' rows went."""
    today = today or timezone.localdate()
    cutoff = today - dt.timedelta(days=UnansweredQuery.RETENTION_DAYS)
    deleted, _ = UnansweredQuery.objects.filter(day__lt=cutoff).delete()
    return deleted
