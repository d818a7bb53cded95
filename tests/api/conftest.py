"""Two teams, their areas and postcodes a kilometre apart, officers, priorities and meetings."""

import datetime
from dataclasses import dataclass

import pytest
from django.utils import timezone

from meetings.models import Meeting
from teams.models import Officer, Priority
from tests.factories import (
    CommunitySafetyPartnershipFactory,
    DistrictFactory,
    MeetingFactory,
    MeetingScheduleFactory,
    NeighbouringForceFactory,
    OfficerFactory,
    PostcodeFactory,
    PriorityFactory,
    TeamFactory,
    WardFactory,
)

# (postcode, easting, northing, whose): "a", "b" (a ward of A's district given to B) or "out".
POSTCODES = [
    ("CM1 1AA", 570_000, 207_000, "a"),
    ("CM1 1AB", 571_000, 207_000, "a"),
    ("CM1 2AA", 572_000, 207_000, "b"),
    ("CM7 1AA", 575_000, 207_000, "b"),
    ("CM7 1AB", 576_000, 208_000, "b"),
    ("CB1 1AA", 545_000, 207_000, "out"),
]


# 6pm UTC on 1 July next year: 7pm in Essex (British Summer Time).
SUMMER_EVENING = datetime.datetime(timezone.now().year + 1, 7, 1, 18, tzinfo=datetime.UTC)


@dataclass
class Area:
    chelmsford: object
    braintree: object


@pytest.fixture
def area(db):
    chelmsford = TeamFactory(
        name="Chelmsford & Maldon",
        slug="chelmsford-maldon",
        description="We police **Chelmsford** and Maldon.",
        email="chelmsford.cpt@essex.police.uk",
        phone="",
        facebook_url="https://www.facebook.com/chelmsfordpolice",
    )
    braintree = TeamFactory(name="Braintree", slug="braintree")
    partnership = CommunitySafetyPartnershipFactory(
        name="Safer Chelmsford Partnership", website="https://www.chelmsford.gov.uk/csp"
    )
    district_a = DistrictFactory(
        code="E07000070", name="Chelmsford", team=chelmsford, partnership=partnership
    )
    district_b = DistrictFactory(code="E07000067", name="Braintree", team=braintree)
    ward_a = WardFactory(code="E05000001", name="Moulsham", district=district_a)
    ward_given = WardFactory(
        code="E05000002", name="Broomfield", district=district_a, team=braintree
    )
    ward_b = WardFactory(code="E05000003", name="Bocking", district=district_b)
    cambridge = DistrictFactory(
        code="E07000008",
        name="Cambridge",
        team=None,
        force=NeighbouringForceFactory(name="Cambridgeshire Constabulary"),
    )
    places = {"a": (ward_a, district_a), "out": (None, cambridge)}
    for postcode, easting, northing, whose in POSTCODES:
        if whose == "b":
            ward = ward_given if postcode.startswith("CM1") else ward_b
            district = district_a if postcode.startswith("CM1") else district_b
        else:
            ward, district = places[whose]
        PostcodeFactory(
            postcode=postcode, easting=easting, northing=northing, ward=ward, district=district
        )
    inspector = OfficerFactory(
        team=chelmsford, name="Alex Moore", rank=Officer.Rank.INSPECTOR, bio="Leads the team."
    )
    chelmsford.inspector = inspector
    chelmsford.save()
    OfficerFactory(team=chelmsford, name="Pat Lee", rank=Officer.Rank.PCSO, bio="")
    OfficerFactory(team=chelmsford, name="Gone Away", active=False)
    PriorityFactory(
        team=chelmsford, title="Speeding on the A12", raised_on=datetime.date(2026, 9, 1)
    )
    PriorityFactory(
        team=chelmsford,
        title="Shoplifting in the High Street",
        action="Patrols with the shops' radio scheme.",
        raised_on=datetime.date(2026, 3, 2),
        actioned_on=datetime.date(2026, 6, 30),
        outcome="Arrests, and thefts fell by half.",
        outcome_on=datetime.date(2026, 8, 15),
        status=Priority.Status.CLOSED,
    )
    MeetingScheduleFactory(team=chelmsford, venue_name="Moulsham Hall", postcode="CM1 1AA")
    MeetingFactory(team=chelmsford, title="Local Community Meeting")
    MeetingFactory(
        team=chelmsford,
        title="Cancelled meeting",
        status=Meeting.Status.CANCELLED,
        status_reason="The hall is closed for repairs.",
    )
    MeetingFactory(
        team=chelmsford,
        title="Summer meeting",
        start=SUMMER_EVENING,
        end=SUMMER_EVENING + datetime.timedelta(hours=1),
    )
    return Area(chelmsford=chelmsford, braintree=braintree)
