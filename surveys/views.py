"""Answering a survey (start, one page per section, check answers, confirmation) and the
published results. Staff results and exports are in staff_views.py."""

import time
import uuid

from django.conf import settings
from django.contrib import messages
from django.db.models import Q
from django.http import Http404, HttpResponseRedirect
from django.shortcuts import get_object_or_404, render
from django.template.defaultfilters import pluralize
from django.template.response import TemplateResponse
from django.urls import reverse
from django.utils import timezone
from django.views import View
from django.views.generic import ListView, TemplateView

from portal.cache import SharedPageMixin, seconds_until
from portal.clients import client_address
from teams.models import Team

from .disclosure import kept_published_tallies
from .forms import ResultsFilterForm, SurveyPageForm
from .journey import Progress, confirmation_key, progress_lifetime, survey_with_questions
from .models import Question, Survey
from .results import Filters, quarters_with_responses, survey_questions
from .selectors import results_figures
from .services import response_submit, submission_allowed, submission_count
from .tallies import results_version, survey_tallies

HONEYPOT = "website"


class SurveyListView(SharedPageMixin, ListView):
    template_name = "surveys/survey_list.html"
    context_object_name = "open_surveys"

    def shared_page_seconds(self) -> int:
        """Until the next survey opens or closes."""
        now = timezone.now()
        coming = Survey.objects.filter(Q(opens_at__gt=now) | Q(closes_at__gt=now))
        moments = coming.values_list("opens_at", "closes_at")
        return seconds_until(*[moment for pair in moments for moment in pair], now=now)

    def get_queryset(self):
        return Survey.objects.open()

    def get_context_data(self, **kwargs):
        return super().get_context_data(published=Survey.objects.with_public_results(), **kwargs)


class JourneyMixin:
    """Finds the survey and the resident's progress. A survey that is not open (closed in the
    meantime, or not yet open) says so and forgets any half-done answers; staff who may change
    surveys can walk through a draft as a preview, which stores nothing."""

    def dispatch(self, request, *args, **kwargs):
        try:
            self.survey = survey_with_questions(Survey.objects.all(), slug=kwargs["slug"])
        except Survey.DoesNotExist as error:
            raise Http404("No such survey") from error
        self.preview = not self.survey.is_open() and request.user.has_perm("surveys.change_survey")
        if self.survey.status == Survey.Status.DRAFT and not self.preview:
            raise Http404("No such survey")
        self.progress = Progress.load(self.survey, request.session)
        if not self.survey.is_open() and not self.preview:
            if self.progress:
                self.progress.forget()
            return render(request, "surveys/closed.html", {"survey": self.survey})
        return super().dispatch(request, *args, **kwargs)

    def get_context_data(self, **kwargs):
        return super().get_context_data(survey=self.survey, preview=self.preview, **kwargs)

    def restart(self):
        """No answers in progress: either they were sent (the browser's Back button after
        sending), or they were left too long."""
        reference = self.request.session.get(confirmation_key(self.survey))
        if reference:
            return render(
                self.request,
                "surveys/already_sent.html",
                {"survey": self.survey, "reference": reference},
            )
        hours = progress_lifetime() // 3600
        messages.info(
            self.request,
            f"Your answers were not kept, perhaps because you left the survey for more than "
            f"{hours} hour{pluralize(hours)}. Please start again.",
        )
        return HttpResponseRedirect(reverse("surveys:start", kwargs={"slug": self.survey.slug}))

    def fixed_route(self) -> bool:
        """Whether every resident sees the same pages (no page is shown only after some
        answer), so that "page 2 of 4" stays true whatever they answer."""
        return not any(
            question.show_if.all()
            for page in self.survey.pages.all()
            for question in page.questions.all()
        )


class StartView(JourneyMixin, TemplateView):
    template_name = "surveys/start.html"

    def get_context_data(self, **kwargs):
        return super().get_context_data(
            page_count=len(self.survey.pages.all()),
            fixed_route=self.fixed_route(),
            in_progress=self.progress is not None,
            **kwargs,
        )

    def post(self, request, *args, **kwargs):
        if self.progress is None or "restart" in request.POST:
            if self.progress:
                self.progress.forget()
            # A new set of answers (someone else in the household): the last reference is
            # not theirs.
            request.session.pop(confirmation_key(self.survey), None)
            self.progress = Progress.begin(self.survey, request.session)
        number = self.progress.first_unfinished()
        if number is None:
            return HttpResponseRedirect(reverse("surveys:check", kwargs={"slug": self.survey.slug}))
        return HttpResponseRedirect(
            reverse("surveys:page", kwargs={"slug": self.survey.slug, "number": number})
        )


class PageView(JourneyMixin, TemplateView):
    """One section of the questionnaire, "Page 2 of 4"."""

    template_name = "surveys/page.html"

    def setup_page(self):
        pages = self.progress.pages()
        number = self.kwargs["number"]
        if not 1 <= number <= len(pages):
            raise Http404("No such page")
        self.pages, self.number, self.page = pages, number, pages[number - 1]
        self.questions = self.progress.questions_on(self.page)

    def form(self, data=None):
        team_names = {}
        for question in self.questions:
            team_id = self.progress.answers.get(str(question.pk))
            if question.kind == Question.Kind.WHERE and team_id:
                team = Team.objects.filter(pk=team_id).first()
                team_names[question.pk] = team.name if team else ""
        return SurveyPageForm(
            data,
            questions=self.questions,
            team_names=team_names,
            initial=SurveyPageForm.initial_from(self.questions, self.progress.answers),
        )

    def get(self, request, *args, **kwargs):
        if self.progress is None:
            return self.restart()
        self.setup_page()
        return self.render_to_response(self.get_context_data(form=self.form()))

    def post(self, request, *args, **kwargs):
        if self.progress is None:
            return self.restart()
        self.setup_page()
        form = self.form(request.POST)
        if not form.is_valid():
            return self.render_to_response(self.get_context_data(form=form))
        self.progress.record(self.page, form.answers())
        slug = self.survey.slug
        changing = request.GET.get("change") == "1"
        pages = self.progress.pages()  # an answer may have shown or hidden later pages
        if changing or self.number >= len(pages):
            number = self.progress.first_unfinished()
        else:
            number = self.number + 1
        if number is None:
            return HttpResponseRedirect(reverse("surveys:check", kwargs={"slug": slug}))
        return HttpResponseRedirect(
            reverse("surveys:page", kwargs={"slug": slug, "number": number})
        )

    def get_context_data(self, **kwargs):
        slug = self.survey.slug
        if self.request.GET.get("change") == "1":
            back = reverse("surveys:check", kwargs={"slug": slug})  # where they came from
        elif self.number > 1:
            back = reverse("surveys:page", kwargs={"slug": slug, "number": self.number - 1})
        else:
            back = reverse("surveys:start", kwargs={"slug": slug})
        return super().get_context_data(
            page=self.page,
            number=self.number,
            page_count=len(self.pages) if self.fixed_route() else None,
            back_url=back,
            **kwargs,
        )


class CheckAnswersView(JourneyMixin, TemplateView):
    """Check your answers, with a change link for each; sending stores the response once."""

    template_name = "surveys/check.html"

    def summary(self):
        sections = []
        team_ids = [
            value
            for question, value in self.progress.answers_to_store().items()
            if question.kind == Question.Kind.WHERE
        ]
        teams = Team.objects.in_bulk(team_ids)
        for number, page in enumerate(self.progress.pages(), start=1):
            rows = []
            for question in self.progress.questions_on(page):
                value = self.progress.answers.get(str(question.pk))
                rows.append({"question": question, "answer": self.display(question, value, teams)})
            sections.append({"page": page, "number": number, "rows": rows})
        return sections

    @staticmethod
    def display(question, value, teams) -> list[str]:
        if value in (None, "", []):
            return ["Prefer not to say" if question.kind == Question.Kind.WHERE else "Not answered"]
        if question.has_choices:
            chosen = set(value) if isinstance(value, list) else {value}
            return [choice.label for choice in question.choices.all() if choice.pk in chosen]
        if question.kind == Question.Kind.WHERE:
            team = teams.get(value)
            return [f"{team.name} area" if team else "Prefer not to say"]
        return [str(value)]

    def get(self, request, *args, **kwargs):
        if self.progress is None:
            return self.restart()
        number = self.progress.first_unfinished()
        if number is not None:
            return HttpResponseRedirect(
                reverse("surveys:page", kwargs={"slug": self.survey.slug, "number": number})
            )
        return self.render_to_response(self.get_context_data())

    def get_context_data(self, **kwargs):
        pages = self.progress.pages()
        return super().get_context_data(
            sections=self.summary(),
            token=self.progress.token,
            honeypot=HONEYPOT,
            back_url=reverse(
                "surveys:page", kwargs={"slug": self.survey.slug, "number": len(pages)}
            ),
            **kwargs,
        )

    def post(self, request, *args, **kwargs):
        survey = self.survey
        confirmation = HttpResponseRedirect(
            reverse("surveys:confirmation", kwargs={"slug": survey.slug})
        )
        token = request.POST.get("token", "")
        already = survey.responses.filter(token=token).first() if _is_uuid(token) else None
        if already is not None:
            # A double click or a replayed form: the response is stored already.
            request.session[confirmation_key(survey)] = already.reference
            return confirmation
        if self.progress is None or token != self.progress.token:
            return self.restart()
        if self.progress.first_unfinished() is not None:
            return self.get(request, *args, **kwargs)
        if self.preview:
            self.progress.forget()
            messages.info(request, "Preview finished: nothing was stored.")
            return HttpResponseRedirect(reverse("surveys:start", kwargs={"slug": survey.slug}))
        if request.POST.get(HONEYPOT):
            return render(request, "surveys/not_accepted.html", {"survey": survey}, status=400)
        if time.time() - self.progress.started < settings.SURVEYS_MINIMUM_SECONDS:
            # Faster than a person could read the questions: most likely a script. A person
            # who really was that quick only has to check their answers and send them again.
            return self.render_to_response(self.get_context_data(too_quick=True), status=400)
        address = client_address(request)
        if not submission_allowed(address):
            return render(request, "surveys/too_many.html", {"survey": survey}, status=429)
        response, created = response_submit(
            survey=survey, token=token, answers=self.progress.answers_to_store()
        )
        if created:
            submission_count(address)
        self.progress.forget()
        request.session[confirmation_key(survey)] = response.reference
        return confirmation


def _is_uuid(value: str) -> bool:
    try:
        uuid.UUID(value)
    except ValueError:
        return False
    return True


class ConfirmationView(View):
    def get(self, request, slug):
        survey = get_object_or_404(Survey.objects.exclude(status=Survey.Status.DRAFT), slug=slug)
        reference = request.session.get(confirmation_key(survey))
        if not reference:
            return HttpResponseRedirect(reverse("surveys:start", kwargs={"slug": slug}))
        return render(
            request, "surveys/confirmation.html", {"survey": survey, "reference": reference}
        )


def results_filters(request, survey: Survey, *, tallies, teams=None):
    """The filter form, the team and quarter chosen, and the Filters they make.

    `teams`: the only teams this member of staff may read (a team editor's), or None for
    all. Limited to some teams, the first is shown when none is asked for, and asking for
    any other (a typed or forged address) is not found."""
    form = ResultsFilterForm(
        request.GET or None, quarters=quarters_with_responses(survey, tallies), teams=teams
    )
    team = form.selected_team() if form.is_bound else None
    quarter = form.selected_quarter() if form.is_bound else None
    if teams is not None:
        if request.GET.get("team") and team not in teams:
            raise Http404("No team of yours has that name.")
        if team is None:
            if not teams:
                raise Http404("You edit no team.")
            team = teams[0]
    filters = Filters(team_id=team.pk if team else None, quarter=quarter)
    label = quarter and dict(form.fields["quarter"].choices).get(form.cleaned_data["quarter"])
    return form, team, label, filters


def results_context(request, survey: Survey, *, public: bool, teams=None) -> dict:
    """The filters and the figures, shared by the public and the staff pages: the public's
    from the published counts, kept once for each version of the results."""
    questions = survey_questions(survey)
    tallies = kept_published_tallies(survey, questions) if public else survey_tallies(survey.pk)
    form, team, quarter, filters = results_filters(request, survey, tallies=tallies, teams=teams)
    return {
        "survey": survey,
        "form": form,
        "team": team,
        "quarter": quarter,
        "filters": filters,
        **results_figures(survey, filters, public=public, tallies=tallies, questions=questions),
    }


class PublicResultsView(SharedPageMixin, View):
    """The published results, the same for every resident: each page (all teams, or one team
    that exists; all quarters, or one with results) is kept in the shared cache until a
    response arrives or a survey is edited, when every kept results page starts a new version
    (tallies.results_changed). Filters naming anything else are drawn each time and not kept.
    Every page is drawn from the published counts, worked out once for each version."""

    shared_query_names = ("team", "quarter")

    def shared_page_version(self) -> str:
        return f"results-{results_version()}"

    def shared_page_seconds(self) -> int:
        return 600

    def get(self, request, slug):
        survey = get_object_or_404(Survey.objects.with_public_results(), slug=slug)
        context = results_context(request, survey, public=True)
        # Kept only when every filter named a known team or quarter (or none).
        self.shared_query_known = not context["form"].is_bound or context["form"].is_valid()
        return TemplateResponse(request, "surveys/results.html", context)
