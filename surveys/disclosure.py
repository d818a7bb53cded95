"""Disclosure control for the public results: the counts they are drawn from, rounded.

The method is the Office for National Statistics' practice of rounding and suppression. Each
count is rounded to the nearest 5 in the smallest group published (one team in one quarter);
every published figure is added up from those rounded counts, every percentage is worked out
from them, and any figure under the survey's threshold is not shown (results.py). Someone
who takes one published figure from another (all quarters less one quarter, a total less its
other rows) gets a difference of rounded counts: roughly the hidden count, never exactly.

Rounding alone can still give a count away at the edges. Everyone who sent a survey answers
a required radio question once, so its answers add up to the number of responses: if the
answers' rounded counts are all at their highest (2 above the published figure) and together
only just reach the lowest number of responses the rounded total allows, every one of them is
known exactly. `possible` works out, for one group, every value each count could take given
its rounded counts and those rules; where some count could take only one value, the group's
number of responses is published rounded the other way instead (to the next multiple of 5
below or above), choosing the one that leaves every count open. Someone who knows this rule
still cannot tell: the figures published are also what ordinary rounding gives for other
responses, in which the counts differ.
"""

import hashlib

from portal import cache as shared

from .models import Question, Survey
from .tallies import Tallies, results_version, survey_tallies

ROUNDING_BASE = 5
KEEP_SECONDS = 60 * 60


def possible(group: dict, questions: list[Question], base: int = ROUNDING_BASE) -> dict:
    """Every value each count in one group (a team in a quarter) could take, for someone who
    knows its rounded counts (`group`, by (question id, choice id); (0, 0) the responses).

    Keys of the answer: ("n",) responses; ("sum", question) people answering a radio
    question; ("b", question) people answering any other; ("c", question, choice) a choice.
    Empty when no responses could give these rounded counts."""
    half = base // 2

    def span(key) -> range:
        rounded = group.get(key, 0)
        return range(max(0, rounded - half), rounded + half + 1)

    values: dict[tuple, set[int]] = {}
    for n in span((0, 0)):
        found = _possible_given(n, span, questions)
        if found is None:
            continue
        for key, seen in found.items():
            values.setdefault(key, set()).update(seen)
    return values


def _possible_given(n: int, span, questions) -> dict | None:
    found: dict[tuple, set[int]] = {("n",): {n}}
    for question in questions:
        pk = question.pk
        if question.kind == Question.Kind.WHERE:
            continue
        choices = [choice.pk for choice in question.choices.all()]
        if question.has_choices and question.kind != Question.Kind.MULTIPLE:
            # One answer each: the choices add up to those who answered, everyone if required.
            spans = {c: span((pk, c)) for c in choices}
            low = sum(r.start for r in spans.values())
            high = sum(r.stop - 1 for r in spans.values())
            totals = [t for t in ([n] if question.required else range(n + 1)) if low <= t <= high]
            if not totals:
                return None
            found["sum", pk] = set(totals)
            for c, own in spans.items():
                rest_low, rest_high = low - own.start, high - (own.stop - 1)
                found["c", pk, c] = {
                    v for v in own if any(rest_low <= t - v <= rest_high for t in totals)
                }
        elif question.kind == Question.Kind.MULTIPLE:
            # Ticks: each box at most once a person, and each person ticks at least one.
            spans = {c: span((pk, c)) for c in choices}
            seen_b, seen_c = set(), {c: set() for c in choices}
            for b in span((pk, 0)):
                if b > n or (question.required and b != n):
                    continue
                capped = {c: range(r.start, min(r.stop - 1, b) + 1) for c, r in spans.items()}
                most = sum(r.stop - 1 for r in capped.values())
                if any(not r for r in capped.values()) or most < b:
                    continue
                seen_b.add(b)
                for c, own in capped.items():
                    seen_c[c] |= {v for v in own if v + most - (own.stop - 1) >= b}
            if not seen_b:
                return None
            found["b", pk] = seen_b
            for c in choices:
                found["c", pk, c] = seen_c[c]
        else:
            answered = {b for b in span((pk, 0)) if b <= n and (b == n or not question.required)}
            if not answered:
                return None
            found["b", pk] = answered
    return found


def published_tallies(
    tallies: Tallies, questions: list[Question], base: int = ROUNDING_BASE
) -> Tallies:
    """The counts the public results are drawn from: each rounded to the nearest `base`, and
    a group's responses rounded the other way where ordinary rounding would give a count
    away (see the module's docstring)."""
    rounded = tallies.rounded(base)
    groups: dict[tuple, dict] = {}
    for (team, quarter, question, choice), count in rounded.counts.items():
        groups.setdefault((team, quarter), {})[question, choice] = count
    shape = _shape(questions, base)
    for (team, quarter), group in groups.items():
        if _open_remembered(group, questions, base, shape):
            continue
        natural = group.get((0, 0), 0)
        for shifted in (natural - base, natural + base):
            if shifted < 0:
                continue
            if _open_remembered({**group, (0, 0): shifted}, questions, base, shape):
                rounded.counts[team, quarter, 0, 0] = shifted
                break
    return rounded


def kept_published_tallies(survey: Survey, questions: list[Question]) -> Tallies:
    """`published_tallies` for the survey's stored counts, worked out once for each version of
    its results (a new response, a recount or an edit starts a new one) and kept for every
    worker: working them out takes most of the time a public results page takes to draw."""
    name = shared.key("survey-published", survey.pk, f"r{results_version()}")
    tallies = shared.kept(name)
    if tallies is None:
        tallies = published_tallies(survey_tallies(survey.pk), questions)
        shared.keep(name, tallies, KEEP_SECONDS)
    return tallies


# Whether a group is open depends only on its rounded counts, the questions (kinds, required,
# choices) and the base. A new response changes one group (its team in its quarter), so each
# process remembers the answer for every group it has worked out, named by a digest of all
# that: a new version of the results works out again only the groups whose counts changed.
OPEN_REMEMBERED = 20_000
_open_answers: dict[bytes, bool] = {}


def _shape(questions, base: int) -> str:
    """What `possible` reads of the questions, with the base."""
    return repr(
        [base]
        + [
            (question.pk, str(question.kind), question.required)
            + tuple(choice.pk for choice in question.choices.all())
            for question in questions
        ]
    )


def _open_remembered(group: dict, questions, base: int, shape: str) -> bool:
    name = hashlib.sha256(f"{shape} {sorted(group.items())!r}".encode()).digest()
    answer = _open_answers.get(name)
    if answer is None:
        answer = _open(group, questions, base)
        if len(_open_answers) >= OPEN_REMEMBERED:
            _open_answers.clear()
        _open_answers[name] = answer
    return answer


def _open(group: dict, questions, base: int) -> bool:
    """Whether every count in the group could take more than one value."""
    values = possible(group, questions, base)
    return bool(values) and all(len(seen) > 1 for seen in values.values())
