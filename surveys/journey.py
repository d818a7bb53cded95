"""A resident's progress through a questionnaire, kept in their session until they send it.

The session holds, per survey: the idempotency token issued at the start, the time they started
(for the minimum-time check), the answers so far and which pages they have completed. A postcode
is never kept: only the team it was turned into.

Progress left alone for `progress_lifetime()` (the session's age, four hours) is forgotten the
next time it is looked at, and the session itself expires then; expired sessions are deleted
from the store at most every quarter of an hour as residents start surveys, so abandoned
answers do not wait for someone to run `clearsessions`.
"""

import time
import uuid
from dataclasses import dataclass, field
from importlib import import_module

from django.conf import settings
from django.core.cache import cache
from django.db.models import Prefetch

from .models import Page, Question, Survey


def progress_lifetime() -> int:
    """Seconds a survey left alone is kept: the session's own age."""
    return settings.SESSION_COOKIE_AGE


def clear_expired_sessions() -> None:
    """Delete expired sessions (and the answers in them) from the store, at most every 15
    minutes across all workers (the shared cache decides)."""
    if cache.add("surveys:sessions-cleared", True, timeout=15 * 60):
        import_module(settings.SESSION_ENGINE).SessionStore.clear_expired()


def session_key(survey: Survey) -> str:
    return f"survey:{survey.pk}"


def confirmation_key(survey: Survey) -> str:
    return f"survey:{survey.pk}:reference"


def survey_with_questions(queryset, **lookup) -> Survey:
    """The survey with its pages, questions and choices in three queries."""
    return queryset.prefetch_related(
        Prefetch(
            "pages",
            queryset=Page.objects.prefetch_related(
                Prefetch(
                    "questions",
                    queryset=Question.objects.prefetch_related("choices", "show_if"),
                )
            ),
        )
    ).get(**lookup)


@dataclass
class Progress:
    """What the resident has answered so far; saved back into the session by `save()`."""

    survey: Survey
    session: object
    token: str = ""
    started: float = 0.0
    answers: dict = field(default_factory=dict)
    done: list = field(default_factory=list)
    touched: float = 0.0

    @classmethod
    def load(cls, survey: Survey, session) -> "Progress | None":
        data = session.get(session_key(survey))
        if not data:
            return None
        if time.time() - data.get("touched", data["started"]) > progress_lifetime():
            session.pop(session_key(survey), None)
            return None
        return cls(survey=survey, session=session, **data)

    @classmethod
    def begin(cls, survey: Survey, session) -> "Progress":
        progress = cls(survey=survey, session=session, token=str(uuid.uuid4()), started=time.time())
        progress.save()
        clear_expired_sessions()
        return progress

    def save(self) -> None:
        self.touched = time.time()
        self.session[session_key(self.survey)] = {
            "token": self.token,
            "started": self.started,
            "answers": self.answers,
            "done": self.done,
            "touched": self.touched,
        }

    def forget(self) -> None:
        self.session.pop(session_key(self.survey), None)

    # Which questions and pages this resident is asked

    def chosen(self, question_id: int) -> set[int]:
        value = self.answers.get(str(question_id))
        if isinstance(value, list):
            return set(value)
        return {value} if isinstance(value, int) else set()

    def asks(self, question: Question) -> bool:
        """Asked of everyone, or of those who gave any one of the answers it follows."""
        conditions = question.show_if.all()
        return not conditions or any(
            choice.pk in self.chosen(choice.question_id) for choice in conditions
        )

    def questions_on(self, page: Page) -> list[Question]:
        return [question for question in page.questions.all() if self.asks(question)]

    def pages(self) -> list[Page]:
        """The pages this resident sees, in order: a page whose every question is conditional
        on an answer they did not give is skipped."""
        return [page for page in self.survey.pages.all() if self.questions_on(page)]

    def first_unfinished(self) -> int | None:
        """The number (from 1) of the first page not yet completed, or None if all are."""
        for number, page in enumerate(self.pages(), start=1):
            if page.pk not in self.done:
                return number
        return None

    def record(self, page: Page, answers: dict) -> None:
        for question in page.questions.all():
            self.answers.pop(str(question.pk), None)
        self.answers.update({str(pk): value for pk, value in answers.items()})
        if page.pk not in self.done:
            self.done.append(page.pk)
        self.save()

    def answers_to_store(self) -> dict[Question, object]:
        """Only the answers to questions still asked: changing an earlier answer drops the
        answers to conditional questions that no longer apply."""
        stored = {}
        for page in self.pages():
            for question in self.questions_on(page):
                value = self.answers.get(str(question.pk))
                if value not in (None, "", []):
                    stored[question] = value
        return stored
