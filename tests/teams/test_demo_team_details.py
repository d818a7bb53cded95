"""The sample team details `make run` shows."""

import io

import pytest
from django.core.management import call_command

from teams.models import CommunitySafetyPartnership, DutyPeriod, Officer, Priority, Team
from tests.factories import DistrictFactory, TeamFactory, WardFactory

pytestmark = pytest.mark.django_db


def run() -> str:
    out = io.StringIO()
    call_command("load_demo_team_details", stdout=out)
    return out.getvalue()


def test_without_teams_it_says_what_to_run_first():
    assert "run load_reference_data first" in run()
    assert not Officer.objects.exists()


def test_each_team_gets_a_full_sample_page_and_a_second_run_changes_nothing():
    colchester = TeamFactory(name="Colchester", slug="colchester", description="")
    district = DistrictFactory(code="E07000071", name="Colchester", team=colchester)
    castle = WardFactory(code="E05000001", name="Castle", district=district)
    tendring = TeamFactory(name="Tendring", slug="tendring", description="")
    DistrictFactory(code="E07000076", name="Tendring", team=tendring)

    run()
    counts = (Officer.objects.count(), DutyPeriod.objects.count(), Priority.objects.count())
    run()
    assert (Officer.objects.count(), DutyPeriod.objects.count(), Priority.objects.count()) == counts
    # The ward has a ward officer, a PCSO of its team, given once.
    assert list(castle.officers.values_list("rank", "team__slug")) == [("pcso", "colchester")]

    team = Team.objects.get(slug="colchester")
    assert team.inspector.rank == Officer.Rank.INSPECTOR
    assert team.email.endswith("@example.org")
    assert "sample data" in team.description
    ranks = set(team.officers.values_list("rank", flat=True))
    assert {"inspector", "sergeant", "constable", "pcso", "special-constable"} <= ranks
    assert all("(sample)" in name for name in team.officers.values_list("name", flat=True))
    assert team.duty_periods.count() == 7
    assert team.duty_periods.get(weekday=4).end.hour == 2
    assert team.priorities.current().count() == 2
    assert team.priorities.past().get().outcome_on is not None
    # Partnerships are the force's reference data, not the demo's.
    assert not CommunitySafetyPartnership.objects.exists()
