"""What the maps mark: where a resident arriving from the finder is (drawn for that request
only, never kept for others), where the team meets next, and the Essex teams by name."""

import itertools
import re

import pytest
from django.urls import reverse

from meetings.models import Meeting
from teams import maps
from teams.views.pages import team_page
from tests.factories import (
    DistrictFactory,
    MeetingFactory,
    PostcodeFactory,
    TeamFactory,
    WardFactory,
    tendring_next_door,
)

pytestmark = pytest.mark.django_db

HERE = "app-map__layer--here"
VENUES = "app-map__layer--venue"


@pytest.fixture
def colchester():
    team = TeamFactory(name="Colchester", slug="colchester")
    ward = WardFactory(district=DistrictFactory(team=team))
    # Squares (599, 225), (600, 225), (600, 226), (601, 224): the map runs from column 596 to
    # 604 and row 221 to 229 (three squares all round), so its top edge is northing 230 km.
    for index, (easting, northing) in enumerate(
        [(599500, 225500), (600500, 225500), (600500, 226500), (601500, 224500)]
    ):
        PostcodeFactory(
            postcode=f"CO{index + 1} 1AA",
            easting=easting,
            northing=northing,
            ward=ward,
            district=ward.district,
        )
    tendring_next_door()
    return team


def visit(client, team, postcode=None):
    url = reverse("teams:detail", args=[team.slug])
    if postcode is not None:
        url += f"?postcode={postcode}"
    response = client.get(url)
    assert response.status_code == 200
    return response.content.decode()


def test_arriving_from_the_finder_marks_where_you_are(client, colchester):
    page = visit(client, colchester, "co1%201aa")
    assert "You are here: CO1 1AA" in page
    layer = page[page.index(f'class="app-map__layer {HERE}"') :]
    layer = layer[: layer.index("</svg>")]
    # CO1 1AA at (599500, 225500): 3.5 squares from the left edge, 4.5 from the top.
    assert 'cx="3.50" cy="4.50"' in layer
    # Over the map, under the town names, which stay readable.
    assert page.index("<svg", page.index("app-map__frame")) < page.index(HERE)
    assert page.index(HERE) < page.index("app-map__layer--labels")
    assert 'viewBox="0 0 9 9"' in layer and 'aria-hidden="true"' in layer
    assert "style=" not in page.split("<main", 1)[1]


def test_a_plain_visit_has_no_marker(client, colchester):
    page = visit(client, colchester)
    assert "You are here" not in page and HERE not in page


def test_the_kept_page_never_carries_a_residents_marker(client, colchester):
    # The first arrival draws the parts every resident shares; the next visitors get them.
    assert "You are here: CO1 1AA" in visit(client, colchester, "CO1%201AA")
    for _ in range(2):  # drawn from the kept parts, then the whole page kept
        plain = visit(client, colchester)
        assert "You are here" not in plain and HERE not in plain and "CO1 1AA" not in plain
    kept = team_page("colchester")
    assert not any("CO1 1AA" in kept[part] for part in ("top", "officers", "bottom", "bottom_rest"))
    # And the next arrival gets its own postcode, not the first one's.
    other = visit(client, colchester, "CO2%201AA")
    assert "You are here: CO2 1AA" in other and "CO1 1AA" not in other


@pytest.mark.parametrize(
    "postcode",
    ["CO15%201AA", "ZZ9%209ZZ", "nonsense", "", "CO9%209ZZ"],
    ids=["another team's", "unknown", "malformed", "empty", "without a position"],
)
def test_a_postcode_not_on_the_map_draws_no_marker_and_no_error(client, colchester, postcode):
    ward = colchester.districts.get().wards.get()
    PostcodeFactory(postcode="CO9 9ZZ", easting=0, northing=0, ward=ward, district=ward.district)
    page = visit(client, colchester, postcode)
    assert "You are here" not in page and HERE not in page
    assert "Map of the area Colchester covers" in page


def test_arriving_costs_no_query_for_the_marker(client, colchester, django_assert_num_queries):
    ward = colchester.districts.get().wards.get()
    PostcodeFactory(postcode="CO1 2AA", easting=600600, northing=225600, ward=ward)
    # The page's parts kept; the finder keeps CO1's postcodes, with their positions.
    visit(client, colchester, "CO1%201AA")
    with django_assert_num_queries(0):
        page = visit(client, colchester, "CO1%202AA")
    assert "You are here: CO1 2AA" in page


def test_the_next_meetings_venues_are_marked_with_a_key(client, colchester):
    MeetingFactory(team=colchester, venue_name="Moot Hall", postcode="CO2 1AA")
    MeetingFactory(team=colchester, venue_name="Old Library", postcode="CO4 1AA")
    page = visit(client, colchester)
    assert "Where we meet next: Moot Hall and Old Library" in page
    layer = page[page.index(f'class="app-map__layer {VENUES}"') :]
    layer = layer[: layer.index("</svg>")]
    assert layer.count("<rect") == 4  # two markers, each a square with a square inside


def test_cancelled_and_unmappable_venues_are_not_marked(client, colchester):
    MeetingFactory(
        team=colchester,
        venue_name="Moot Hall",
        postcode="CO2 1AA",
        status=Meeting.Status.CANCELLED,
        status_reason="The hall is closed.",
    )
    MeetingFactory(team=colchester, venue_name="Far Hall", postcode="CO15 1AA")  # off the map
    MeetingFactory(team=colchester, venue_name="New Hall", postcode="CO99 9ZZ")  # unknown
    page = visit(client, colchester)
    assert "Where we meet next" not in page and VENUES not in page


def test_a_layer_marks_only_points_inside_the_map():
    frame = maps.MapFrame(left=596, top=229, width=9, height=9)
    inside = maps.MapPoint("CO1 1AA", 599500, 225500)
    outside = maps.MapPoint("CO15 1AA", 617500, 215500)
    assert maps.draw_layer(frame, [outside], "here") == ""
    both = maps.draw_layer(frame, [inside, outside], "venue")
    assert both.count("<rect") == 2 and "style=" not in both


def test_the_essex_map_names_each_team_readably_on_a_phone(colchester):
    svg = maps.essex_map()["svg"]
    names = re.findall(r"<tspan[^>]*>([^<]+)</tspan>", svg)
    assert names == ["Tendring", "Colchester"]  # the smaller area placed first
    width = float(re.search(r'viewBox="0 0 (\d+) ', svg)[1])
    sizes = [float(size) for size in re.findall(r'font-size="([\d.]+)"', svg)]
    assert sizes and all(size * maps.PHONE_MAP_PX / width >= 14 for size in sizes)
    assert 'class="app-map__area-name"' in svg and "style=" not in svg


def test_crowded_names_are_nudged_apart_not_piled_up():
    # Six teams of one square each, side by side: none of their names fits on its own square.
    names = [
        "Castle Point & Rochford",
        "Southend",
        "Basildon",
        "Thurrock",
        "Epping Forest & Brentwood",
        "Chelmsford & Maldon",
    ]
    areas = [
        maps.TeamArea(number, number, name, "/", maps.PALETTE[0], 1)
        for number, name in enumerate(names, start=1)
    ]
    by_team = {area.team_id: {(10 + area.number, 20)} for area in areas}
    width = height = 40
    font = maps.LABEL_PX * width / maps.PHONE_MAP_PX
    placed = maps.place_area_names(areas, by_team, 0, 40, width, height, font)
    assert {name.area.name for name in placed} == set(names)
    assert ["Castle Point", "& Rochford"] in [name.lines for name in placed]
    for one, other in itertools.combinations(placed, 2):
        assert not maps._overlaps(one.box, [other.box], gap=0), (one, other)
    for name in placed:
        assert name.box[0] >= 0 and name.box[2] <= width
        assert name.box[1] >= 0 and name.box[3] <= height
