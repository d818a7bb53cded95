"""The two seed surveys and a few thousand made-up responses, marked as demo data.

Safe to run again: a survey that exists is left alone, and demo responses are added only to a
survey that has none. Responses are spread over the last eight quarters and every team, with a
slightly different level of confidence per team and a gentle trend, so the charts show something.
"""

import datetime
import random
import uuid

from django.utils import timezone

from portal.sample_data import SampleDataCommand
from surveys.models import Answer, Question, Response, Survey, new_reference
from surveys.seed import SEED_SURVEYS, survey_create
from surveys.tallies import tallies_rebuild
from teams.models import Team

COMMENTS = [
    "More officers on foot in the town centre in the evenings, please.",
    "The PCSO at our street meeting was really helpful.",
    "Speeding on our road is still a problem.",
    "It took a long time to get through on 101.",
    "Thank you for the quick response when our shed was broken into.",
]


def quarter_start(day: datetime.date, back: int = 0) -> datetime.date:
    index = day.year * 4 + (day.month - 1) // 3 - back
    return datetime.date(index // 4, (index % 4) * 3 + 1, 1)


class Command(SampleDataCommand):
    help = "Create the seed surveys and add demo responses (marked as demo data)."

    def add_arguments(self, parser):
        parser.add_argument(
            "--responses",
            type=int,
            default=3000,
            help="Demo responses for the Public Confidence Survey (half as many for the other).",
        )
        parser.add_argument("--seed", type=int, default=2026)

    def handle(self, *args, responses, seed, **options):
        teams = list(Team.objects.order_by("slug"))
        if not teams:
            self.stdout.write(
                "No teams found (run load_reference_data first): demo responses get no team."
            )
        rng = random.Random(seed)
        now = timezone.now()
        for number, description in enumerate(SEED_SURVEYS):
            survey = Survey.objects.filter(slug=description["slug"]).first()
            if survey is None:
                survey = survey_create(
                    description=description,
                    status=Survey.Status.OPEN,
                    opens_at=now - datetime.timedelta(days=2 * 366),
                    results_public=True,
                )
                self.stdout.write(f"Created the survey {survey.title}.")
            if survey.responses.filter(is_demo=True).exists():
                self.stdout.write(f"{survey.title} already has demo responses.")
                continue
            count = responses if number == 0 else responses // 2
            made = demo_responses(survey=survey, teams=teams, count=count, rng=rng)
            self.stdout.write(f"Added {made} demo responses to {survey.title}.")


def demo_responses(
    *, survey: Survey, teams: list, count: int, rng: random.Random, recount: bool = True
) -> int:
    """Made-up responses in bulk: two INSERTs per thousand rows, not one per answer."""
    today = timezone.localdate()
    questions = list(
        Question.objects.filter(page__survey=survey)
        .in_survey_order()
        .prefetch_related("choices", "show_if")
    )
    # Each team gets its own level of confidence; every quarter improves a little.
    levels = {team.pk: 0.45 + 0.3 * rng.random() for team in teams}
    rows = []
    for _ in range(count):
        back = rng.randrange(8)
        start = quarter_start(today, back)
        end = min(quarter_start(today, back - 1), today + datetime.timedelta(days=1))
        day = start + datetime.timedelta(days=rng.randrange(max((end - start).days, 1)))
        team = rng.choice(teams) if teams and rng.random() < 0.9 else None
        level = (levels[team.pk] if team else 0.55) + 0.02 * (7 - back)
        rows.append(
            (
                Response(
                    survey=survey,
                    team=team,
                    submitted_on=day,
                    token=uuid.UUID(int=rng.getrandbits(128), version=4),
                    reference=new_reference(),
                    is_demo=True,
                ),
                level,
            )
        )
    created = Response.objects.bulk_create([response for response, _ in rows], batch_size=1000)
    answers = []
    for response, (_, level) in zip(created, rows, strict=True):
        chosen: set[int] = set()
        for question in questions:
            conditions = {choice.pk for choice in question.show_if.all()}
            if conditions and not conditions & chosen:
                continue
            answer = demo_answer(question, level, rng)
            if answer is None:
                continue
            answer.response = response
            if answer.choice_id:
                chosen.add(answer.choice_id)
            answers.append(answer)
    Answer.objects.bulk_create(answers, batch_size=2000)
    if recount:  # stored in bulk, so counted in bulk (a caller adding many batches does it once)
        tallies_rebuild(survey_id=survey.pk)
    return len(created)


def demo_answer(question: Question, level: float, rng: random.Random) -> Answer | None:
    if question.has_choices:
        choices = list(question.choices.all())
        positive = [choice for choice in choices if choice.positive]
        other = [choice for choice in choices if not choice.positive]
        if positive and rng.random() < level:
            # "Good" more often than "Excellent", as in the real survey.
            pool, weights = positive, [index + 1 for index in range(len(positive))]
        else:
            pool = other or choices
            weights = [len(pool) - index + 1 for index in range(len(pool))]
        return Answer(question=question, choice=rng.choices(pool, weights)[0])
    if question.kind == Question.Kind.NUMBER:
        return Answer(question=question, number=rng.randint(0, 6))
    if question.is_free_text and rng.random() < 0.05:
        return Answer(question=question, text=rng.choice(COMMENTS))
    return None
