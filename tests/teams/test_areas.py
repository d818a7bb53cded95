"""Every postcode by sector with its council area and ward (teams.areas): the finder's answer
for a postcode outside Essex, and its "Teams that cover CM1", without a query, following every
change to the postcodes."""

import pytest
from django.db import connection
from django.db.models import Count
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from teams import areas
from teams.areas import postcode_codes, postcode_groups, sector_has_postcodes
from teams.finder import answer
from teams.models import Postcode
from teams.routes import postcode_route
from tests.factories import (
    DistrictFactory,
    NeighbouringForceFactory,
    PostcodeFactory,
    TeamFactory,
    WardFactory,
)

FIND = reverse("teams:find")

pytestmark = pytest.mark.django_db


@pytest.fixture
def two_councils():
    team = TeamFactory(name="Chelmsford & Maldon", slug="chelmsford-maldon")
    chelmsford = DistrictFactory(code="E07000070", name="Chelmsford", team=team)
    maldon = DistrictFactory(code="E07000074", name="Maldon", team=None)
    wards = [
        WardFactory(code="E05004106", name="Moulsham Lodge", district=chelmsford),
        WardFactory(code="E05004107", name="Patching Hall", district=chelmsford),
        WardFactory(code="E05004108", name="Heybridge", district=maldon),
    ]
    for number, ward in enumerate([0, 0, 1, 2, 2, 2, None]):
        PostcodeFactory(
            postcode=f"CM{1 + number % 2} {number % 3}A{'ABCDEFG'[number]}",
            ward=wards[ward] if ward is not None else None,
            district=wards[ward].district if ward is not None else None,
        )
    return chelmsford, maldon


def grouped(**filters):
    """What a live grouped query says."""
    rows = (
        Postcode.objects.filter(**filters)
        .values_list("district_id", "ward_id")
        .annotate(count=Count("pk"))
        .order_by()
    )
    return sorted(rows, key=str)


@pytest.mark.parametrize(
    "filters",
    [{"outward": "CM1"}, {"outward": "CM2"}, {"sector": "CM1 0"}, {"sector": "CM2 1"}],
)
def test_the_counts_are_what_a_grouped_query_gives(two_councils, filters):
    assert sorted(postcode_groups(**filters), key=str) == grouped(**filters)


def test_an_area_with_no_postcodes_has_no_groups(two_councils):
    assert postcode_groups(outward="ZZ9") == []
    assert postcode_groups(sector="CM1 9") == []


def test_once_kept_they_cost_no_query(two_councils):
    postcode_groups(outward="CM1")
    with CaptureQueriesContext(connection) as queries:
        assert postcode_groups(outward="CM2") and postcode_groups(sector="CM1 0")
    assert len(queries) == 0


def test_another_process_reads_them_from_the_shared_cache(two_councils):
    expected = sorted(postcode_groups(outward="CM1"), key=str)
    areas.forget()  # as a worker that has not counted them
    with CaptureQueriesContext(connection) as queries:
        assert sorted(postcode_groups(outward="CM1"), key=str) == expected
    assert len(queries) == 0


def test_a_new_postcode_is_counted_once_committed(
    client, two_councils, django_capture_on_commit_callbacks
):
    chelmsford, _ = two_councils
    before = answer("CM1").coverage
    with django_capture_on_commit_callbacks(execute=True):
        PostcodeFactory(postcode="CM1 5ZZ", ward=None, district=chelmsford)
    assert sorted(postcode_groups(outward="CM1"), key=str) == grouped(outward="CM1")
    assert sum(item.postcodes for item in answer("CM1").coverage) == 1 + sum(
        item.postcodes for item in before
    )


def test_the_finder_says_who_covers_an_outward_code_by_share(client, two_councils):
    assert len(answer("CM1").coverage) == 2  # CM1 0AG, with no council area, is left out
    page = client.get(reverse("teams:find"), {"postcode": "cm2"}).content.decode()
    assert "Teams that cover CM2" in page
    # CM2: one postcode in Moulsham Lodge (Chelmsford's team), two in Heybridge (Maldon, a
    # council with no team here): the larger share first.
    assert page.index("Maldon") < page.index("Chelmsford &amp; Maldon")
    assert "67%" in page and "33%" in page


# Each postcode's council area and ward ---------------------------------------------------------


@pytest.fixture
def crowded_sector(two_councils):
    """CM3 1, its postcodes in six groups (five wards, and one postcode with no council area)
    taken in turn, beside CM3 2, all in one ward, whose units overlap when run together."""
    chelmsford, maldon = two_councils
    wards = [
        WardFactory(code=f"E0500420{number}", name=f"Ward {number}", district=district)
        for number, district in enumerate([chelmsford, chelmsford, maldon, maldon, maldon])
    ]
    for number, unit in enumerate(["AB", "AD", "BA", "DA", "BB", "ZZ", "QA", "AQ", "UW", "WU"]):
        ward = wards[number % 6] if number % 6 < 5 else None
        PostcodeFactory(
            postcode=f"CM3 1{unit}", ward=ward, district=ward.district if ward else None
        )
    for unit in ("AB", "AD", "BD", "DA"):
        PostcodeFactory(postcode=f"CM3 2{unit}", ward=wards[0], district=chelmsford)


def test_every_postcode_has_its_own_council_area_and_ward(crowded_sector):
    everyone = Postcode.objects.values_list("postcode", "district_id", "ward_id")
    assert len(everyone) == 21
    for postcode, district, ward in everyone:
        assert postcode_codes(postcode) == (district, ward), postcode
    assert len(postcode_groups(sector="CM3 1")) == 6
    assert len(postcode_groups(sector="CM3 2")) == 1


def test_a_group_mark_is_never_part_of_a_unit():
    marks = [areas._mark(group) for group in range(300)]  # far more than any sector has
    assert not any("A" <= mark <= "Z" for mark in marks)
    assert [areas._group(mark) for mark in marks] == list(range(300))


@pytest.mark.parametrize(
    "postcode",
    # Not there: in a crowded sector, in a sector of one group, across two units run together
    # ("BA" in "ABAD"), in a sector with no postcodes, in an outward code with none.
    ["CM3 1ZA", "CM3 2ZZ", "CM3 2BA", "CM3 2DB", "CM3 2BB", "CM3 1AA", "CM3 9AB", "ZZ9 9ZZ"],
)
def test_a_postcode_we_do_not_have_has_no_codes(crowded_sector, postcode):
    assert postcode_codes(postcode) is None


def test_whether_a_sector_has_postcodes(crowded_sector):
    assert sector_has_postcodes("CM3 1") and sector_has_postcodes("CM1 0")
    assert not sector_has_postcodes("CM3 9") and not sector_has_postcodes("ZZ9 9")


def test_the_finder_says_why_it_has_no_answer_for_a_postcode(crowded_sector):
    # One with no council area (its sector has it), one missing beside others, one alone.
    assert postcode_route("CM3 1ZZ") == (None, None, True)
    assert postcode_route("CM3 1ZA") == (None, None, True)
    assert postcode_route("CM3 9ZZ") == (None, None, False)


def test_postcodes_outside_essex_and_unknown_cost_no_query_once_kept(
    client, two_councils, django_assert_num_queries
):
    force = NeighbouringForceFactory(name="Suffolk Constabulary")
    ipswich = DistrictFactory(code="E07000202", name="Ipswich", team=None, force=force)
    PostcodeFactory(postcode="IP1 1AA", ward=WardFactory(district=ipswich), district=ipswich)
    client.get(FIND, {"postcode": "CM1"})  # the routes, teams and postcodes are kept here
    with django_assert_num_queries(0):
        outside = client.get(FIND, {"postcode": "ip11aa"}).content.decode()
        maldon = client.get(FIND, {"postcode": "CM2 0AD"}).content.decode()  # has no team
        unknown = client.get(FIND, {"postcode": "IP1 1ZZ"}).content.decode()
        nowhere = client.get(FIND, {"postcode": "IP9 9ZZ"}).content.decode()
    assert "IP1 1AA is in Ipswich" in outside and "Suffolk Constabulary" in outside
    assert "CM2 0AD is in Maldon" in maldon
    assert "We could not find IP1 1ZZ" in unknown and "Ipswich: outside Essex" in unknown
    assert "We could not find IP9 9ZZ" in nowhere


def test_a_prepared_worker_answers_a_postcode_outside_essex_without_a_query(
    two_councils, django_assert_num_queries
):
    """As gunicorn.conf.py's post_worker_init prepares each worker before its first visitor."""
    from teams.place_search import prepare_place_search

    ipswich = DistrictFactory(code="E07000202", name="Ipswich", team=None)
    PostcodeFactory(postcode="IP1 1AA", ward=WardFactory(district=ipswich), district=ipswich)
    prepare_place_search()
    areas.warm()
    with django_assert_num_queries(0):
        assert postcode_route("IP1 1AA") == (None, ipswich, True)
        assert postcode_route("IP1 1AB") == (None, None, True)


def test_a_ward_given_to_an_essex_team_outside_essex_goes_to_it(client, two_councils):
    chelmsford, _ = two_councils
    suffolk = DistrictFactory(code="E07000202", name="Ipswich", team=None)
    ward = WardFactory(code="E05007000", district=suffolk, team=chelmsford.team)
    PostcodeFactory(postcode="IP1 1AA", ward=ward, district=suffolk)
    PostcodeFactory(postcode="IP1 1AB", ward=WardFactory(district=suffolk), district=suffolk)
    assert client.get(FIND, {"postcode": "IP1 1AA"})["Location"].startswith(
        reverse("teams:detail", args=["chelmsford-maldon"])
    )
    assert "IP1 1AB is in Ipswich" in client.get(FIND, {"postcode": "IP1 1AB"}).content.decode()


def test_a_postcode_moved_by_staff_is_answered_anew_on_the_next_request(
    client, two_councils, django_capture_on_commit_callbacks
):
    _, maldon = two_councils
    # CM1 0AA, in Moulsham Lodge: Chelmsford's team.
    assert client.get(FIND, {"postcode": "CM1 0AA"}).status_code == 302
    postcode = Postcode.objects.get(postcode="CM1 0AA")
    postcode.district, postcode.ward = maldon, None
    with django_capture_on_commit_callbacks(execute=True):
        postcode.save()
    page = client.get(FIND, {"postcode": "CM1 0AA"}).content.decode()
    assert "CM1 0AA is in Maldon" in page  # a council with no team here
    with django_capture_on_commit_callbacks(execute=True):
        postcode.delete()
    assert "We could not find CM1 0AA" in client.get(FIND, {"postcode": "CM1 0AA"}).content.decode()


def test_an_import_is_answered_on_the_next_request(
    client, db, tmp_path, django_capture_on_commit_callbacks
):
    from django.core.management import call_command

    from .codepoint import make_zip

    PostcodeFactory(postcode="CB2 1TA", ward=WardFactory(), district=DistrictFactory())
    assert "We could not find CB2 1TN" in client.get(FIND, {"postcode": "CB2 1TN"}).content.decode()
    with django_capture_on_commit_callbacks(execute=True):
        call_command("import_postcodes", str(make_zip(tmp_path / "codepo_gb.zip")), "--force")
    assert "CB2 1TN is in Cambridge" in client.get(FIND, {"postcode": "CB2 1TN"}).content.decode()
    page = client.get(FIND, {"postcode": "CB2 1TA"}).content.decode()
    assert "We could not find CB2 1TA" in page  # gone with the import


def test_a_change_is_worked_out_for_every_worker_before_they_are_told(
    settings, two_councils, django_capture_on_commit_callbacks
):
    """On a shared cache the writer works the new copy out after its commit and before it
    publishes the new version, so no worker holds up a resident's request to query for it."""
    from tests.conftest import use_test_redis

    use_test_redis(settings)
    chelmsford, _ = two_councils
    postcode_groups(outward="CM1")  # this process's copy of the current version
    with django_capture_on_commit_callbacks(execute=True):
        PostcodeFactory(postcode="CM1 5ZZ", ward=None, district=chelmsford)
    areas.forget()  # as a worker with none yet
    with CaptureQueriesContext(connection) as queries:
        assert postcode_codes("CM1 5ZZ") == (chelmsford.code, None)
    assert not any("postcode" in query["sql"].lower() for query in queries)


def test_the_positions_too_are_worked_out_before_the_workers_are_told(
    settings, two_councils, django_capture_on_commit_callbacks
):
    """As the postcodes by sector: a worker with no copy of the positions fetches the new ones
    rather than querying for them while a resident waits."""
    from teams import nearest
    from tests.conftest import use_test_redis

    use_test_redis(settings)
    chelmsford, _ = two_councils
    nearest.positions()
    with django_capture_on_commit_callbacks(execute=True):
        PostcodeFactory(
            postcode="CM1 5ZZ", ward=None, district=chelmsford, easting=571000, northing=207000
        )
    nearest.forget()  # as a worker with none yet
    with CaptureQueriesContext(connection) as queries:
        assert nearest.position_of("CM1 5ZZ") == (571000, 207000)
    assert not any("postcode" in query["sql"].lower() for query in queries)
