"""Reading the results: counts by question and answer, the headline measure by quarter with
Wilson intervals, disclosure control for the public, and the geometry of the charts.

Every figure comes from the running counts in `tallies` (a few thousand rows, whatever the
number of responses); Python adds up the ones a page asks for.

Disclosure control for the public (rounding to the nearest 5 and suppression, the Office for
National Statistics' practice) is in disclosure.py; `suppress` hides the small figures.
"""

import datetime
import math
from dataclasses import dataclass, field

from django.db.models import Count, Window
from django.utils import timezone

from portal.clock import quarter_span
from teams.models import Team

from .disclosure import ROUNDING_BASE
from .models import Answer, Question, Survey
from .tallies import Tallies, survey_tallies

Z_95 = 1.959964
DISCLOSURE_METHOD = (
    f"counts are rounded to the nearest {ROUNDING_BASE} and any figure below {{minimum}} is "
    "not shown (the Office for National Statistics' practice of rounding and suppression)"
)


@dataclass
class Row:
    label: str
    count: int
    percent: float | None = None
    suppressed: bool = False


@dataclass
class QuestionResult:
    question: Question
    base: int  # how many people answered
    rows: list[Row] = field(default_factory=list)
    average: float | None = None
    least: int | None = None
    most: int | None = None
    suppressed: bool = False
    minimum: int | None = None  # set when small counts are hidden
    written: list[dict] = field(default_factory=list)  # staff only: the latest written answers
    written_count: int = 0  # staff only: every written answer still kept

    @property
    def chart(self) -> list[dict]:
        return bar_chart(self.rows, self.minimum)

    @property
    def chart_height(self) -> int:
        return max(len(self.rows), 1) * BAR_ROW


@dataclass(frozen=True)
class Filters:
    team_id: int | None = None
    quarter: tuple[int, int] | None = None

    def covers(self, team_id: int, quarter: datetime.date) -> bool:
        """Whether counts for this team and quarter belong in the figures asked for."""
        if self.team_id and team_id != self.team_id:
            return False
        return not self.quarter or quarter == quarter_span(*self.quarter)[0]

    def lookups(self, prefix: str = "") -> dict:
        """The same filters for a query on responses (`prefix` "response__" from answers)."""
        found = {}
        if self.team_id:
            found[f"{prefix}team_id"] = self.team_id
        if self.quarter:
            start, end = quarter_span(*self.quarter)
            found[f"{prefix}submitted_on__gte"] = start
            found[f"{prefix}submitted_on__lt"] = end
        return found


def quarters_with_responses(
    survey: Survey, tallies: Tallies | None = None
) -> list[tuple[int, int]]:
    """Every quarter from the first response to the last, as (year, quarter)."""
    tallies = tallies if tallies is not None else survey_tallies(survey.pk)
    seen = tallies.quarters()
    if not seen:
        return []
    quarters = []
    year, quarter = seen[0].year, (seen[0].month - 1) // 3 + 1
    last = (seen[-1].year, (seen[-1].month - 1) // 3 + 1)
    while (year, quarter) <= last:
        quarters.append((year, quarter))
        year, quarter = (year + 1, 1) if quarter == 4 else (year, quarter + 1)
    return quarters


def survey_questions(survey: Survey) -> list[Question]:
    return list(
        Question.objects.filter(page__survey=survey).in_survey_order().prefetch_related("choices")
    )


def survey_results(
    survey: Survey,
    filters: Filters,
    *,
    tallies: Tallies | None = None,
    questions: list[Question] | None = None,
    team_names: dict[int, str] | None = None,
) -> tuple[int, list[QuestionResult]]:
    """The number of responses and, for each question, its answers counted, added up from the
    survey's tallies (exact for staff; the public pass rounded ones)."""
    tallies = tallies if tallies is not None else survey_tallies(survey.pk)
    questions = questions if questions is not None else survey_questions(survey)
    counts: dict[tuple[int, int], int] = {}
    numbers = {}
    by_team: dict[int, int] = {}
    total = 0
    for (team, quarter, question, choice), count in tallies.counts.items():
        if not filters.covers(team, quarter):
            continue
        if question == 0:
            total += count
            by_team[team] = by_team.get(team, 0) + count
            continue
        counts[question, choice] = counts.get((question, choice), 0) + count
        number = tallies.numbers.get((team, quarter, question, choice))
        if number is not None:
            numbers.setdefault(question, []).append(number)
    if team_names is None:
        team_names = dict(
            Team.objects.filter(pk__in=[team for team in by_team if team]).values_list("pk", "name")
        )
    results = []
    for question in questions:
        result = QuestionResult(question=question, base=counts.get((question.pk, 0), 0))
        if question.has_choices:
            result.rows = [
                Row(choice.label, counts.get((question.pk, choice.pk), 0))
                for choice in question.choices.all()
            ]
            if question.kind != Question.Kind.MULTIPLE:
                # One answer each: the people who answered are the rows added up, so the
                # public base is made of the same rounded counts as the rows.
                result.base = sum(row.count for row in result.rows)
        elif question.kind == Question.Kind.WHERE:
            named = sorted(
                (team_names[team], count)
                for team, count in by_team.items()
                if team in team_names and count
            )
            others = sum(count for team, count in by_team.items() if team not in team_names)
            result.rows = [Row(name, count) for name, count in named]
            if others:
                result.rows.append(Row("Not given or outside Essex", others))
            result.base = total
        elif question.kind == Question.Kind.NUMBER and numbers.get(question.pk):
            given = numbers[question.pk]
            answered = sum(n.count for n in given)
            result.average = sum(n.total for n in given) / answered if answered else None
            least = [n.least for n in given if n.least is not None]
            most = [n.most for n in given if n.most is not None]
            result.least = min(least) if least else None
            result.most = max(most) if most else None
        for row in result.rows:
            row.percent = 100 * row.count / result.base if result.base else None
        results.append(result)
    return total, results


WRITTEN_SHOWN = 25


def add_written_answers(
    survey: Survey, filters: Filters, results: list[QuestionResult], *, limit: int = WRITTEN_SHOWN
) -> None:
    """For staff: the latest written answers to each free-text question, for the filters in use,
    and how many there are. Answers past the survey's retention period are left out even
    before the daily purge blanks them; blanked ones are never shown."""
    kept_from = timezone.localdate() - datetime.timedelta(days=survey.free_text_retention_days)
    for result in results:
        if not result.question.is_free_text:
            continue
        answers = (
            Answer.objects.filter(question=result.question, **filters.lookups("response__"))
            .filter(response__submitted_on__gte=kept_from)
            .exclude(text="")
            .order_by("-response__submitted_on", "-response_id")
        )
        result.written = list(
            answers.annotate(kept=Window(Count("pk"))).values(
                "text", "response__submitted_on", "response__reference", "kept"
            )[:limit]
        )  # one query: the window counts every answer kept before the latest are taken
        result.written_count = result.written[0]["kept"] if result.written else 0


def suppress(results: list[QuestionResult], minimum: int, *, whole_survey: bool) -> None:
    """Hide, for the public, any figure below `minimum` (counts already rounded). The average
    of a number question is shown only for the whole survey (all teams, all quarters): one
    average and no other, so no average can be taken from another."""
    for result in results:
        result.minimum = minimum
        result.least = result.most = None  # one person's answer
        if not whole_survey:
            result.average = None
        if result.base < minimum:
            result.suppressed = True
            result.average = None
            for row in result.rows:
                row.suppressed, row.count, row.percent = True, 0, None
            continue
        for row in result.rows:
            if row.count < minimum:
                row.suppressed, row.count, row.percent = True, 0, None


def wilson_interval(positive: int, total: int, z: float = Z_95) -> tuple[float, float] | None:
    """The Wilson score interval for a proportion, as fractions; None with no answers."""
    if total == 0:
        return None
    p = positive / total
    denominator = 1 + z * z / total
    centre = (p + z * z / (2 * total)) / denominator
    half = z * math.sqrt(p * (1 - p) / total + z * z / (4 * total * total)) / denominator
    return max(0.0, centre - half), min(1.0, centre + half)


@dataclass
class TrendPoint:
    quarter: datetime.date
    total: int
    positive: int
    percent: float | None
    low: float | None
    high: float | None
    suppressed: bool = False

    @property
    def label(self) -> str:
        return f"Q{(self.quarter.month - 1) // 3 + 1} {self.quarter.year}"


def headline_trend(
    survey: Survey,
    filters: Filters,
    *,
    tallies: Tallies | None = None,
    questions: list[Question] | None = None,
) -> tuple[Question | None, list[TrendPoint]]:
    """The headline question's share of positive answers (excellent or good) by quarter."""
    questions = questions if questions is not None else survey_questions(survey)
    question = next((q for q in questions if q.headline), None)
    if question is None:
        return None, []
    tallies = tallies if tallies is not None else survey_tallies(survey.pk)
    positive_ids = {choice.pk for choice in question.choices.all() if choice.positive}
    totals: dict[datetime.date, list[int]] = {}
    for (team, quarter, question_id, choice), count in tallies.counts.items():
        if question_id != question.pk or not choice or not filters.covers(team, quarter):
            continue
        point = totals.setdefault(quarter, [0, 0])
        point[0] += count
        if choice in positive_ids:
            point[1] += count
    points = []
    for quarter, (total, positive) in sorted(totals.items()):
        if not total:
            continue
        low, high = wilson_interval(positive, total)
        points.append(
            TrendPoint(
                quarter=quarter,
                total=total,
                positive=positive,
                percent=100 * positive / total,
                low=100 * low,
                high=100 * high,
            )
        )
    return question, points


def suppress_trend(points: list[TrendPoint], minimum: int) -> list[TrendPoint]:
    for point in points:
        if point.total < minimum:
            point.suppressed = True
            point.positive, point.percent, point.low, point.high = 0, None, None, None
    return points


# Chart geometry: the SVG is drawn by the template from these numbers, in a 600-wide viewBox.

BAR_ROW = 48
BAR_WIDTH = 480


def bar_chart(rows: list[Row], minimum: int | None = None) -> list[dict]:
    bars = []
    for index, row in enumerate(rows):
        width = 0 if row.percent is None else round(BAR_WIDTH * row.percent / 100, 1)
        bars.append(
            {
                "label": row.label,
                "label_y": index * BAR_ROW + 16,
                "bar_y": index * BAR_ROW + 22,
                "width": width,
                "value_x": width + 6,
                "value": f"fewer than {minimum}"
                if row.suppressed
                else ("" if row.percent is None else f"{row.percent:.0f}%"),
                "suppressed": row.suppressed,
            }
        )
    return bars


TREND_WIDTH, TREND_HEIGHT, TREND_LEFT, TREND_TOP, TREND_PLOT = 640, 300, 48, 10, 240


def trend_chart(points: list[TrendPoint]) -> dict:
    """Positions for the line, the interval bars, the gridlines and the axis labels."""
    shown = [point for point in points if point.percent is not None]
    step = (TREND_WIDTH - TREND_LEFT - 30) / max(len(points) - 1, 1)

    def y(percent: float) -> float:
        return round(TREND_TOP + TREND_PLOT * (1 - percent / 100), 1)

    marks = []
    for index, point in enumerate(points):
        x = round(TREND_LEFT + 15 + index * step, 1)
        mark = {"x": x, "label": point.label, "label_y": TREND_TOP + TREND_PLOT + 24}
        if point.percent is not None:
            mark.update(y=y(point.percent), low_y=y(point.low), high_y=y(point.high))
        marks.append(mark)
    line = " ".join(f"{mark['x']},{mark['y']}" for mark in marks if "y" in mark)
    grid = [{"y": y(percent), "label": f"{percent}%"} for percent in (0, 25, 50, 75, 100)]
    return {
        "marks": marks,
        "line": line if len(shown) > 1 else "",
        "grid": grid,
        "width": TREND_WIDTH,
        "height": TREND_HEIGHT,
        "left": TREND_LEFT,
        "right": TREND_WIDTH - 10,
        "axis_y": TREND_TOP + TREND_PLOT,
    }
