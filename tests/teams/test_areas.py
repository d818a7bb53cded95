"""The postcodes of each outward code and sector counted by council area and ward (teams.areas):
the finder's "Teams that cover CM1" without a query, following every change to the postcodes."""

import pytest
from django.db import connection
from django.db.models import Count
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from teams import areas
from teams.areas import postcode_groups
from teams.finder import answer
from teams.models import Postcode
from tests.factories import DistrictFactory, PostcodeFactory, TeamFactory, WardFactory

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
