"""Ward officers: residents arriving from the finder see their ward's officers first, and the
page kept for everyone never carries one resident's ward."""

import pytest
from django.urls import reverse

from teams.services import team_pages_changed
from tests.admin_pages import change_form_data
from tests.factories import (
    DistrictFactory,
    OfficerFactory,
    PostcodeFactory,
    TeamEditorFactory,
    TeamFactory,
    WardFactory,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def team():
    team = TeamFactory(name="Colchester", slug="colchester")
    district = DistrictFactory(code="E07000071", name="Colchester", team=team)
    castle = WardFactory(code="E05000001", name="Castle", district=district)
    mile_end = WardFactory(code="E05000002", name="Mile End", district=district)
    PostcodeFactory(postcode="CO1 1AA", ward=castle, district=district)
    PostcodeFactory(postcode="CO4 9AA", ward=mile_end, district=district)
    OfficerFactory(team=team, name="Alex Everywhere", order=0)
    OfficerFactory(team=team, name="Sam Castle", order=5).wards.add(castle)
    return team


def page(client, team, postcode=""):
    url = team.get_absolute_url() + (f"?postcode={postcode}" if postcode else "")
    return client.get(url).content.decode()


def test_a_resident_of_the_ward_sees_their_ward_officers_first(client, team):
    text = page(client, team, "CO1%201AA")
    assert "Your team for CO1 1AA, in Castle ward" in text
    assert "Your ward officers for Castle" in text
    ward_section = text.index('id="your-ward-officers"')
    assert ward_section < text.index("Sam Castle") < text.index("Alex Everywhere")
    assert text.count("Sam Castle") == 1  # not listed again with the rest
    assert "Ward officer for Castle" in text


def test_everyone_else_sees_the_officers_by_rank(client, team):
    for text in (page(client, team), page(client, team, "CO4%209AA")):
        assert "Your ward officers" not in text
        assert text.index("Alex Everywhere") < text.index("Sam Castle")
        assert "Ward officer for Castle" in text  # still said beside the officer
    assert "in Mile End ward" in page(client, team, "CO4%209AA")


def test_the_page_kept_for_everyone_never_carries_a_residents_ward(
    client, team, django_assert_num_queries
):
    first = page(client, team, "CO1%201AA")  # drawn for a resident of Castle
    assert "Your ward officers for Castle" in first
    with django_assert_num_queries(0):
        plain = page(client, team)
    assert "Your ward officers" not in plain and "Castle ward" not in plain
    assert "Your ward officers for Castle" in page(client, team, "CO1%201AA")


# In the admin.


@pytest.fixture
def editor(client, team):
    user = TeamEditorFactory(username="colchester-editor", teams=[team])
    client.force_login(user)
    return user


def test_an_editor_chooses_only_among_their_teams_wards(client, editor, team):
    other = TeamFactory(name="Tendring", slug="tendring")
    seafront = WardFactory(
        code="E05000099", name="Seafront", district=DistrictFactory(code="E07000076", team=other)
    )
    officer = team.officers.get(name="Alex Everywhere")
    url = reverse("admin:teams_officer_change", args=[officer.pk])
    form = client.get(url).content.decode()
    assert "Mile End" in form and "Seafront" not in form

    data = {**change_form_data(client.get(url)), "wards": [seafront.pk]}
    refused = client.post(url, data).content.decode()
    assert "Select a valid choice" in refused
    assert not officer.wards.exists()

    mile_end = team.districts.get().wards.get(name="Mile End")
    assert client.post(url, {**data, "wards": [mile_end.pk]}).status_code == 302
    assert list(officer.wards.all()) == [mile_end]


def test_the_next_resident_of_the_ward_gets_the_kept_part(
    client, team, django_assert_max_num_queries, django_capture_on_commit_callbacks
):
    page(client, team, "CO1%201AA")  # drawn and kept for Castle
    with django_assert_max_num_queries(1):  # as for any arrival from the finder
        assert "Your ward officers for Castle" in page(client, team, "CO1%201AA")
    # A change to the officers shows to the ward's residents on the next request.
    with django_capture_on_commit_callbacks(execute=True):
        team.officers.filter(name="Sam Castle").update(name="Sam Renamed")
        team_pages_changed()
    assert "Sam Renamed" in page(client, team, "CO1%201AA")


def test_a_wards_officers_are_drawn_from_the_kept_page_without_a_query(
    client, team, django_assert_num_queries
):
    """Each ward's part is joined from the officers' items drawn once with the team's page:
    the first resident of another ward costs no query."""
    mile_end = team.districts.get().wards.get(name="Mile End")
    team.officers.get(name="Alex Everywhere").wards.add(mile_end)
    castle = page(client, team, "CO1%201AA")  # the team's page and the finder's copies, kept
    with django_assert_num_queries(0):
        mile = page(client, team, "CO4%209AA")
    assert castle.index("Your ward officers for Castle") < castle.index("Sam Castle")
    assert castle.index("Sam Castle") < castle.index("Alex Everywhere")
    assert mile.index("Your ward officers for Mile End") < mile.index("Alex Everywhere")
    assert mile.index("Alex Everywhere") < mile.index("Sam Castle")
    assert castle.count("Sam Castle") == mile.count("Alex Everywhere") == 1
