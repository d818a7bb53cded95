"""Results for staff (with the `surveys.view_results` permission): every count unsuppressed,
filters by team and quarter, and the exports. Not linked from the public site."""

import csv
import re
from itertools import groupby

from django.contrib.auth.mixins import PermissionRequiredMixin
from django.http import HttpResponse, StreamingHttpResponse
from django.shortcuts import get_object_or_404, render
from django.urls import reverse_lazy
from django.utils import timezone
from django.views import View
from django.views.generic import ListView

from .models import Answer, Question, Survey
from .views import results_context

CSV_CHUNK = 2000


class StaffMixin(PermissionRequiredMixin):
    permission_required = "surveys.view_results"
    login_url = reverse_lazy("admin:login")


class StaffSurveyListView(StaffMixin, ListView):
    template_name = "surveys/staff_list.html"
    context_object_name = "surveys"
    queryset = Survey.objects.all()


class StaffResultsView(StaffMixin, View):
    def get(self, request, slug):
        survey = get_object_or_404(Survey, slug=slug)
        context = results_context(request, survey, public=False)
        return render(request, "surveys/results.html", context)


class _Echo:
    """A file-like object whose write returns the line, for csv.writer in a stream."""

    def write(self, value):
        return value


FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
PLAIN_NUMBER = re.compile(r"-?\d+(\.\d+)?")


def spreadsheet_safe(value) -> str:
    """A cell starting with = + - @ (or a tab or return) would run as a formula when the file is
    opened in a spreadsheet, so it is prefixed with an apostrophe. Residents' answers, question
    text, choice labels and team names are all typed by someone: every cell goes through here.
    A plain number (-5) is left as it is: it is not a formula."""
    value = str(value)
    if value[:1] in FORMULA_STARTS and not PLAIN_NUMBER.fullmatch(value):
        return "'" + value
    return value


class SafeWriter:
    """csv.writer whose every cell, headers included, is made spreadsheet-safe."""

    def __init__(self, target):
        self.writer = csv.writer(target)

    def writerow(self, row):
        return self.writer.writerow([spreadsheet_safe(cell) for cell in row])


def _filename(survey: Survey, what: str) -> str:
    return f"{survey.slug}-{what}-{timezone.localdate():%Y-%m-%d}.csv"


class ResponsesCsvView(StaffMixin, View):
    """Every response, one row each and one column per question, streamed: the responses and
    their answers are read as two streams in the same order and merged, so memory stays flat
    and the database is asked a handful of times however many responses there are."""

    def get(self, request, slug):
        survey = get_object_or_404(Survey, slug=slug)
        questions = list(Question.objects.filter(page__survey=survey))
        writer = SafeWriter(_Echo())
        response = StreamingHttpResponse(
            self.rows(survey, questions, writer), content_type="text/csv; charset=utf-8"
        )
        response["Content-Disposition"] = f'attachment; filename="{_filename(survey, "responses")}"'
        return response

    @staticmethod
    def rows(survey, questions, writer):
        yield writer.writerow(
            ["reference", "submitted_on", "team", "demo"]
            + [question.text for question in questions]
        )
        columns = {question.pk: index for index, question in enumerate(questions)}
        where = [q.pk for q in questions if q.kind == Question.Kind.WHERE]
        responses = (
            survey.responses.order_by("pk")
            .values_list("pk", "reference", "submitted_on", "team__name", "is_demo")
            .iterator(chunk_size=CSV_CHUNK)
        )
        answers = groupby(
            Answer.objects.filter(response__survey=survey)
            .order_by("response_id", "question_id", "choice__order")
            .values_list("response_id", "question_id", "choice__label", "text", "number")
            .iterator(chunk_size=CSV_CHUNK * 10),
            key=lambda row: row[0],
        )
        pending = next(answers, None)
        for pk, reference, submitted_on, team, is_demo in responses:
            cells = [[] for _ in questions]
            while pending is not None and pending[0] < pk:
                pending = next(answers, None)
            if pending is not None and pending[0] == pk:
                for _, question_id, label, text, number in pending[1]:
                    if label is not None:
                        cells[columns[question_id]].append(label)
                    elif number is not None:
                        cells[columns[question_id]].append(str(number))
                    else:
                        cells[columns[question_id]].append(text)
                pending = next(answers, None)
            for question_id in where:
                cells[columns[question_id]] = [team or ""]
            yield writer.writerow(
                [reference, submitted_on.isoformat(), team or "", "yes" if is_demo else "no"]
                + ["; ".join(cell) for cell in cells]
            )


class ResultsCsvView(StaffMixin, View):
    """The aggregated table: question, answer, count, percentage, for the filters in use."""

    def get(self, request, slug):
        survey = get_object_or_404(Survey, slug=slug)
        data = results_context(request, survey, public=False)
        response = HttpResponse(content_type="text/csv; charset=utf-8")
        response["Content-Disposition"] = f'attachment; filename="{_filename(survey, "results")}"'
        writer = SafeWriter(response)
        writer.writerow(["question", "answer", "count", "percent of those who answered"])
        for result in data["results"]:
            for row in result.rows:
                percent = "" if row.percent is None else f"{row.percent:.1f}"
                writer.writerow([result.question.text, row.label, row.count, percent])
            if result.average is not None:
                writer.writerow(
                    [result.question.text, "average", result.base, f"{result.average:.1f}"]
                )
        return response
