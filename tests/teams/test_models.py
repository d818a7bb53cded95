"""The rules staff's data must keep, in the database as well as in forms."""

import datetime

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError

from teams.models import Officer
from tests.factories import DutyPeriodFactory, OfficerFactory, PriorityFactory, TeamFactory

pytestmark = pytest.mark.django_db


def test_the_database_refuses_hours_that_end_when_they_start():
    with pytest.raises(IntegrityError):
        DutyPeriodFactory(start=datetime.time(8), end=datetime.time(8))


def test_the_database_refuses_an_officer_without_a_rank():
    with pytest.raises(IntegrityError):
        OfficerFactory(rank="")


def test_the_database_refuses_a_priority_actioned_before_it_was_raised():
    with pytest.raises(IntegrityError):
        PriorityFactory(raised_on=datetime.date(2026, 5, 1), actioned_on=datetime.date(2026, 4, 1))


def test_the_inspector_in_command_must_be_one_of_the_teams_officers():
    team = TeamFactory()
    team.inspector = OfficerFactory(rank=Officer.Rank.INSPECTOR)  # of another team
    with pytest.raises(ValidationError) as error:
        team.full_clean()
    assert "Choose an officer of this team" in str(error.value)
