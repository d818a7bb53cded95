"""Whether a survey is fit to open: every page renders for a resident, every question can be
answered, and every "Show if" points at an earlier question of the same survey.

Run when staff open a survey in the admin; the messages say what to fix, in staff's words.
"""

from crispy_forms.utils import render_crispy_form
from django.conf import settings
from django.contrib.sessions.models import Session
from django.utils import timezone

from .forms import SurveyPageForm
from .journey import session_key
from .models import Question, Survey

# Fewer than this many choices is not a choice.
LEAST_CHOICES = 2


def survey_problems(survey: Survey) -> list[str]:
    """What stops residents from answering `survey`, page by page; empty when it may open."""
    pages = list(
        survey.pages.prefetch_related("questions__choices", "questions__show_if__question__page")
    )
    questions = [question for page in pages for question in page.questions.all()]
    if not questions:
        return ["Add at least one question: the survey has nothing to answer."]
    problems = []
    for page in pages:
        asked = list(page.questions.all())
        if not asked:
            problems.append(f"Page “{page.title}” has no questions: add one or delete the page.")
            continue
        for question in asked:
            problems += _question_problems(survey, page, question)
        try:
            render_crispy_form(SurveyPageForm(questions=asked))
        except Exception as error:  # noqa: BLE001 - any failure here is a page residents can't use
            problems.append(
                f"Page “{page.title}” cannot be shown to residents ({type(error).__name__}). "
                "Check its questions, or ask for help."
            )
    return problems


def _question_problems(survey: Survey, page, question: Question) -> list[str]:
    problems = []
    where = f"“{question.text}” (page “{page.title}”)"
    if question.has_choices and len(question.choices.all()) < LEAST_CHOICES:
        if question.kind in (Question.Kind.AGREEMENT, Question.Kind.RATING):
            problems.append(
                f"{where} has no scale: save the question again and its scale is filled in."
            )
        else:
            problems.append(
                f"{where} needs at least {LEAST_CHOICES} answers to choose from: add its choices."
            )
    for choice in question.show_if.all():
        earlier = choice.question.page
        if earlier.survey_id != survey.pk:
            problems.append(f"{where} is shown only after an answer from another survey.")
        elif (earlier.order, earlier.pk) >= (page.order, page.pk):
            problems.append(
                f"{where} depends on an answer on the same or a later page: residents will not "
                "have given it yet. Move the question, or choose an answer from an earlier page."
            )
    low, high = question.min_value, question.max_value
    if question.kind == Question.Kind.NUMBER and None not in (low, high) and low > high:
        problems.append(f"{where}: the least number is above the largest.")
    return problems


# Session engines whose sessions can be counted in the database.
COUNTABLE_SESSIONS = {
    "django.contrib.sessions.backends.db",
    "django.contrib.sessions.backends.cached_db",
}


def residents_part_way(survey: Survey) -> int:
    """How many residents have started `survey` and not yet sent it (0 if it cannot be told).

    Each resident's progress lives in their session for a few hours; only unexpired sessions
    are read, and only when staff close a survey.
    """
    if settings.SESSION_ENGINE not in COUNTABLE_SESSIONS:
        return 0
    key = session_key(survey)
    live = Session.objects.filter(expire_date__gt=timezone.now()).iterator(chunk_size=2000)
    return sum(1 for session in live if session.get_decoded().get(key))
