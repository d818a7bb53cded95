"""The nearest postcode from each process's copy of the positions (teams.nearest): always the
postcode the database's query gives, and the new one as soon as the postcodes change."""

import random

import pytest

from teams import nearest
from teams.models import Postcode
from teams.nearest import AREA, OUTSIDE, kept_nearest
from teams.postcodes import import_codepoint
from teams.routes import nearest_postcode, nearest_postcode_to, nearest_queried, route_at
from tests.factories import DistrictFactory, PostcodeFactory, TeamFactory, WardFactory

from .codepoint import CM, make_zip, row

pytestmark = pytest.mark.django_db
WEST, SOUTH, EAST, NORTH = AREA


def _positions(rng):
    """Towns, villages and AREA's edges, some places holding two postcodes."""
    places = []
    for _ in range(40):  # towns: dense clusters
        x, y = rng.randint(WEST - 8_000, EAST + 8_000), rng.randint(SOUTH - 8_000, NORTH + 8_000)
        places += [(x + rng.randint(-600, 600), y + rng.randint(-600, 600)) for _ in range(40)]
    places += [(rng.randint(WEST, EAST), rng.randint(SOUTH, NORTH)) for _ in range(300)]
    for edge in (WEST - 1, WEST, WEST + 1, EAST - 1, EAST, EAST + 1):
        places += [(edge, rng.randint(SOUTH, NORTH)) for _ in range(10)]
    for edge in (SOUTH - 1, SOUTH, SOUTH + 1, NORTH - 1, NORTH, NORTH + 1):
        places += [(rng.randint(WEST, EAST), edge) for _ in range(10)]
    return places + places[::7]  # the same place, another postcode


def _points(rng, postcodes):
    """Where people ask from: anywhere in and around AREA, on and just outside its edges, at
    and beside postcodes, halfway between two (a tie), and far away."""
    points = [
        (rng.randint(WEST - 10_000, EAST + 10_000), rng.randint(SOUTH - 10_000, NORTH + 10_000))
        for _ in range(1_500)
    ]
    for edge in (WEST - 1, WEST, WEST + 1, WEST + 4_999, EAST - 5_001, EAST - 1, EAST):
        points += [(edge, rng.randint(SOUTH, NORTH)) for _ in range(20)]
    for edge in (SOUTH - 1, SOUTH, SOUTH + 1, SOUTH + 4_999, NORTH - 5_001, NORTH - 1, NORTH):
        points += [(rng.randint(WEST, EAST), edge) for _ in range(20)]
    for (x, y), (u, v) in zip(rng.sample(postcodes, 300), rng.sample(postcodes, 300), strict=True):
        points += [(x, y), (x + rng.randint(-80, 80), y + rng.randint(-80, 80))]
        if (x + u) % 2 == 0 and (y + v) % 2 == 0:
            points.append(((x + u) // 2, (y + v) // 2))
    return points + [
        (530_047, 180_422),  # Trafalgar Square
        (325_900, 673_800),  # Edinburgh
        (640_000, 200_000),  # the North Sea, off Clacton
        (600_000, 178_000),  # the Thames estuary
    ]


def test_the_kept_positions_give_the_databases_nearest_postcode_for_every_point():
    rng = random.Random(13)
    district = DistrictFactory(code="E07000070", team=TeamFactory())
    ward = WardFactory(code="E05004106", district=district)
    places = _positions(rng)
    # Names in another order than the places: ties go to the first in postcode order.
    names = [f"CM{n // 260 + 1} {n % 10}{chr(65 + n // 10 % 26)}A" for n in range(len(places))]
    rng.shuffle(names)
    Postcode.objects.bulk_create(
        Postcode(
            postcode=name,
            outward=name.split()[0],
            sector=name[:-2],
            easting=x,
            northing=y,
            quality=90 if i % 50 == 0 else 10,  # 90: no position, never the nearest
            district_id=district.code,
            ward_id=ward.code if i % 3 else None,
        )
        for i, (name, (x, y)) in enumerate(zip(names, places, strict=True))
    )
    answered = 0
    for x, y in _points(rng, places):
        kept = kept_nearest(x, y)
        queried = nearest_queried(x, y)
        if kept is not OUTSIDE:
            answered += 1
            assert kept == queried, (x, y)
        assert nearest_postcode_to(x, y) == (queried[0] if queried else None), (x, y)
    assert answered > 1_000  # most points, not only those the database answers


@pytest.mark.parametrize(
    ("first_place", "second_place"),
    [
        ((570_200, 205_100), (570_280, 205_100)),  # 40 m either side, in two squares
        ((570_230, 205_100), (570_250, 205_100)),  # the second just past the square's edge
    ],
)
def test_a_tie_goes_to_the_first_postcode_in_order_wherever_it_lies(first_place, second_place):
    """Both 40 m (or 10 m) from the point, 570,240 205,100: the database's ORDER BY takes the
    first postcode, though the rings come to the other first."""
    PostcodeFactory(postcode="CM9 9ZZ", easting=first_place[0], northing=first_place[1])
    PostcodeFactory(postcode="CM1 1AA", easting=second_place[0], northing=second_place[1])
    assert nearest_queried(570_240, 205_100)[0] == "CM1 1AA"
    assert kept_nearest(570_240, 205_100)[0] == "CM1 1AA"


def test_far_away_and_at_sea(db):
    PostcodeFactory(postcode="WC2N 5DN", easting=530_040, northing=180_400)
    PostcodeFactory(postcode="CO15 1AA", easting=617_500, northing=215_500)
    assert kept_nearest(530_047, 180_422) is OUTSIDE  # Trafalgar Square: the database says
    assert nearest_postcode(51.5080, -0.1281) == "WC2N 5DN"
    assert nearest_postcode(55.9533, -3.1883) is None  # Edinburgh
    assert kept_nearest(622_000, 215_500) == ("CO15 1AA", *_codes("CO15 1AA"))  # off Clacton
    assert kept_nearest(625_000, 215_500) is None  # 7.5 km out to sea


def _codes(postcode):
    found = Postcode.objects.get(postcode=postcode)
    return found.district_id, found.ward_id


def test_a_point_in_essex_needs_no_query_once_warm(django_assert_num_queries):
    district = DistrictFactory(code="E07000070", team=TeamFactory(slug="chelmsford-maldon"))
    PostcodeFactory(postcode="CM2 9AA", easting=570_500, northing=205_500, district=district)
    assert route_at(51.72, 0.47)[0] == "chelmsford-maldon"
    with django_assert_num_queries(0):
        assert route_at(51.72, 0.47)[0] == "chelmsford-maldon"
        assert nearest_postcode(51.72, 0.47) == "CM2 9AA"


def test_an_import_that_moves_a_postcode_moves_the_answer_at_once(
    tmp_path, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        import_codepoint(make_zip(tmp_path / "first.zip", {"cm": CM}))
    assert nearest_postcode_to(570_590, 205_590) == "CM2 9AB"
    moved = CM.replace("570600,205600", "585100,207100") + row("CM2 9ZZ", "E07000070", "")
    with django_capture_on_commit_callbacks(execute=True):
        import_codepoint(make_zip(tmp_path / "second.zip", {"cm": moved}))
    assert nearest_postcode_to(570_590, 205_590) == "CM2 9AA"
    assert nearest_postcode_to(585_090, 207_090) == "CM2 9AB"
    assert nearest_postcode_to(570_000, 206_000) == "CM2 9ZZ"  # a new postcode, there at once


def test_a_refused_import_leaves_the_answer(tmp_path, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        import_codepoint(make_zip(tmp_path / "first.zip", {"cm": CM}))
    assert nearest_postcode_to(570_590, 205_590) == "CM2 9AB"
    with pytest.raises(Exception, match="would remove"):  # noqa: PT011
        import_codepoint(make_zip(tmp_path / "second.zip", {"cm": row("CM1 1AA", "", "")}))
    assert nearest_postcode_to(570_590, 205_590) == "CM2 9AB"


def test_staff_moving_a_postcode_moves_the_answer(django_capture_on_commit_callbacks):
    postcode = PostcodeFactory(postcode="CM2 9AA", easting=570_500, northing=205_500)
    PostcodeFactory(postcode="CM2 9AB", easting=571_500, northing=205_500)
    assert nearest_postcode_to(570_600, 205_500) == "CM2 9AA"
    with django_capture_on_commit_callbacks(execute=True):
        postcode.easting = 580_000
        postcode.save()
    assert nearest_postcode_to(570_600, 205_500) == "CM2 9AB"


def test_other_changes_keep_the_positions(django_capture_on_commit_callbacks):
    """A change to a team (a new generation) costs a process no new read of the positions."""
    team = TeamFactory()
    PostcodeFactory(postcode="CM2 9AA", easting=570_500, northing=205_500)
    assert nearest_postcode_to(570_600, 205_500) == "CM2 9AA"
    kept = nearest.positions()
    with django_capture_on_commit_callbacks(execute=True):
        team.name = "Renamed"
        team.save()
    assert nearest_postcode_to(570_600, 205_500) == "CM2 9AA"
    assert nearest.positions() is kept


def test_each_kept_postcode_gives_its_position_whatever_order_the_database_keeps():
    """position_of finds a postcode by halving the copy in Python's order of postcodes, which
    a database's collation (passing over spaces) need not share."""
    district = DistrictFactory()
    ward = WardFactory(district=district)
    rng = random.Random(7)
    made = {}
    for outward in ("CM1", "CM11", "CM12", "CO1", "CO10", "SS0", "SS1"):
        for _ in range(15):
            postcode = f"{outward} {rng.randint(0, 9)}{rng.choice('ABD')}{rng.choice('ABDEF')}"
            if postcode not in made:
                made[postcode] = (rng.randint(WEST, EAST - 1), rng.randint(SOUTH, NORTH - 1))
                easting, northing = made[postcode]
                PostcodeFactory(
                    postcode=postcode,
                    district=district,
                    ward=ward,
                    easting=easting,
                    northing=northing,
                )
    PostcodeFactory(postcode="CM1 9ZZ", district=district, easting=WEST - 5, northing=SOUTH)
    PostcodeFactory(postcode="CM1 9ZY", district=district, easting=EAST - 5, quality=90)
    nearest.forget()
    for postcode, position in made.items():
        assert nearest.position_of(postcode) == position
    assert nearest.position_of("CM1 9ZZ") is None  # outside AREA
    assert nearest.position_of("CM1 9ZY") is None  # no position in Code-Point Open
    assert nearest.position_of("CM9 9AA") is None  # not a postcode we have
    assert nearest.position_of("ZZ99 9ZZ") is None  # after every postcode
