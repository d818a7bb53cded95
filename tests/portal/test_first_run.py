"""A deployment's first run: from an empty database to a finder that answers, with the force's
reference data and no sample data; and sample data refused under production settings."""

import io

import pytest
from django.core.management import CommandError, call_command
from django.test import override_settings
from django.urls import reverse

from meetings.models import Meeting
from portal.sample_data import REFUSAL
from surveys.models import Response, Survey
from teams.models import CommunitySafetyPartnership, NeighbouringForce, Officer, Postcode, Team

pytestmark = pytest.mark.django_db

SAMPLE_DATA_COMMANDS = [
    "load_demo_data",
    "load_demo_team_details",
    "load_demo_meetings",
    "load_demo_surveys",
]


def test_first_run_gives_a_working_finder_and_no_sample_data(client):
    out = io.StringIO()
    call_command("first_run", stdout=out)
    assert "Ready: the portal can serve." in out.getvalue()
    assert Postcode.objects.count() == 108_987
    assert Team.objects.count() == 10
    assert NeighbouringForce.objects.count() == 7
    assert CommunitySafetyPartnership.objects.count() == 14
    assert not Officer.objects.exists()
    assert not Meeting.objects.exists()
    assert not Survey.objects.exists() and not Response.objects.exists()

    response = client.get(reverse("teams:find"), {"postcode": "cm1 1nq"}, follow=True)
    assert response.redirect_chain[0][0].startswith(
        reverse("teams:detail", args=["chelmsford-maldon"])
    )
    assert "Your team for CM1 1NQ" in response.content.decode()

    again = io.StringIO()
    call_command("first_run", stdout=again)
    assert "Postcodes already imported: nothing to do." in again.getvalue()
    assert "0 teams created (10 in all)" in again.getvalue()


def test_first_run_takes_the_postcode_file_the_operator_gives(tmp_path):
    with pytest.raises(CommandError, match="Nothing was changed"):
        call_command(
            "first_run", "--postcodes", str(tmp_path / "missing.zip"), stdout=io.StringIO()
        )
    assert not Postcode.objects.exists()


@pytest.mark.parametrize("command", SAMPLE_DATA_COMMANDS)
@override_settings(SAMPLE_DATA_ALLOWED=False)
def test_production_refuses_to_load_sample_data(command):
    with pytest.raises(CommandError) as refused:
        call_command(command, stdout=io.StringIO())
    assert str(refused.value) == REFUSAL
    assert not Team.objects.exists() and not Survey.objects.exists()
