"""The running counts behind every results page: added to as each response is stored, rebuilt
from the answers after a bulk load or a deletion, and read back as `Tallies`.

Results are drawn from these few thousand rows (teams x quarters x choices) rather than from
the answers, so a results page costs the same at a hundred responses or a million.
"""

import datetime
import time
from collections import defaultdict
from dataclasses import dataclass, field

from django.core.cache import cache
from django.db import connection, transaction
from django.db.models import Count, Max, Min, Sum
from django.db.models.functions import TruncQuarter

from portal import cache as shared

Key = tuple  # (team_id, quarter, question_id, choice_id); 0 stands for "none"
# A stored tally's columns after the survey: the key, then what is counted.
COLUMNS = [
    "team_id",
    "quarter",
    "question_id",
    "choice_id",
    "count",
    "number_sum",
    "number_min",
    "number_max",
]


def quarter_of(day: datetime.date) -> datetime.date:
    """The first day of the quarter `day` falls in."""
    return datetime.date(day.year, 3 * ((day.month - 1) // 3) + 1, 1)


@dataclass
class Number:
    """How many numbers were given, their sum and their range, for an average."""

    total: int = 0
    least: int | None = None
    most: int | None = None
    count: int = 0

    def add(self, other: "Number") -> None:
        self.total += other.total
        self.count += other.count
        if other.least is not None:
            self.least = other.least if self.least is None else min(self.least, other.least)
        if other.most is not None:
            self.most = other.most if self.most is None else max(self.most, other.most)


@dataclass
class Tallies:
    """Counts by (team, quarter, question, choice): question 0 counts responses, choice 0 the
    people who answered a question, anything else a choice."""

    counts: dict[Key, int] = field(default_factory=lambda: defaultdict(int))
    numbers: dict[Key, Number] = field(default_factory=dict)

    def add(self, key: Key, count: int, number: Number | None = None) -> None:
        self.counts[key] += count
        if number is not None:
            self.numbers.setdefault(key, Number()).add(number)

    def quarters(self) -> list[datetime.date]:
        return sorted({key[1] for key in self.counts})

    def rounded(self, base: int = 5) -> "Tallies":
        """Every count rounded to the nearest `base`; the numbers (for averages) as they are."""
        rounded = Tallies(numbers=self.numbers)
        for key, count in self.counts.items():
            rounded.counts[key] = base * ((count + base // 2) // base)
        return rounded


def response_tally(*, team_id: int | None, day: datetime.date, answers: dict) -> Tallies:
    """What one response adds: `answers` maps each question to its stored value (a choice id, a
    list of them, a number or text), as `response_submit` receives them."""
    from .models import Question

    tallies = Tallies()
    team, quarter = team_id or 0, quarter_of(day)
    tallies.add((team, quarter, 0, 0), 1)
    for question, value in answers.items():
        if question.kind == Question.Kind.WHERE or value in (None, "", []):
            continue
        number = None
        if question.kind == Question.Kind.NUMBER:
            number = Number(total=value, least=value, most=value, count=1)
        tallies.add((team, quarter, question.pk, 0), 1, number)
        if question.has_choices:
            for choice_id in value if isinstance(value, list) else [value]:
                tallies.add((team, quarter, question.pk, choice_id), 1)
    return tallies


def tallies_add(*, survey_id: int, tallies: Tallies) -> None:
    """Add to the stored counts in one statement (INSERT ... ON CONFLICT, on SQLite and
    PostgreSQL alike). Called inside the transaction that stores the response."""
    from .models import Tally

    if not tallies.counts:
        return
    quote = connection.ops.quote_name
    table = quote(Tally._meta.db_table)
    columns = ["survey_id", *COLUMNS]
    rows, params = [], []
    # Sorted, so two transactions always lock the rows in the same order.
    for key in sorted(tallies.counts):
        team, quarter, question, choice = key
        number = tallies.numbers.get(key)
        rows.append("(" + ", ".join(["%s"] * len(columns)) + ")")
        params += [
            survey_id,
            team,
            connection.ops.adapt_datefield_value(quarter),
            question,
            choice,
            tallies.counts[key],
            number and number.total,
            number and number.least,
            number and number.most,
        ]
    # Only the table and column names are put into the text; every value is a parameter.
    names = ", ".join(quote(c) for c in columns)
    key = ", ".join(quote(c) for c in columns[:5])
    count = quote("count")
    kept = {
        "sum": f"CASE WHEN excluded.number_sum IS NULL THEN {table}.number_sum "
        f"ELSE COALESCE({table}.number_sum, 0) + excluded.number_sum END",
        "min": f"CASE WHEN {table}.number_min IS NULL OR excluded.number_min < "
        f"{table}.number_min THEN excluded.number_min ELSE {table}.number_min END",
        "max": f"CASE WHEN {table}.number_max IS NULL OR excluded.number_max > "
        f"{table}.number_max THEN excluded.number_max ELSE {table}.number_max END",
    }
    values = ", ".join(rows)
    sql = (
        f"INSERT INTO {table} ({names}) VALUES {values} ON CONFLICT ({key}) DO UPDATE SET "  # noqa: S608
        f"{count} = {table}.{count} + excluded.{count}, number_sum = {kept['sum']}, "
        f"number_min = {kept['min']}, number_max = {kept['max']}"
    )
    with connection.cursor() as cursor:
        cursor.execute(sql, params)


def _as_date(value) -> datetime.date:
    return value.date() if isinstance(value, datetime.datetime) else value


def tallies_counted(*, survey_id: int, answer_model=None, response_model=None) -> Tallies:
    """The counts worked out afresh from the stored answers, in three GROUP BY queries."""
    from .models import Answer, Response

    answer_model = answer_model or Answer
    response_model = response_model or Response
    tallies = Tallies()
    responses = (
        response_model.objects.filter(survey_id=survey_id)
        .annotate(q=TruncQuarter("submitted_on"))
        .values_list("team_id", "q")
        .annotate(n=Count("id"))
        .order_by()
    )
    for team, quarter, n in responses:
        tallies.add((team or 0, _as_date(quarter), 0, 0), n)
    answers = (
        answer_model.objects.filter(response__survey_id=survey_id)
        .annotate(q=TruncQuarter("response__submitted_on"))
        .order_by()
    )
    people = answers.values_list("response__team_id", "q", "question_id").annotate(
        n=Count("response_id", distinct=True),
        total=Sum("number"),
        least=Min("number"),
        most=Max("number"),
    )
    for team, quarter, question, n, total, least, most in people:
        number = Number(total, least, most, n) if total is not None else None
        tallies.add((team or 0, _as_date(quarter), question, 0), n, number)
    chosen = (
        answers.filter(choice__isnull=False)
        .values_list("response__team_id", "q", "question_id", "choice_id")
        .annotate(n=Count("id"))
    )
    for team, quarter, question, choice, n in chosen:
        tallies.add((team or 0, _as_date(quarter), question, choice), n)
    return tallies


def tallies_rebuild(*, survey_id: int, models=None) -> None:
    """Replace a survey's stored counts with counts worked out from its answers: after a bulk
    load, or when responses were deleted. `models` lets a migration pass its own."""
    from .models import Answer, Response, Survey, Tally

    answer_model, response_model, survey_model, tally_model = models or (
        Answer,
        Response,
        Survey,
        Tally,
    )
    with transaction.atomic():
        # Holds back new responses to this survey until the counts are replaced.
        survey_model.objects.select_for_update().filter(pk=survey_id).first()
        tallies = tallies_counted(
            survey_id=survey_id, answer_model=answer_model, response_model=response_model
        )
        tally_model.objects.filter(survey_id=survey_id).delete()
        rows = []
        for (team, quarter, question, choice), count in tallies.counts.items():
            number = tallies.numbers.get((team, quarter, question, choice))
            rows.append(
                tally_model(
                    survey_id=survey_id,
                    team_id=team,
                    quarter=quarter,
                    question_id=question,
                    choice_id=choice,
                    count=count,
                    number_sum=number and number.total,
                    number_min=number and number.least,
                    number_max=number and number.most,
                )
            )
        tally_model.objects.bulk_create(rows, batch_size=2000)
        results_changed()


def survey_tallies(survey_id: int) -> Tallies:
    """The stored counts for a survey, in one query."""
    from .models import Tally

    tallies = Tallies()
    rows = Tally.objects.filter(survey_id=survey_id).values_list(*COLUMNS)
    for team, quarter, question, choice, count, total, least, most in rows:
        number = Number(total, least, most, count) if total is not None else None
        tallies.add((team, quarter, question, choice), count, number)
    return tallies


def recount_after_delete(sender, instance, **kwargs) -> None:
    """A deleted response (demo data cleared in the admin) comes out of the counts once the
    deletion is committed; deleting many at once recounts each survey once."""
    survey_id = instance.survey_id
    waiting = (getattr(item[1], "survey_id", None) for item in connection.run_on_commit)
    if survey_id in waiting:
        return

    def recount():
        tallies_rebuild(survey_id=survey_id)

    recount.survey_id = survey_id
    transaction.on_commit(recount)


RESULTS_VERSION_KEY = "surveys:results-version"


def results_changed(*args, **kwargs) -> None:
    """Start a new version of every kept results page once the change is committed: a new
    response, recounted results, or a survey, page, question or choice edited."""

    def bump():
        try:
            cache.incr(RESULTS_VERSION_KEY)
        except ValueError:  # lost: any value never used before will do
            cache.set(RESULTS_VERSION_KEY, time.time_ns(), None)

    transaction.on_commit(bump)


def results_version() -> int:
    # Read with the generation (a kept results page costs one round trip, as the home page
    # does). A version lost from the cache (a restart, an eviction) comes back as one never
    # used before, so a results page kept under an older version cannot be served again.
    version = shared.read_with_generation(RESULTS_VERSION_KEY)
    if version is None:
        version = cache.get_or_set(RESULTS_VERSION_KEY, time.time_ns, None)
    return version
