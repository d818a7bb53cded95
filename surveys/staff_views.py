"""Results for staff, every count exact: filters by team and quarter, the written answers and
the exports. Not linked from the public site.

Who reads what: anyone with the `surveys.view_results` permission (force administrators and
superusers have it) reads every team's results. A team editor reads only the results of the
teams they edit, and only of surveys whose "team editors may read their team's results" box
staff have ticked in the admin; every page and export is then limited to one of their teams,
whatever the address asks for."""

import csv
import re
from itertools import groupby

from django.contrib.auth.mixins import AccessMixin
from django.core.exceptions import PermissionDenied
from django.http import HttpResponse, StreamingHttpResponse
from django.shortcuts import get_object_or_404, render
from django.urls import reverse_lazy
from django.utils import timezone
from django.views import View
from django.views.generic import ListView

from teams.models import Team

from .models import Answer, Question, Survey
from .tallies import survey_tallies
from .views import results_context, results_filters

CSV_CHUNK = 2000


def reads_every_team(user) -> bool:
    return user.has_perm("surveys.view_results")


def editor_teams(user) -> list[Team]:
    """The teams a member of staff edits, by name (none for anyone not staff)."""
    return list(Team.objects.filter(editors=user).for_editor(user).order_by("name"))


class StaffMixin(AccessMixin):
    """Signed-in staff who may read some results: the permission, or editing a team."""

    login_url = reverse_lazy("admin:login")

    def dispatch(self, request, *args, **kwargs):
        user = request.user
        if not user.is_authenticated:
            return self.handle_no_permission()
        if not (reads_every_team(user) or (user.is_staff and editor_teams(user))):
            raise PermissionDenied
        return super().dispatch(request, *args, **kwargs)

    def survey_and_teams(self, slug) -> tuple[Survey, list[Team] | None]:
        """The survey, and the only teams whose results may be read (None: every team)."""
        survey = get_object_or_404(Survey, slug=slug)
        if reads_every_team(self.request.user):
            return survey, None
        if not survey.team_editors_read_results:
            raise PermissionDenied
        return survey, editor_teams(self.request.user)


class StaffSurveyListView(StaffMixin, ListView):
    template_name = "surveys/staff_list.html"
    context_object_name = "surveys"

    def get_queryset(self):
        if reads_every_team(self.request.user):
            return Survey.objects.all()
        return Survey.objects.filter(team_editors_read_results=True)


class StaffResultsView(StaffMixin, View):
    def get(self, request, slug):
        survey, teams = self.survey_and_teams(slug)
        context = results_context(request, survey, public=False, teams=teams)
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


class CsvMixin(StaffMixin):
    """An export for the filters in the address: its file name and first line say which."""

    what = ""  # "results" or "responses"

    def export(self, slug) -> tuple[Survey, object]:
        survey, teams = self.survey_and_teams(slug)
        _, team, quarter, filters = results_filters(
            self.request, survey, tallies=survey_tallies(survey.pk), teams=teams
        )
        self.team, self.quarter, self.filters = team, quarter, filters
        return survey, filters

    def filename(self, survey: Survey) -> str:
        quarter = self.filters.quarter
        parts = [
            survey.slug,
            self.what,
            self.team.slug if self.team else "all-teams",
            f"{quarter[0]}-q{quarter[1]}" if quarter else "all-quarters",
            f"{timezone.localdate():%Y-%m-%d}",
        ]
        return "-".join(parts) + ".csv"

    def first_line(self, survey: Survey) -> list[str]:
        return [
            f"{survey.title}: {self.what}",
            f"Team: {self.team.name if self.team else 'All teams'}",
            f"Quarter: {self.quarter or 'All quarters'}",
            f"Made on {timezone.localdate():%d %B %Y}",
        ]

    def disposition(self, survey: Survey) -> str:
        return f'attachment; filename="{self.filename(survey)}"'


class ResponsesCsvView(CsvMixin, View):
    """Every response for the filters in use, one row each and one column per question,
    streamed: the responses and their answers are read as two streams in the same order and
    merged, so memory stays flat and the database is asked a handful of times however many
    responses there are."""

    what = "responses"

    def get(self, request, slug):
        survey, filters = self.export(slug)
        questions = list(Question.objects.filter(page__survey=survey).in_survey_order())
        writer = SafeWriter(_Echo())
        response = StreamingHttpResponse(
            self.rows(survey, filters, questions, writer), content_type="text/csv; charset=utf-8"
        )
        response["Content-Disposition"] = self.disposition(survey)
        return response

    def rows(self, survey, filters, questions, writer):
        yield writer.writerow(self.first_line(survey))
        yield writer.writerow(
            ["reference", "submitted_on", "team", "demo"]
            + [question.text for question in questions]
        )
        columns = {question.pk: index for index, question in enumerate(questions)}
        where = [q.pk for q in questions if q.kind == Question.Kind.WHERE]
        responses = (
            survey.responses.filter(**filters.lookups())
            .order_by("pk")
            .values_list("pk", "reference", "submitted_on", "team__name", "is_demo")
            .iterator(chunk_size=CSV_CHUNK)
        )
        answers = groupby(
            Answer.objects.filter(response__survey=survey, **filters.lookups("response__"))
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


class ResultsCsvView(CsvMixin, View):
    """The aggregated table for the filters in use: question, answer, people, percentage, and
    for a number question the people who answered and their average, in a column of its own."""

    what = "results"

    def get(self, request, slug):
        survey, teams = self.survey_and_teams(slug)
        data = results_context(request, survey, public=False, teams=teams)
        self.team, self.quarter, self.filters = data["team"], data["quarter"], data["filters"]
        response = HttpResponse(content_type="text/csv; charset=utf-8")
        response["Content-Disposition"] = self.disposition(survey)
        writer = SafeWriter(response)
        writer.writerow(self.first_line(survey))
        writer.writerow(
            ["question", "answer", "people", "percent of those who answered", "average answer"]
        )
        for result in data["results"]:
            for row in result.rows:
                percent = "" if row.percent is None else f"{row.percent:.1f}"
                writer.writerow([result.question.text, row.label, row.count, percent, ""])
            if result.average is not None:
                writer.writerow(
                    [
                        result.question.text,
                        "everyone who answered",
                        result.base,
                        "",
                        f"{result.average:.1f}",
                    ]
                )
        return response
