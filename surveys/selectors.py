"""Reads for the results pages, public and staff."""

from .models import Question, Survey
from .results import (
    DISCLOSURE_METHOD,
    Filters,
    add_written_answers,
    headline_trend,
    suppress,
    suppress_trend,
    survey_results,
    trend_chart,
)
from .tallies import Tallies


def results_figures(
    survey: Survey, filters: Filters, *, public: bool, tallies: Tallies, questions: list[Question]
) -> dict:
    """The counts and the trend for `filters`. The public see figures made from rounded counts
    (`tallies` are then `disclosure.kept_published_tallies`), with small ones hidden (see
    results.py); staff see the running counts and also read the written answers."""
    total, results = survey_results(survey, filters, tallies=tallies, questions=questions)
    headline, points = headline_trend(
        survey, Filters(team_id=filters.team_id), tallies=tallies, questions=questions
    )
    minimum = survey.minimum_public_count
    if public:
        suppress(results, minimum, whole_survey=filters == Filters())
        suppress_trend(points, minimum)
    else:
        add_written_answers(survey, filters, results)
    return {
        "total": total,
        "total_suppressed": public and total < minimum,
        "results": results,
        "headline": headline,
        "positive": positive_labels(headline),
        "trend": points,
        "trend_chart": trend_chart(points) if points else None,
        "has_demo": survey.responses.filter(is_demo=True).exists(),
        "public": public,
        "disclosure_method": DISCLOSURE_METHOD.format(minimum=minimum),
    }


def positive_labels(question: Question | None) -> str:
    """'excellent or good': the answers the headline measure counts, for the page to say."""
    if question is None:
        return ""
    labels = [choice.label.lower() for choice in question.choices.all() if choice.positive]
    return " or ".join([", ".join(labels[:-1]), labels[-1]]) if len(labels) > 1 else "".join(labels)
