"""factory_boy factories for every model; tests/test_factories.py checks each one builds."""

import datetime

import factory
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.utils import timezone

from meetings.models import Meeting, MeetingSchedule, Outcome
from portal.clock import Weekday
from surveys.models import Answer, Choice, Page, Question, Response, Survey
from teams.models import (
    TEAM_EDITORS,
    CommunitySafetyPartnership,
    District,
    DutyPeriod,
    NeighbouringForce,
    Officer,
    Postcode,
    Priority,
    Team,
    Ward,
)


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = get_user_model()
        django_get_or_create = ("username",)

    username = factory.Sequence(lambda n: f"staff{n}")
    email = factory.LazyAttribute(lambda user: f"{user.username}@example.org")
    is_staff = True
    password = factory.django.Password("correct horse battery staple")


class TeamEditorFactory(UserFactory):
    """Staff in the "Team editors" group; `TeamEditorFactory(teams=[team])` edits `team`."""

    class Meta:
        skip_postgeneration_save = True  # groups and teams are many-to-many: nothing to save

    @factory.post_generation
    def teams(user, create, extracted, **kwargs):
        user.groups.add(Group.objects.get(name=TEAM_EDITORS))
        for team in extracted or []:
            team.editors.add(user)


class NeighbouringForceFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = NeighbouringForce
        django_get_or_create = ("name",)

    name = factory.Sequence(lambda n: f"Neighbouring Constabulary {n}")
    website = "https://www.police.uk/"


class CommunitySafetyPartnershipFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = CommunitySafetyPartnership
        django_get_or_create = ("name",)

    name = factory.Sequence(lambda n: f"Community Safety Partnership {n}")
    website = "https://example.org/csp"


class TeamFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Team
        django_get_or_create = ("slug",)

    name = factory.Sequence(lambda n: f"Team {n}")
    slug = factory.Sequence(lambda n: f"team-{n}")
    summary = "Police officers, PCSOs and Special Constables for the area."


class DistrictFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = District
        django_get_or_create = ("code",)

    code = factory.Sequence(lambda n: f"E07{n:06d}")
    name = factory.Sequence(lambda n: f"District {n}")
    team = factory.SubFactory(TeamFactory)


class WardFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Ward
        django_get_or_create = ("code",)

    code = factory.Sequence(lambda n: f"E05{n:06d}")
    name = factory.Sequence(lambda n: f"Ward {n}")
    district = factory.SubFactory(DistrictFactory)


class PostcodeFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Postcode
        django_get_or_create = ("postcode",)

    postcode = factory.Sequence(lambda n: f"CM{n % 99 + 1} {n % 10}AA")
    outward = factory.LazyAttribute(lambda p: p.postcode.split()[0])
    sector = factory.LazyAttribute(lambda p: p.postcode[:-2])
    easting = 570000
    northing = 207000
    quality = 10
    ward = factory.SubFactory(WardFactory)
    district = factory.LazyAttribute(lambda p: p.ward.district)


class OfficerFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Officer

    team = factory.SubFactory(TeamFactory)
    name = factory.Sequence(lambda n: f"Sam Officer{n}")
    rank = Officer.Rank.CONSTABLE
    role = "Neighbourhood officer"


class DutyPeriodFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = DutyPeriod

    team = factory.SubFactory(TeamFactory)
    weekday = Weekday.MONDAY
    start = datetime.time(8)
    end = datetime.time(22)


class PriorityFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Priority

    team = factory.SubFactory(TeamFactory)
    title = "Anti-social behaviour in the town centre"
    action = "Extra patrols on Friday and Saturday evenings."
    raised_on = datetime.date(2026, 9, 1)


def _next_evening(n: int) -> datetime.datetime:
    """7pm on a day from a week ahead, a day later for each meeting built."""
    day = timezone.localdate() + datetime.timedelta(days=7 + n)
    return datetime.datetime.combine(day, datetime.time(19), tzinfo=timezone.get_current_timezone())


class MeetingScheduleFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = MeetingSchedule

    team = factory.SubFactory(TeamFactory)
    venue_name = "Community Hall (sample venue)"
    address = "1 High Street\nChelmsford"
    postcode = "CM1 1AA"


class MeetingFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Meeting

    team = factory.SubFactory(TeamFactory)
    start = factory.Sequence(_next_evening)
    end = factory.LazyAttribute(lambda meeting: meeting.start + datetime.timedelta(minutes=90))
    venue_name = "Community Hall (sample venue)"
    address = "1 High Street\nChelmsford"
    postcode = "CM1 1AA"
    agenda = "1. Welcome\n2. Your concerns"


class OutcomeFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Outcome

    meeting = factory.SubFactory(MeetingFactory)
    concern = "Speeding on the High Street."
    action = "Community Speedwatch on four afternoons."


class SurveyFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Survey
        django_get_or_create = ("slug",)

    title = factory.Sequence(lambda n: f"Sample survey {n}")
    slug = factory.Sequence(lambda n: f"sample-survey-{n}")
    introduction = "Tell us what you think about policing where you live."
    privacy_notice = "Your answers are anonymous."
    status = Survey.Status.OPEN
    results_public = True


class SurveyPageFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Page

    survey = factory.SubFactory(SurveyFactory)
    title = factory.Sequence(lambda n: f"Section {n}")
    order = factory.Sequence(lambda n: n)


class QuestionFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Question

    page = factory.SubFactory(SurveyPageFactory)
    text = factory.Sequence(lambda n: f"Question {n}?")
    kind = Question.Kind.SINGLE
    order = factory.Sequence(lambda n: n)


class ChoiceFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Choice

    question = factory.SubFactory(QuestionFactory)
    label = factory.Sequence(lambda n: f"Answer {n}")
    order = factory.Sequence(lambda n: n)


class SurveyResponseFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Response

    survey = factory.SubFactory(SurveyFactory)
    submitted_on = datetime.date(2026, 9, 1)
    token = factory.Faker("uuid4", cast_to=None)


class AnswerFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Answer

    question = factory.SubFactory(QuestionFactory)
    response = factory.SubFactory(
        SurveyResponseFactory, survey=factory.SelfAttribute("..question.page.survey")
    )
    choice = factory.SubFactory(ChoiceFactory, question=factory.SelfAttribute("..question"))


def colchester_team() -> Team:
    """The Colchester team the page tests know: its district and partnership, two wards
    (Castle and Mile End), contact details, and a description with Markdown and a script that
    the page must not run."""
    team = TeamFactory(
        name="Colchester",
        slug="colchester",
        description="We police **Colchester**. <script>alert(1)</script>",
        email="colchester.team@example.org",
        phone="01632 960 001",
        facebook_url="https://www.facebook.com/example",
    )
    district = DistrictFactory(
        code="E07000071",
        name="Colchester",
        team=team,
        partnership=CommunitySafetyPartnershipFactory(name="Safer Colchester Partnership"),
    )
    WardFactory(code="E05000001", name="Castle", district=district)
    WardFactory(code="E05000002", name="Mile End", district=district)
    return team


def tendring_next_door() -> Team:
    """Tendring, Colchester's neighbour, with one postcode (CO15 1AA, Clacton): a finder
    arrival from there belongs to another team."""
    tendring = TeamFactory(name="Tendring", slug="tendring")
    ward = WardFactory(district=DistrictFactory(name="Tendring", team=tendring))
    PostcodeFactory(
        postcode="CO15 1AA", easting=617500, northing=215500, ward=ward, district=ward.district
    )
    return tendring
