"""Questionnaires (surveys, pages, questions, choices) and what residents send back (responses)."""

import datetime
import secrets

from django.core.exceptions import ValidationError
from django.core.validators import MinValueValidator
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone

from portal.clock import quarter_span
from portal.constraints import FieldCheckConstraint


class SurveyQuerySet(models.QuerySet):
    def open(self, now: datetime.datetime | None = None):
        """Surveys a resident may answer now."""
        now = now or timezone.now()
        return self.filter(
            Q(status=Survey.Status.OPEN),
            Q(opens_at__isnull=True) | Q(opens_at__lte=now),
            Q(closes_at__isnull=True) | Q(closes_at__gt=now),
        )

    def with_public_results(self):
        """Surveys whose results the public may see (never a draft's)."""
        return self.filter(results_public=True).exclude(status=Survey.Status.DRAFT)


class Survey(models.Model):
    class Status(models.TextChoices):
        DRAFT = "draft", "Draft"
        OPEN = "open", "Open"
        CLOSED = "closed", "Closed"

    title = models.CharField(max_length=200)
    slug = models.SlugField(max_length=100, unique=True)
    introduction = models.TextField(help_text="What the survey is for; shown on the start page.")
    privacy_notice = models.TextField(
        help_text="How answers are used and kept; shown on the start page."
    )
    minutes_to_complete = models.PositiveSmallIntegerField(default=5)
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.DRAFT)
    opens_at = models.DateTimeField(null=True, blank=True)
    closes_at = models.DateTimeField(null=True, blank=True)
    results_public = models.BooleanField(
        "publish results", default=False, help_text="Show the results on the public site."
    )
    minimum_public_count = models.PositiveSmallIntegerField(
        "smallest count shown publicly",
        default=10,
        validators=[MinValueValidator(1)],
        help_text="Public results show any smaller count as 'fewer than' this number.",
    )
    free_text_retention_days = models.PositiveSmallIntegerField(
        default=365,
        help_text="Written comments are deleted this many days after they were sent.",
    )
    team_editors_read_results = models.BooleanField(
        "team editors may read their team's results",
        default=False,
        help_text=(
            "Let each team's editors read the exact results and written answers of the "
            "residents who live in their team's area, and download them. They never see "
            "another team's."
        ),
    )

    objects = SurveyQuerySet.as_manager()

    class Meta:
        ordering = ["title"]
        permissions = [("view_results", "Can view survey results and export responses")]
        constraints = [
            FieldCheckConstraint(
                field="closes_at",
                condition=Q(closes_at__isnull=True)
                | Q(opens_at__isnull=True)
                | Q(closes_at__gt=models.F("opens_at")),
                name="survey_closes_after_opening",
                violation_error_message="The closing time must be after the opening time.",
            ),
        ]

    def __str__(self):
        return self.title

    def get_absolute_url(self):
        return reverse("surveys:start", kwargs={"slug": self.slug})

    def clean(self):
        if self.slug == "staff":
            raise ValidationError({"slug": "“staff” is the address of the staff results."})

    def is_open(self, now: datetime.datetime | None = None) -> bool:
        now = now or timezone.now()
        return (
            self.status == self.Status.OPEN
            and (self.opens_at is None or self.opens_at <= now)
            and (self.closes_at is None or self.closes_at > now)
        )

    def has_responses(self) -> bool:
        return self.responses.exists()


class Page(models.Model):
    """A section of the questionnaire, shown on a page of its own."""

    survey = models.ForeignKey(Survey, on_delete=models.CASCADE, related_name="pages")
    title = models.CharField(max_length=200)
    order = models.PositiveSmallIntegerField(default=0)

    class Meta:
        ordering = ["order", "id"]  # within the survey; never through another table

    def __str__(self):
        return self.title

    def has_responses(self) -> bool:
        return self.pk is not None and Answer.objects.filter(question__page=self).exists()


class QuestionQuerySet(models.QuerySet):
    def in_survey_order(self):
        """Page by page, then as each page asks them: for a survey's questions."""
        return self.order_by("page__order", "page_id", "order", "id")


class Question(models.Model):
    class Kind(models.TextChoices):
        SINGLE = "single", "Single choice (radios)"
        MULTIPLE = "multiple", "Multiple choice (checkboxes)"
        AGREEMENT = "agreement", "Agreement scale (strongly agree ... strongly disagree)"
        RATING = "rating", "Rating scale (excellent ... very poor)"
        SHORT_TEXT = "short-text", "Short free text"
        LONG_TEXT = "long-text", "Long free text"
        NUMBER = "number", "Number"
        WHERE = "where", "Where do you live (postcode, stored as the team only)"

    CHOICE_KINDS = {Kind.SINGLE, Kind.MULTIPLE, Kind.AGREEMENT, Kind.RATING}
    TEXT_KINDS = {Kind.SHORT_TEXT, Kind.LONG_TEXT}

    page = models.ForeignKey(Page, on_delete=models.CASCADE, related_name="questions")
    text = models.CharField(max_length=300)
    short_text = models.CharField(
        "question in a few words",
        max_length=100,
        blank=True,
        help_text="For error messages: “how good a job the police are doing” gives “Select how "
        "good a job the police are doing”. Left empty, the message is “Select an answer”.",
    )
    help_text = models.CharField(max_length=300, blank=True)
    kind = models.CharField(max_length=12, choices=Kind.choices)
    required = models.BooleanField(default=True)
    order = models.PositiveSmallIntegerField(default=0)
    max_length = models.PositiveIntegerField(
        null=True, blank=True, help_text="For free text: the most characters a resident may write."
    )
    min_value = models.IntegerField(null=True, blank=True, help_text="For numbers.")
    max_value = models.IntegerField(null=True, blank=True, help_text="For numbers.")
    show_if = models.ManyToManyField(
        "Choice",
        blank=True,
        related_name="conditional_questions",
        help_text="Ask this question only of people who gave one of these answers on an earlier "
        "page. Leave empty to ask everyone.",
    )
    headline = models.BooleanField(
        default=False,
        help_text="The headline measure, tracked by quarter: the share of answers marked positive.",
    )

    objects = QuestionQuerySet.as_manager()

    class Meta:
        ordering = ["order", "id"]  # within the page: a survey's are in_survey_order()

    def __str__(self):
        return self.text

    @property
    def has_choices(self) -> bool:
        return self.kind in self.CHOICE_KINDS

    @property
    def is_free_text(self) -> bool:
        return self.kind in self.TEXT_KINDS

    def has_responses(self) -> bool:
        return self.pk is not None and self.answers.exists()

    def clean(self):
        bounded = None not in (self.min_value, self.max_value)
        if self.kind == self.Kind.NUMBER and bounded and self.min_value > self.max_value:
            raise ValidationError({"max_value": "The largest number must be above the least."})
        if self.pk and self.has_responses():
            before = Question.objects.get(pk=self.pk)
            if before.kind != self.kind or before.page.survey_id != self.page.survey_id:
                # Earlier answers were given to the question as it was: changing what kind of
                # question it is would make the published counts mean something else.
                raise ValidationError(
                    "People have already answered this question, so its type and survey cannot "
                    "change. Add a new question instead."
                )


AGREEMENT_SCALE = [
    ("Strongly agree", True),
    ("Tend to agree", True),
    ("Neither agree nor disagree", False),
    ("Tend to disagree", False),
    ("Strongly disagree", False),
    ("Don't know", False),
]
RATING_SCALE = [
    ("Excellent", True),
    ("Good", True),
    ("Fair", False),
    ("Poor", False),
    ("Very poor", False),
    ("Don't know", False),
]


class Choice(models.Model):
    """One answer a resident may pick. `positive` marks the answers a headline measure counts."""

    question = models.ForeignKey(Question, on_delete=models.CASCADE, related_name="choices")
    label = models.CharField(max_length=200)
    order = models.PositiveSmallIntegerField(default=0)
    positive = models.BooleanField(default=False)

    class Meta:
        ordering = ["order", "id"]  # within the question

    def __str__(self):
        return f"{self.question}: {self.label}"

    def has_responses(self) -> bool:
        return self.pk is not None and self.answers.exists()


def new_reference() -> str:
    """A reference a resident can read out: 8 characters without look-alikes (0/O, 1/I)."""
    alphabet = "ABCDEFGHJKLMNPQRSTUVWXYZ23456789"
    code = "".join(secrets.choice(alphabet) for _ in range(8))
    return f"{code[:4]}-{code[4:]}"


class ResponseQuerySet(models.QuerySet):
    def in_quarter(self, year: int, quarter: int):
        start, end = quarter_span(year, quarter)
        return self.filter(submitted_on__gte=start, submitted_on__lt=end)


class Response(models.Model):
    """One questionnaire as sent. Anonymous by design: no address, browser, account or time of
    day, only the day it was sent and the team for where the resident lives (if they said)."""

    survey = models.ForeignKey(Survey, on_delete=models.PROTECT, related_name="responses")
    team = models.ForeignKey(
        "teams.Team", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    submitted_on = models.DateField(db_index=True)
    token = models.UUIDField(
        unique=True, help_text="Issued when the resident starts: a replayed submission reuses it."
    )
    reference = models.CharField(max_length=9, unique=True, default=new_reference)
    is_demo = models.BooleanField(default=False, help_text="Sample data, not a real resident's.")

    objects = ResponseQuerySet.as_manager()

    class Meta:
        ordering = ["-submitted_on", "-id"]
        indexes = [models.Index(fields=["survey", "submitted_on"])]

    def __str__(self):
        return self.reference


class Answer(models.Model):
    """One answer: a choice (one row per ticked box), free text or a number."""

    response = models.ForeignKey(Response, on_delete=models.CASCADE, related_name="answers")
    question = models.ForeignKey(Question, on_delete=models.PROTECT, related_name="answers")
    choice = models.ForeignKey(
        Choice, null=True, blank=True, on_delete=models.PROTECT, related_name="answers"
    )
    text = models.TextField(blank=True)
    number = models.IntegerField(null=True, blank=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["response", "question", "choice"], name="answer_choice_once"
            ),
        ]
        indexes = [models.Index(fields=["question", "choice"])]

    def __str__(self):
        if self.choice_id:
            return str(self.choice)
        return str(self.number) if self.number is not None else self.text[:40]


class Tally(models.Model):
    """Running counts kept as responses arrive, so results never count the answers again.

    One row per survey, team (0 for none given), quarter, question and choice, where:
    question 0 counts responses; choice 0 counts the people who answered the question (and, for
    numbers, their sum and range); otherwise the row counts a choice. Plain integers rather
    than foreign keys, so that "none" can be part of the unique key on every database.
    """

    survey = models.ForeignKey(Survey, on_delete=models.CASCADE, related_name="tallies")
    team_id = models.PositiveIntegerField(default=0)
    quarter = models.DateField(help_text="The first day of the quarter.")
    question_id = models.PositiveIntegerField(default=0)
    choice_id = models.PositiveIntegerField(default=0)
    count = models.PositiveIntegerField(default=0)
    number_sum = models.BigIntegerField(null=True, blank=True)
    number_min = models.IntegerField(null=True, blank=True)
    number_max = models.IntegerField(null=True, blank=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["survey", "team_id", "quarter", "question_id", "choice_id"],
                name="tally_once",
            ),
        ]

    def __str__(self):
        return f"{self.survey_id}/{self.team_id}/{self.quarter}/{self.question_id}/{self.choice_id}"
