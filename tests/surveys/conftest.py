import re

import pytest
from django.contrib.auth.models import Group
from django.urls import reverse

from surveys.models import Question, Survey
from surveys.seed import CONTACT_AND_VICTIM, PUBLIC_CONFIDENCE, survey_create
from teams.models import FORCE_ADMINISTRATORS
from tests.factories import PostcodeFactory, TeamFactory, UserFactory


@pytest.fixture(autouse=True)
def _no_minimum_time(settings):
    """Tests answer instantly; the minimum-time check has its own test."""
    settings.SURVEYS_MINIMUM_SECONDS = 0


@pytest.fixture
def force_administrator(client, db):
    """A member of the "Force administrators" group (not a superuser), signed in."""
    user = UserFactory(username="force-admin")
    user.groups.add(Group.objects.get(name=FORCE_ADMINISTRATORS))
    client.force_login(user)
    return user


@pytest.fixture
def confidence_survey(db):
    return survey_create(
        description=PUBLIC_CONFIDENCE, status=Survey.Status.OPEN, results_public=True
    )


@pytest.fixture
def victim_survey(db):
    return survey_create(
        description=CONTACT_AND_VICTIM, status=Survey.Status.OPEN, results_public=True
    )


@pytest.fixture
def chelmsford(db):
    team = TeamFactory(name="Chelmsford and Maldon", slug="chelmsford-maldon")
    PostcodeFactory(postcode="CM1 1AA", ward__district__team=team)
    return team


def question(survey, text_start):
    return Question.objects.get(page__survey=survey, text__startswith=text_start)


def choice_id(survey, text_start, label):
    return question(survey, text_start).choices.get(label=label).pk


def field(survey, text_start):
    return f"q{question(survey, text_start).pk}"


def page_url(survey, number):
    return reverse("surveys:page", kwargs={"slug": survey.slug, "number": number})


def start(client, survey):
    return client.post(reverse("surveys:start", kwargs={"slug": survey.slug}))


def answer_confidence(client, survey, *, postcode="", contact="Yes", headline="Good"):
    """Walk the Public Confidence Survey to the check-answers page."""
    start(client, survey)
    client.post(
        page_url(survey, 1),
        {
            field(survey, "Taking everything into account, how"): choice_id(
                survey, "Taking everything into account, how", headline
            )
        },
    )
    agree = {}
    for q in Question.objects.filter(page__survey=survey, kind=Question.Kind.AGREEMENT):
        agree[f"q{q.pk}"] = q.choices.get(label="Tend to agree").pk
    client.post(page_url(survey, 2), agree)
    client.post(
        page_url(survey, 3),
        {field(survey, "Have you had"): choice_id(survey, "Have you had", contact)},
    )
    return client.post(
        page_url(survey, 4),
        {
            field(survey, "Where do you live"): postcode,
            field(survey, "Is there anything"): "Thanks",
        },
    )


def token_from(html: str) -> str:
    return re.search(r'name="token" value="([^"]+)"', html)[1]


@pytest.fixture
def staff_viewer(db):
    from django.contrib.auth.models import Permission

    user = UserFactory(username="analyst")
    user.user_permissions.add(Permission.objects.get(codename="view_results"))
    return user


def check_url(survey):
    return reverse("surveys:check", kwargs={"slug": survey.slug})


def send(client, survey, **extra):
    """Send the answers from Check your answers, with the token the page carries."""
    page = client.get(check_url(survey))
    return client.post(check_url(survey), {"token": token_from(page.content.decode()), **extra})
