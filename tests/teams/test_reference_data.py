"""The shipped postcode extract and the force's reference data, together: what a new
deployment serves after `first_run`."""

import io
import random
import re

import pytest
from django.conf import settings
from django.core.management import call_command
from django.db.models import Count, F, Q
from django.urls import reverse

from teams.models import (
    CommunitySafetyPartnership,
    District,
    NeighbouringForce,
    Officer,
    Postcode,
    Team,
    Ward,
)
from teams.nearest import AREA, OUTSIDE, kept_nearest
from teams.reference import PARTNERSHIPS, TEAMS
from teams.routes import nearest_postcode_to, nearest_queried

ESSEX = {code: slug for _, slug, districts in TEAMS for code, _ in districts}


@pytest.fixture(scope="module")
def extract(django_db_setup, django_db_blocker):
    """The extract imported once for the module (108,987 rows), removed afterwards."""
    with django_db_blocker.unblock():
        call_command(
            "import_postcodes", settings.BASE_DIR / "data" / "codepo_essex.zip", verbosity=0
        )
        call_command("load_reference_data", verbosity=0)
        yield
        Postcode.objects.all().delete()
        Ward.objects.all().delete()
        District.objects.all().delete()
        Team.objects.all().delete()
        NeighbouringForce.objects.all().delete()
        CommunitySafetyPartnership.objects.all().delete()


pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("extract")]


def test_every_postcode_in_the_fourteen_districts_finds_its_team():
    in_essex = Postcode.objects.filter(district__in=ESSEX)
    assert in_essex.count() == 46_750
    # The team each postcode's district (or ward override) gives, grouped: one query.
    found = (
        in_essex.annotate(slug=F("district__team__slug"))
        .values("district_id", "slug")
        .annotate(postcodes=Count("pk"))
    )
    assert {row["district_id"]: row["slug"] for row in found} == ESSEX
    assert not Ward.objects.filter(team__isnull=False).exists()  # no overrides to muddle it


def test_use_my_location_gives_the_databases_nearest_postcode_everywhere():
    """Each process's copy of the positions in and around Essex (teams.nearest) against the
    database's query, on the real postcodes: random points, real postcodes' positions and
    beside them, the copy's edges, the sea and far away."""
    rng = random.Random(10)
    west, south, east, north = AREA
    points = [
        (rng.randint(west - 10_000, east + 10_000), rng.randint(south - 10_000, north + 10_000))
        for _ in range(1_500)
    ]
    essex = list(
        Postcode.objects.filter(district__in=ESSEX, quality__lt=90).values_list(
            "easting", "northing"
        )
    )
    for x, y in rng.sample(essex, 500):
        points += [(x, y), (x + rng.randint(-100, 100), y + rng.randint(-100, 100))]
    for edge in (west - 1, west, west + 1, west + 4_999, east - 5_001, east - 1, east):
        points += [(edge, rng.randint(south, north)) for _ in range(15)]
    for edge in (south - 1, south, south + 1, south + 4_999, north - 5_001, north - 1, north):
        points += [(rng.randint(west, east), edge) for _ in range(15)]
    points += [(530_047, 180_422), (325_900, 673_800), (640_000, 200_000), (600_000, 178_000)]
    answered = 0
    for x, y in points:
        kept, queried = kept_nearest(x, y), nearest_queried(x, y)
        if kept is not OUTSIDE:
            answered += 1
            assert kept == queried, (x, y)
        assert nearest_postcode_to(x, y) == (queried[0] if queried else None), (x, y)
    assert answered > 1_500


@pytest.mark.parametrize("code", sorted(ESSEX))
def test_the_finder_sends_a_postcode_in_each_district_to_its_team(client, code):
    postcode = Postcode.objects.filter(district=code).order_by("?").first()
    response = client.get(reverse("teams:find"), {"postcode": postcode.postcode.lower()})
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("teams:detail", args=[ESSEX[code]]))


def test_every_postcode_outside_essex_is_told_whom_to_contact():
    outside = Postcode.objects.exclude(district__in=ESSEX).exclude(district=None)
    assert outside.count() == 108_987 - 46_750 - 67
    assert not outside.filter(Q(district__force=None)).exists()


@pytest.mark.parametrize(
    ("postcode", "district", "force"),
    [
        ("E1 6AN", "City of London", "City of London Police"),
        ("RM1 1AA", "Havering", "Metropolitan Police Service"),
        ("CB2 1TN", "Cambridge", "Cambridgeshire Constabulary"),
        ("SG1 1AA", "Stevenage", "Hertfordshire Constabulary"),
    ],
)
def test_outside_postcodes_name_the_council_and_force(client, postcode, district, force):
    page = client.get(reverse("teams:find"), {"postcode": postcode}).content.decode()
    assert f"{postcode} is outside the area Essex Police covers" in page
    assert f"{postcode} is in {district}" in page and force in page


def test_a_postcode_in_an_area_not_in_the_extract_is_not_found(client):
    page = client.get(reverse("teams:find"), {"postcode": "EC2V 7HH"}).content.decode()
    assert "We could not find EC2V 7HH" in page


def first_team(client, typed) -> str | None:
    """The team a resident typing `typed` reaches: straight there, or the first one listed."""
    response = client.get(reverse("teams:find"), {"postcode": typed})
    if response.status_code == 302:
        return response["Location"].split("/")[-2]
    found = re.search(r'href="/teams/([a-z-]+)/"', response.content.decode())
    return found[1] if found else None


@pytest.mark.parametrize(
    ("typed", "slug"),
    [
        # The towns the finder could not find before the gazetteer.
        ("Rayleigh", "castle-point-rochford"),
        ("Leigh-on-Sea", "southend"),
        ("Clacton-on-Sea", "tendring"),
        ("Benfleet", "castle-point-rochford"),
        ("Westcliff-on-Sea", "southend"),
        ("South Woodham Ferrers", "chelmsford-maldon"),
        ("Walton-on-the-Naze", "tendring"),
        ("Frinton-on-Sea", "tendring"),
        ("Chipping Ongar", "epping-forest-brentwood"),
        # And others, however they are typed.
        ("witham", "braintree"),
        ("HARLOW", "harlow-uttlesford"),
        ("Saffron Walden", "harlow-uttlesford"),
        ("Great Dunmow", "harlow-uttlesford"),
        ("Thaxted", "harlow-uttlesford"),
        ("Grays", "thurrock"),
        ("Stanford le Hope", "thurrock"),
        ("Tilbury", "thurrock"),
        ("Billericay", "basildon"),
        ("Laindon", "basildon"),
        ("Wickford", "basildon"),
        ("Canvey Island", "castle-point-rochford"),
        ("Hockley", "castle-point-rochford"),
        ("Maldon", "chelmsford-maldon"),
        ("Burnham-on-Crouch", "chelmsford-maldon"),
        ("Great Baddow", "chelmsford-maldon"),
        ("Brentwood", "epping-forest-brentwood"),
        ("Loughton", "epping-forest-brentwood"),
        ("Waltham Abbey", "epping-forest-brentwood"),
        ("Colchester", "colchester"),
        ("Wivenhoe", "colchester"),
        ("Tiptree", "colchester"),
        ("Shoeburyness", "southend"),
        ("Brightlingsea", "tendring"),
        ("Harwich", "tendring"),
        ("Manningtree", "tendring"),
        ("Jaywick", "tendring"),
        ("Halstead", "braintree"),
        ("Coggeshall", "braintree"),
    ],
)
def test_essex_towns_and_villages_find_their_team(client, typed, slug):
    assert first_team(client, typed) == slug


@pytest.mark.parametrize(
    ("typed", "meant", "slug"),
    [
        ("Chelmsfrd", "Chelmsford", "chelmsford-maldon"),
        ("Rayliegh", "Rayleigh", "castle-point-rochford"),
        ("Colchster", "Colchester", "colchester"),
        ("Billericey", "Billericay", "basildon"),
    ],
)
def test_typos_get_did_you_mean_and_it_leads_to_the_team(client, typed, meant, slug):
    page = client.get(reverse("teams:find"), {"postcode": typed}).content.decode()
    assert "Did you mean" in page and f">{meant}</a>" in page
    assert first_team(client, meant) == slug


def test_wards_are_found_by_name(client):
    assert first_team(client, "Moulsham Lodge") == "chelmsford-maldon"


def test_a_shared_outward_code_lists_its_teams(client):
    page = client.get(reverse("teams:find"), {"postcode": "CM1"}).content.decode()
    assert "Teams that cover CM1" in page and "Chelmsford &amp; Maldon" in page


def test_the_teams_are_the_forces_own_with_no_sample_data():
    assert Team.objects.count() == 10
    assert not any("sample" in team.summary.lower() for team in Team.objects.all())
    assert not Officer.objects.exists()
    chelmsford = Team.objects.get(slug="chelmsford-maldon")
    assert chelmsford.summary == (
        "The police officers, PCSOs and Special Constables who look after Chelmsford and Maldon."
    )


def test_every_essex_district_has_its_partnership():
    assert set(
        District.objects.filter(partnership__isnull=False).values_list("code", "partnership__name")
    ) == set(PARTNERSHIPS.items())
    assert not CommunitySafetyPartnership.objects.filter(name__icontains="sample").exists()


def test_loading_again_changes_nothing_staff_changed(client):
    basildon = Team.objects.get(slug="basildon")
    Team.objects.filter(pk=basildon.pk).update(summary="Our own words", slug="basildon-town")
    thurrock = Team.objects.get(slug="thurrock")
    District.objects.filter(code="E06000034").update(team=None, force=None, partnership=None)
    District.objects.filter(code="E07000066").update(team=thurrock)  # Basildon, given away
    havering = District.objects.get(code="E09000016")
    havering.force = None
    havering.team = thurrock  # policed from Essex for a while
    havering.save()
    try:
        output = io.StringIO()
        call_command("load_reference_data", stdout=output)
        basildon.refresh_from_db()
        assert (basildon.summary, basildon.slug) == ("Our own words", "basildon-town")
        assert Team.objects.count() == 10
        assert District.objects.get(code="E07000066").team == thurrock
        assert District.objects.get(code="E09000016").team == thurrock
        # What was missing is put back: Thurrock's own district and its partnership.
        thurrock_district = District.objects.get(code="E06000034")
        assert thurrock_district.team == thurrock
        assert thurrock_district.partnership.name == "Thurrock Community Safety Partnership"
        assert "0 teams created (10 in all)" in output.getvalue()
        response = client.get(reverse("teams:find"), {"postcode": "RM1 1AA"})
        assert response["Location"].startswith(reverse("teams:detail", args=["thurrock"]))
    finally:
        Team.objects.filter(pk=basildon.pk).update(slug="basildon")
        District.objects.filter(code="E07000066").update(team=basildon)
        District.objects.filter(code="E09000016").update(
            team=None, force=NeighbouringForce.objects.get(name="Metropolitan Police Service")
        )
