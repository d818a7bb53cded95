"""What a client of the open data gets from each endpoint, beyond its shape."""

import datetime

import pytest
from django.urls import reverse
from pyproj import Transformer

from teams.models import Priority
from tests.factories import PriorityFactory

from .conftest import POSTCODES

TEAM = "chelmsford-maldon"
TO_WGS84 = Transformer.from_crs("EPSG:27700", "EPSG:4326", always_xy=True)


def get(client, name, query="", **kwargs):
    return client.get(reverse(f"api:{name}", kwargs=kwargs) + query)


def test_neighbourhoods_are_the_teams_by_their_addresses(client, area):
    assert get(client, "neighbourhoods").json() == [
        {"id": "braintree", "name": "Braintree"},
        {"id": "chelmsford-maldon", "name": "Chelmsford & Maldon"},
    ]


def test_the_team_gives_only_the_contact_details_it_has(client, area):
    team = get(client, "neighbourhood", slug=TEAM).json()
    assert team["contact_details"]["email"] == "chelmsford.cpt@essex.police.uk"
    assert "telephone" not in team["contact_details"]  # the team has no number
    assert team["url_force"].endswith(reverse("teams:detail", kwargs={"slug": TEAM}))
    assert team["description"] == "<p>We police <strong>Chelmsford</strong> and Maldon.</p>"
    assert team["links"][0]["title"] == "Safer Chelmsford Partnership"
    assert team["locations"][0]["name"] == "Moulsham Hall"


def test_people_are_the_active_officers_inspector_first(client, area):
    people = get(client, "people", slug=TEAM).json()
    assert [(p["name"], p["rank"]) for p in people] == [
        ("Alex Moore", "Inspector"),
        ("Pat Lee", "Police Community Support Officer"),
    ]


def test_priorities_are_the_open_ones_unless_asked_for_all(client, area):
    current = get(client, "priorities", slug=TEAM).json()
    assert [p["issue"] for p in current] == ["Speeding on the A12"]
    assert current[0]["issue-date"] == "2026-09-01T00:00:00"
    assert current[0]["action-date"] is None
    everything = get(client, "priorities", "?status=all", slug=TEAM).json()
    assert [(p["issue"], p["status"]) for p in everything] == [
        ("Speeding on the A12", "raised"),
        ("Shoplifting in the High Street", "closed"),
    ]
    assert everything[1]["action-date"] == "2026-06-30T00:00:00"
    assert everything[1]["outcome"] == "<p>Arrests, and thefts fell by half.</p>"
    assert everything[1]["outcome-date"] == "2026-08-15T00:00:00"
    closed = get(client, "priorities", "?status=closed", slug=TEAM).json()
    assert [p["issue"] for p in closed] == ["Shoplifting in the High Street"]


def test_priorities_being_worked_on_are_listed_as_police_uk_lists_current_ones(client, area):
    PriorityFactory(
        team=area.chelmsford,
        title="Cycle thefts at the station",
        raised_on=datetime.date(2026, 8, 1),
        action="Marking events.",
        actioned_on=datetime.date(2026, 8, 20),
        status=Priority.Status.IN_PROGRESS,
    )
    current = get(client, "priorities", slug=TEAM).json()
    assert [(p["issue"], p["status"]) for p in current] == [
        ("Speeding on the A12", "raised"),
        ("Cycle thefts at the station", "in-progress"),
    ]
    assert current[1]["action-date"] == "2026-08-20T00:00:00"
    assert current[1]["outcome"] is None


def test_events_leave_out_cancelled_meetings_unless_asked_for_all(client, area):
    events = get(client, "events", slug=TEAM).json()
    assert [e["title"] for e in events] == ["Local Community Meeting", "Summer meeting"]
    everything = get(client, "events", "?status=all", slug=TEAM).json()
    cancelled = next(e for e in everything if e["title"] == "Cancelled meeting")
    assert cancelled["status"] == "cancelled"
    assert cancelled["status_reason"] == "The hall is closed for repairs."
    assert events[0]["calendar"].endswith(reverse("meetings:team-calendar", kwargs={"slug": TEAM}))


def test_event_times_are_uk_local_time_as_police_uk_sends_them(client, area):
    """7pm BST is 18:00 UTC: the API says 19:00, with no offset, as police.uk does."""
    summer = next(
        e for e in get(client, "events", slug=TEAM).json() if e["title"] == "Summer meeting"
    )
    assert summer["start_date"].endswith("-07-01T19:00:00")
    assert summer["end_date"].endswith("-07-01T20:00:00")
    winter = get(client, "events", slug=TEAM).json()[0]  # 7pm local, in the coming weeks
    assert winter["start_date"].endswith("T19:00:00")


def test_a_change_by_staff_shows_at_once(client, area, django_capture_on_commit_callbacks):
    before = get(client, "priorities", slug=TEAM).json()
    with django_capture_on_commit_callbacks(execute=True):  # the cache follows the commit
        Priority.objects.create(
            team=area.chelmsford, title="Parking outside schools", raised_on="2026-10-01"
        )
    after = get(client, "priorities", slug=TEAM).json()
    assert len(after) == len(before) + 1
    assert after[0]["issue"] == "Parking outside schools"


def test_the_boundary_is_strings_around_the_team_area(client, area):
    outline = get(client, "boundary", slug=TEAM).json()
    assert outline[0] == outline[-1]  # closed
    latitudes = [float(point["latitude"]) for point in outline]
    longitudes = [float(point["longitude"]) for point in outline]
    # CM1 1AA and CM1 1AB, the team's own postcodes, lie within it.
    for _, easting, northing, whose in POSTCODES:
        longitude, latitude = TO_WGS84.transform(easting + 500, northing + 500)
        inside = min(latitudes) < latitude < max(latitudes) and (
            min(longitudes) < longitude < max(longitudes)
        )
        assert inside == (whose == "a")


def test_the_geojson_boundary_has_every_part_of_the_area(client, area):
    feature = get(client, "boundary-geojson", slug="braintree").json()
    assert feature["type"] == "Feature"
    assert feature["geometry"]["type"] == "MultiPolygon"
    # Braintree polices a ward of Chelmsford's district as well as two squares of its own
    # that touch only at a corner: three parts.
    assert len(feature["geometry"]["coordinates"]) == 3
    assert feature["properties"]["approximate"] is True


def test_a_team_without_postcodes_has_an_empty_boundary(client, area):
    from tests.factories import TeamFactory

    TeamFactory(name="Marine Unit", slug="marine")
    assert get(client, "boundary", slug="marine").json() == []
    assert get(client, "neighbourhood", slug="marine").json()["centre"] == {
        "latitude": None,
        "longitude": None,
    }


@pytest.mark.parametrize(("postcode", "easting", "northing", "whose"), POSTCODES)
def test_locate_neighbourhood_agrees_with_the_finder(
    client, area, postcode, easting, northing, whose
):
    """The team for a postcode's position is the team the finder gives for the postcode."""
    longitude, latitude = TO_WGS84.transform(easting, northing)
    located = get(client, "locate-neighbourhood", f"?q={latitude:.6f},{longitude:.6f}")
    found = client.get(reverse("teams:find"), {"postcode": postcode})
    if whose == "out":
        assert located.status_code == 404
        assert "Essex" in located.json()["detail"]
        assert found.status_code == 200  # the finder explains who polices it instead
        return
    assert located.status_code == 200
    team_url = reverse("teams:detail", kwargs={"slug": located.json()["neighbourhood"]})
    assert found.status_code == 302
    assert found["Location"].startswith(team_url)
    assert located.json()["force"] == "essex"


@pytest.mark.parametrize("q", ["", "51.7", "fifty,one", "51.7,0.4,1", "91,0", "51.7,nan"])
def test_locate_neighbourhood_refuses_what_is_not_a_position(client, area, q):
    response = get(client, "locate-neighbourhood", f"?q={q}")
    assert response.status_code == 400
    assert response.json()["detail"]


def test_a_point_far_from_any_postcode_is_not_in_essex(client, area):
    response = get(client, "locate-neighbourhood", "?q=55.9533,-3.1883")  # Edinburgh
    assert response.status_code == 404


@pytest.mark.parametrize(
    "path",
    ["/api/essex/nowhere", "/api/essex/nowhere/priorities", "/api/kent/neighbourhoods", "/api/x"],
)
def test_unknown_things_are_json_404s(client, area, path):
    response = client.get(path)
    assert response.status_code == 404
    assert response["Content-Type"].startswith("application/json")
    assert response.json()["detail"]


def test_a_bad_parameter_is_a_json_400(client, area):
    response = get(client, "priorities", "?status=sometimes", slug=TEAM)
    assert response.status_code == 400
    assert "status" in response.json()["detail"]


def test_the_openapi_description_documents_police_uk_names(client, area):
    description = get(client, "openapi-json").json()
    assert description["openapi"].startswith("3.")
    assert "/api/essex/{slug}/priorities" in description["paths"]
    priority = description["components"]["schemas"]["Priority"]["properties"]
    assert {"issue", "issue-date", "action", "action-date"} <= set(priority)


def test_locate_neighbourhood_in_essex_asks_the_database_nothing_once_warm(
    client, area, django_assert_num_queries
):
    """The nearest postcode and its codes from the positions kept in this process (read once),
    the team from the finder's kept routes."""
    postcode, easting, northing, _ = next(row for row in POSTCODES if row[3] != "out")
    longitude, latitude = TO_WGS84.transform(easting, northing)
    query = f"?q={latitude:.6f},{longitude:.6f}"
    assert get(client, "locate-neighbourhood", query).status_code == 200
    with django_assert_num_queries(0):
        assert get(client, "locate-neighbourhood", query).status_code == 200
