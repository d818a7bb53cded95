"""Counting what people searched the finder for and found nothing, for staff (UnansweredQuery).

Only text shaped like a postcode (full, outward code or sector) or a short place name is kept,
normalised so that "chelmsfrd" and "Chelmsfrd " count as one; anything else (sentences, e-mail
addresses, telephone numbers) is never stored. Counts are by day and kept RETENTION_DAYS.

Each process adds its counts up in memory and writes them in one statement at most every
FLUSH_SECONDS (and when it stops): a flood of made-up postcodes costs a dictionary entry each,
not a database write each. Staff see a count a few seconds late; a worker killed outright loses
its last few seconds of counts, which only ever guide staff.
"""

from __future__ import annotations

import atexit
import datetime as dt
import logging
import threading
import time
from collections import Counter

from django.db import DatabaseError, connection, transaction
from django.utils import timezone

from .answers import Answer
from .finder import PLACE_RE, normalise_postcode
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
    if (
        len(text) > MAX_PLACE_LENGTH
        or len(text.split()) > MAX_PLACE_WORDS
        or not PLACE_RE.match(text)
    ):
        return None
    # A place's letters are no digits, so no sector or outward code, nor a postcode unless
    # some of them are digits once normalised ('¹'): those are answered as postcodes elsewhere.
    if not text.isascii() and normalise_postcode(text):
        return None
    return text.title()


FLUSH_SECONDS = 10
MAX_PENDING = 1_000  # distinct (day, text) counts held before they are written anyway

_pending: Counter[tuple[dt.date, str]] = Counter()
_lock = threading.Lock()
# When the counts were last written, the last day old counts were forgotten, and today with
# the POSIX time it ends (`_today`).
_last = {"flushed": float("-inf"), "purged": None, "day": (dt.date.min, float("-inf"))}
logger = logging.getLogger(__name__)


def _today() -> dt.date:
    """timezone.localdate(), worked out again only once the day has ended: a fifth of the
    cost of counting an unanswered search otherwise (the time zone's rules, each time)."""
    day, ends = _last["day"]
    if time.time() >= ends:
        now = timezone.localtime()
        day = now.date()
        midnight = dt.datetime.combine(day + dt.timedelta(days=1), dt.time(), tzinfo=now.tzinfo)
        _last["day"] = (day, midnight.timestamp())
    return day


def unanswered_query_record(*, answer: Answer, today: dt.date | None = None) -> bool:
    """Count `answer`'s query for today if the finder had nothing for it; True if counted.
    The count is written with this process's others (`unanswered_queries_flush`)."""
    if answer.answered:
        return False
    text = query_shape(answer)
    if text is None:
        return False
    today = today or _today()
    with _lock:
        _pending[today, text] += 1
        due = len(_pending) >= MAX_PENDING or time.monotonic() - _last["flushed"] >= FLUSH_SECONDS
    if due:
        unanswered_queries_flush()
    return True


_TABLE = UnansweredQuery._meta.db_table
# One statement, no read first: new rows, or more on the day's rows.
UPSERT_SQL = (
    f"INSERT INTO {_TABLE} (day, text, count) VALUES {{rows}} "  # noqa: S608
    f"ON CONFLICT (day, text) DO UPDATE SET count = {_TABLE}.count + excluded.count"
)


def unanswered_queries_flush() -> int:
    """Write this process's counts in one statement; returns how many (day, text) rows. The
    first write of a day also forgets the counts older than RETENTION_DAYS."""
    with _lock:
        pending = dict(_pending)
        _pending.clear()
        _last["flushed"] = time.monotonic()
    if pending:
        _write(pending)
    return len(pending)


def _write(counts: dict[tuple[dt.date, str], int]) -> None:
    # In key order: two workers writing the same rows lock them in the same order, so neither
    # can wait for the other (in any two orders PostgreSQL can find a deadlock, and did).
    pending = sorted(counts.items())
    rows = ", ".join(["(%s, %s, %s)"] * len(pending))
    params = [value for (day, text), count in pending for value in (day, text, count)]
    outermost = not connection.in_atomic_block
    try:
        # Its own transaction (a savepoint in a request's): a failure spoils nothing else.
        with transaction.atomic(), connection.cursor() as cursor:
            if outermost and connection.vendor == "postgresql":
                # A count lost in a crash does not matter; waiting for the disk does. LOCAL:
                # for this transaction only, which is the flush's own.
                cursor.execute("SET LOCAL synchronous_commit TO OFF")
            cursor.execute(UPSERT_SQL.format(rows=rows), params)
            today = max(day for (day, _), _ in pending)
            if _last["purged"] != today:
                _last["purged"] = today
                unanswered_queries_purge(today=today)
    except DatabaseError:  # the finder's answer matters more than the count: log and go on
        logger.exception("Could not write %d unanswered finder queries", len(pending))


def _flush_at_exit() -> None:
    try:
        unanswered_queries_flush()
    except Exception:  # noqa: BLE001  (stopping: nothing else to do with it)
        logger.exception("Could not write the unanswered finder queries on the way out")


atexit.register(_flush_at_exit)


def unanswered_queries_purge(*, today: dt.date | None = None) -> int:
    """Delete the counts older than RETENTION_DAYS; returns how many days' rows went."""
    today = today or timezone.localdate()
    cutoff = today - dt.timedelta(days=UnansweredQuery.RETENTION_DAYS)
    deleted, _ = UnansweredQuery.objects.filter(day__lt=cutoff).delete()
    return deleted
