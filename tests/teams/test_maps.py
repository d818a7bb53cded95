"""Server-drawn maps: squares coloured by the team with most postcodes, cached, CSP-safe."""

import re

import pytest

from teams import maps
from tests.factories import DistrictFactory, PostcodeFactory, TeamFactory, WardFactory

pytestmark = pytest.mark.django_db


def postcodes_at(ward, points, prefix):
    for index, (easting, northing) in enumerate(points):
        PostcodeFactory(
            postcode=f"{prefix}{index // 10} {index % 10}AA",
            easting=easting,
            northing=northing,
            ward=ward,
            district=ward.district,
        )


@pytest.fixture
def two_teams():
    east = TeamFactory(name="East", slug="east")
    west = TeamFactory(name="West", slug="west")
    east_ward = WardFactory(district=DistrictFactory(team=east))
    west_ward = WardFactory(district=DistrictFactory(team=west))
    # Square (600, 225): three East postcodes, one West. Square (599, 225): West only.
    postcodes_at(east_ward, [(600100, 225100), (600200, 225200), (600900, 225900)], "CO")
    postcodes_at(west_ward, [(600500, 225500), (599500, 225500)], "CM")
    return east, west, east_ward, west_ward


def test_each_square_goes_to_the_team_with_most_postcodes_in_it(two_teams):
    east, west, *_ = two_teams
    assert maps.count_cells() == {(600, 225): east.pk, (599, 225): west.pk}


def test_a_wards_own_team_outranks_its_districts(two_teams):
    east, west, east_ward, _ = two_teams
    east_ward.team = west
    east_ward.save()
    assert maps.count_cells()[(600, 225)] == west.pk


def test_postcodes_without_coordinates_are_left_off(two_teams):
    east, _, east_ward, _ = two_teams
    PostcodeFactory(
        postcode="CO9 9ZZ", easting=0, northing=0, ward=east_ward, district=east_ward.district
    )
    assert (0, 0) not in maps.count_cells()


def test_the_essex_map_links_each_area_to_its_team_without_style_attributes(two_teams):
    east, west, *_ = two_teams
    drawn = maps.essex_map()
    svg = drawn["svg"]
    assert f'href="{east.get_absolute_url()}"' in svg
    assert f'href="{west.get_absolute_url()}"' in svg
    assert "style=" not in svg
    # The same links are in the key as text; the drawing is hidden from screen readers.
    assert 'aria-hidden="true"' in svg and 'tabindex="-1"' in svg
    assert [area.name for area in drawn["areas"]] == ["East", "West"]


def test_a_team_map_names_itself_for_screen_readers(two_teams):
    east, *_ = two_teams
    svg = maps.team_map(east)["svg"]
    assert 'role="img"' in svg
    assert "Map of the area East covers, in blue" in svg
    assert "style=" not in svg


def test_a_team_without_postcodes_has_no_map():
    assert maps.team_map(TeamFactory()) is None


def test_maps_are_drawn_once_then_served_from_the_cache(two_teams, django_assert_num_queries):
    east, *_ = two_teams
    maps.team_map(east)
    maps.essex_map()
    with django_assert_num_queries(0):
        maps.team_map(east)
        maps.essex_map()


def test_moving_a_district_to_another_team_redraws_the_maps(
    two_teams, django_capture_on_commit_callbacks
):
    east, west, east_ward, _ = two_teams
    assert f'href="{east.get_absolute_url()}"' in maps.essex_map()["svg"]
    district = east_ward.district
    district.team = west
    with django_capture_on_commit_callbacks(execute=True):
        district.save()
    assert f'href="{east.get_absolute_url()}"' not in maps.essex_map()["svg"]


def test_neighbouring_squares_of_one_team_are_drawn_as_one_run():
    cells = {(10, 5), (11, 5), (12, 5), (14, 5), (10, 4)}
    assert maps._runs(cells) == [(10, 5, 3), (14, 5, 1), (10, 4, 1)]


def contrast(colour: str, background: str = "#ffffff") -> float:
    def luminance(hex_colour):
        channels = [int(hex_colour[i : i + 2], 16) / 255 for i in (1, 3, 5)]
        linear = [c / 12.92 if c <= 0.03928 else ((c + 0.055) / 1.055) ** 2.4 for c in channels]
        return 0.2126 * linear[0] + 0.7152 * linear[1] + 0.0722 * linear[2]

    lighter, darker = sorted([luminance(colour), luminance(background)], reverse=True)
    return (lighter + 0.05) / (darker + 0.05)


@pytest.mark.parametrize("colour", maps.PALETTE)
def test_every_area_colour_stands_out_from_the_page_and_the_neighbours(colour):
    assert re.fullmatch(r"#[0-9a-f]{6}", colour)
    assert contrast(colour) >= 3
    assert contrast(colour, maps.OTHER_AREA) >= 3


def test_the_area_colours_are_all_different():
    assert len(set(maps.PALETTE)) == len(maps.PALETTE) == 10


def test_a_team_map_names_its_towns_readably_on_a_phone(two_teams):
    east, west, *_ = two_teams
    drawn = maps.team_map(west)
    svg = drawn["labels"]  # a layer of its own, on top of the markers
    # Colchester's GeoNames point falls in West's square (599, 225), not East's.
    assert drawn["towns"] == ["Colchester"]
    assert ">Colchester</text>" in svg
    assert "Colchester" not in maps.team_map(east)["towns"]
    width = float(re.search(r'viewBox="0 0 (\d+) ', svg)[1])
    sizes = [float(size) for size in re.findall(r'font-size="([\d.]+)"', svg)]
    # At least 14 px when the map is drawn 360 px wide on a 390 px phone, in the site font.
    assert sizes and all(size * 360 / width >= 14 for size in sizes)
    assert 'font-family="inherit"' in svg and "Times" not in svg
    assert re.search(r">\d+ km</text>", svg)
    assert "style=" not in svg


def test_the_team_page_lists_the_towns_the_map_shows(client, two_teams):
    from django.urls import reverse

    west = two_teams[1]
    html = client.get(reverse("teams:detail", args=[west.slug])).content.decode()
    assert "Towns and villages in the area: Colchester." in html
    assert "Neighbouring teams’ areas" in html
