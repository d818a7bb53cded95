"""Writes that span the survey models: storing a response exactly once, purging free text,
and the per-client submission limit (kept in the cache, never in the database)."""

import datetime
import uuid

from django.conf import settings
from django.contrib.auth.models import Group, Permission
from django.db import IntegrityError, transaction
from django.utils import timezone

from portal.throttle import client_key, count, counted
from teams.models import FORCE_ADMINISTRATORS

from .models import AGREEMENT_SCALE, RATING_SCALE, Answer, Choice, Question, Response, Survey
from .tallies import response_tally, results_changed, tallies_add


def response_submit(
    *,
    survey: Survey,
    token: str | uuid.UUID,
    answers: dict[Question, object],
    submitted_on: datetime.date | None = None,
    is_demo: bool = False,
) -> tuple[Response, bool]:
    """Store a questionnaire once. A second call with the same token (a double click, a
    resubmitted form, a replayed POST, even at the same instant) returns the first response
    and False: the unique token in the database decides, not the application."""
    token = uuid.UUID(str(token))
    existing = Response.objects.filter(token=token).first()
    if existing is not None:
        return existing, False
    team_id = None
    rows = []
    for question, value in answers.items():
        if question.kind == Question.Kind.WHERE:
            team_id = value
        elif question.has_choices:
            for choice_id in value if isinstance(value, list) else [value]:
                rows.append(Answer(question=question, choice_id=choice_id))
        elif question.kind == Question.Kind.NUMBER:
            rows.append(Answer(question=question, number=value))
        else:
            rows.append(Answer(question=question, text=value))
    submitted_on = submitted_on or timezone.localdate()
    try:
        with transaction.atomic():
            # One response to a survey at a time: its counts are added up in the same
            # transaction, and a rebuild of the counts waits for it.
            Survey.objects.select_for_update().filter(pk=survey.pk).first()
            response = Response.objects.create(
                survey=survey,
                team_id=team_id,
                token=token,
                # Only the day: the time of day could help pick a resident out.
                submitted_on=submitted_on,
                is_demo=is_demo,
            )
            for row in rows:
                row.response = response
            Answer.objects.bulk_create(rows)
            tallies_add(
                survey_id=survey.pk,
                tallies=response_tally(team_id=team_id, day=submitted_on, answers=answers),
            )
            results_changed()
    except IntegrityError:
        # Another request with the same token won the race; its response is the one.
        existing = Response.objects.filter(token=token).first()
        if existing is None:
            raise
        return existing, False
    return response, True


def free_text_purge(*, today: datetime.date | None = None) -> int:
    """Blank written comments older than each survey's retention period; the number blanked."""
    today = today or timezone.localdate()
    purged = 0
    for survey in Survey.objects.all():
        cutoff = today - datetime.timedelta(days=survey.free_text_retention_days)
        purged += (
            Answer.objects.filter(
                response__survey=survey,
                response__submitted_on__lt=cutoff,
                question__kind__in=Question.TEXT_KINDS,
            )
            .exclude(text="")
            .update(text="")
        )
    return purged


def submission_allowed(address: str) -> bool:
    """Whether this client is under the hourly limit of submissions."""
    return counted(client_key("surveys", address)) < settings.SURVEYS_SUBMISSIONS_PER_HOUR


def submission_count(address: str) -> None:
    count(client_key("surveys", address), seconds=60 * 60)


def survey_permissions_grant() -> None:
    """Let force administrators build surveys, open and close them, and read every result.

    Team editors are given nothing here: surveys are the force's. Safe to run again.
    """
    administrators, _ = Group.objects.get_or_create(name=FORCE_ADMINISTRATORS)
    administrators.permissions.add(*Permission.objects.filter(content_type__app_label="surveys"))


def question_scale_fill(*, question: Question) -> list[Choice]:
    """Give an agreement or rating question with no choices its standard scale, and return it."""
    scales = {Question.Kind.AGREEMENT: AGREEMENT_SCALE, Question.Kind.RATING: RATING_SCALE}
    scale = scales.get(question.kind)
    if scale is None or question.choices.exists():
        return []
    return Choice.objects.bulk_create(
        Choice(question=question, label=label, positive=positive, order=order)
        for order, (label, positive) in enumerate(scale, start=1)
    )
