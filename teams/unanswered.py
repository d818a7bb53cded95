"""Counting what people searched the finder for and found nothing, for staff (UnansweredQuery).

Only text shaped like a postcode (full, outward code or sector) or a short place name is kept,
normalised so that "chelmsfrd" and "Chelmsfrd " count as one; anything else (sentences, e-mail
addresses, telephone numbers) is never stored. Counts are by day and kept RETENTION_DAYS.
"""

from __future__ import annotations

import datetime as dt

from django.db import IntegrityError, connection, transaction
from django.db.models import F
from django.utils import timezone

from .finder import OUTWARD_RE, PLACE_RE, SECTOR_RE, Answer, normalise_postcode
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
    counted = UnansweredQuery.objects.filter(day=today, text=text)
    with transaction.atomic():
        if connection.vendor == "postgresql":
            # A count lost in a crash does not matter; the resident's page waiting for the
            # disk does. (This transaction only.)
            with connection.cursor() as cursor:
                cursor.execute("SET LOCAL synchronous_commit TO OFF")
        if counted.update(count=F("count") + 1):
            return True
        try:
            with transaction.atomic():
                UnansweredQuery.objects.create(day=today, text=text)
        except IntegrityError:  # another request counted it first
            counted.update(count=F("count") + 1)
        else:
            unanswered_queries_purge(today=today)
    return True


def unanswered_queries_purge(*, today: dt.date | None = None) -> int:
    """Delete the counts older than RETENTION_DAYS; returns how many days' rows went."""
    today = today or timezone.localdate()
    cutoff = today - dt.timedelta(days=UnansweredQuery.RETENTION_DAYS)
    deleted, _ = UnansweredQuery.objects.filter(day__lt=cutoff).delete()
    return deleted
