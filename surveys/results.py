"""Reading the results: counts by question and answer, the headline measure by quarter with
Wilson intervals, suppression of small counts for the public, and the geometry of the charts.

Every figure is counted by the database (GROUP BY); Python only arranges a few dozen rows.
"""

import datetime
import math
from dataclasses import dataclass, field

from django.db.models import Avg, Count, Max, Min, Q
from django.db.models.functions import TruncQuarter

from .models import Answer, Question, Response, Survey

Z_95 = 1.959964


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

    @property
    def chart(self) -> list[dict]:
        return bar_chart(self.rows, self.minimum)

    @property
    def chart_height(self) -> int:
        return max(len(self.rows), 1) * BAR_ROW


@dataclass
class Filters:
    team_id: int | None = None
    quarter: tuple[int, int] | None = None

    def responses(self, survey: Survey):
        responses = Response.objects.filter(survey=survey)
        if self.team_id:
            responses = responses.filter(team_id=self.team_id)
        if self.quarter:
            responses = responses.in_quarter(*self.quarter)
        return responses

    def answers(self, survey: Survey):
        # Filtering through the join (not `response__in` a subquery) lets the database group
        # the answers in one pass over the survey's responses.
        answers = Answer.objects.filter(response__survey=survey)
        if self.team_id:
            answers = answers.filter(response__team_id=self.team_id)
        if self.quarter:
            start, end = quarter_span(*self.quarter)
            answers = answers.filter(
                response__submitted_on__gte=start, response__submitted_on__lt=end
            )
        return answers


def quarter_span(year: int, quarter: int) -> tuple[datetime.date, datetime.date]:
    """The first day of the quarter and the first day after it."""
    start = datetime.date(year, 3 * quarter - 2, 1)
    end = datetime.date(year + 1, 1, 1) if quarter == 4 else datetime.date(year, start.month + 3, 1)
    return start, end


def quarters_with_responses(survey: Survey) -> list[tuple[int, int]]:
    span = Response.objects.filter(survey=survey).aggregate(
        first=Min("submitted_on"), last=Max("submitted_on")
    )
    if span["first"] is None:
        return []
    quarters = []
    year, quarter = span["first"].year, (span["first"].month - 1) // 3 + 1
    last = (span["last"].year, (span["last"].month - 1) // 3 + 1)
    while (year, quarter) <= last:
        quarters.append((year, quarter))
        year, quarter = (year + 1, 1) if quarter == 4 else (year, quarter + 1)
    return quarters


def survey_results(survey: Survey, filters: Filters) -> tuple[int, list[QuestionResult]]:
    """The number of responses and, for each question, its answers counted, in a few GROUP BY
    queries whatever the number of responses."""
    responses = filters.responses(survey)
    answers = filters.answers(survey)
    total = responses.count()
    # One pass: per question and choice, the count; for numbers (no choice) the average and
    # range; for free text the number actually written.
    grouped = list(
        answers.values("question_id", "choice_id").annotate(
            n=Count("id"),
            written=Count("id", filter=~Q(text="")),
            average=Avg("number"),
            least=Min("number"),
            most=Max("number"),
        )
    )
    choice_counts = {(row["question_id"], row["choice_id"]): row["n"] for row in grouped}
    bases: dict[int, int] = {}
    numbers = {}
    for row in grouped:
        if row["choice_id"] is None:
            numbers[row["question_id"]] = row
            bases[row["question_id"]] = row["written"] if row["average"] is None else row["n"]
        else:
            bases[row["question_id"]] = bases.get(row["question_id"], 0) + row["n"]
    # With checkboxes one person gives several answers: count people, not ticks.
    bases.update(
        answers.filter(question__kind=Question.Kind.MULTIPLE)
        .values_list("question_id")
        .annotate(n=Count("response_id", distinct=True))
    )
    teams = list(responses.values("team__name").annotate(n=Count("id")).order_by("team__name"))
    questions = Question.objects.filter(page__survey=survey).prefetch_related("choices")
    results = []
    for question in questions:
        result = QuestionResult(question=question, base=bases.get(question.pk, 0))
        if question.has_choices:
            result.rows = [
                Row(choice.label, choice_counts.get((question.pk, choice.pk), 0))
                for choice in question.choices.all()
            ]
        elif question.kind == Question.Kind.WHERE:
            result.rows = [
                Row(row["team__name"] or "Not given or outside Essex", row["n"]) for row in teams
            ]
            result.base = total
        elif question.kind == Question.Kind.NUMBER:
            number = numbers.get(question.pk, {})
            result.average = number.get("average")
            result.least, result.most = number.get("least"), number.get("most")
        for row in result.rows:
            row.percent = 100 * row.count / result.base if result.base else None
        results.append(result)
    return total, results


def suppress(results: list[QuestionResult], minimum: int) -> None:
    """Hide, for the public, any count below `minimum` (and its percentage). When only one
    answer to a question is hidden, the next smallest is hidden too, so that it cannot be
    worked out by subtracting the others from the total."""
    for result in results:
        result.minimum = minimum
        if result.base < minimum:
            result.suppressed = True
            result.average = result.least = result.most = None
            for row in result.rows:
                row.suppressed, row.count, row.percent = True, 0, None
            continue
        small = [row for row in result.rows if 0 < row.count < minimum]
        if len(small) == 1:
            others = sorted(
                (row for row in result.rows if row.count >= minimum), key=lambda r: r.count
            )
            if others:
                small.append(others[0])
        for row in small:
            row.suppressed, row.count, row.percent = True, 0, None
        if result.question.kind == Question.Kind.NUMBER:
            result.least = result.most = None  # one person's answer


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


def headline_trend(survey: Survey, filters: Filters) -> tuple[Question | None, list[TrendPoint]]:
    """The headline question's share of positive answers (excellent or good) by quarter."""
    question = Question.objects.filter(page__survey=survey, headline=True).first()
    if question is None:
        return None, []
    rows = (
        filters.answers(survey)
        .filter(question=question)
        .annotate(quarter=TruncQuarter("response__submitted_on"))
        .values("quarter")
        .annotate(total=Count("id"), positive=Count("id", filter=Q(choice__positive=True)))
        .order_by("quarter")
    )
    points = []
    for row in rows:
        interval = wilson_interval(row["positive"], row["total"])
        quarter = row["quarter"]
        if isinstance(quarter, datetime.datetime):
            quarter = quarter.date()
        points.append(
            TrendPoint(
                quarter=quarter,
                total=row["total"],
                positive=row["positive"],
                percent=100 * row["positive"] / row["total"],
                low=100 * interval[0],
                high=100 * interval[1],
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
