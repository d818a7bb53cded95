"""The finder for all of Great Britain: towns and villages by name, every kind of postcode."""

import random

import pytest
from django.urls import reverse
from rapidfuzz import fuzz, process

from teams.finder import answer
from teams.place_search import prepare_place_search, search_places
from teams.places import SUGGESTION_SCORE, gazetteer, match_key
from teams.routes import nearest_postcode
from tests.factories import (
    DistrictFactory,
    NeighbouringForceFactory,
    PostcodeFactory,
    TeamFactory,
    WardFactory,
)

FIND = reverse("teams:find")
pytestmark = pytest.mark.django_db


def position(name):
    """Where the gazetteer puts the most populous place of that name."""
    place = gazetteer().find(name)[0]
    return place.easting, place.northing


@pytest.fixture
def essex(db):
    """Teams and districts for the towns the tests look for, one postcode at each town."""
    teams = {}
    for slug, districts in {
        "castle-point-rochford": [("E07000075", "Rochford"), ("E07000069", "Castle Point")],
        "southend": [("E06000033", "Southend-on-Sea")],
        "tendring": [("E07000076", "Tendring")],
        "chelmsford-maldon": [("E07000070", "Chelmsford")],
        "epping-forest-brentwood": [("E07000072", "Epping Forest")],
    }.items():
        team = TeamFactory(slug=slug, name=slug.replace("-", " ").title())
        for code, name in districts:
            teams[name] = DistrictFactory(code=code, name=name, team=team)
    towns = [
        ("SS6 7AA", "Rayleigh", "Rochford"),
        ("SS9 1AA", "Leigh-on-Sea", "Southend-on-Sea"),
        ("SS0 7AA", "Westcliff-on-Sea", "Southend-on-Sea"),
        ("SS7 1AA", "South Benfleet", "Castle Point"),
        ("CO15 1AA", "Clacton-on-Sea", "Tendring"),
        ("CO14 8AA", "Walton-on-the-Naze", "Tendring"),
        ("CO13 9AA", "Frinton-on-Sea", "Tendring"),
        ("CM5 9AA", "Chipping Ongar", "Epping Forest"),
        ("CM1 1AA", "Chelmsford", "Chelmsford"),
    ]
    for postcode, town, district in towns:
        easting, northing = position(town)
        PostcodeFactory(
            postcode=postcode,
            district=teams[district],
            ward=None,
            easting=easting,
            northing=northing,
        )
    # South Woodham Ferrers is not in GeoNames: data/place_aliases.csv places it at CM3 5JP.
    PostcodeFactory(postcode="CM3 5JP", district=teams["Chelmsford"], ward=None)
    return teams


@pytest.mark.parametrize(
    ("typed", "slug"),
    [
        ("Rayleigh", "castle-point-rochford"),
        ("RAYLEIGH", "castle-point-rochford"),
        ("Leigh-on-Sea", "southend"),
        ("leigh on sea", "southend"),
        ("Westcliff-on-Sea", "southend"),
        ("Benfleet", "castle-point-rochford"),
        ("South Benfleet", "castle-point-rochford"),
        ("Clacton-on-Sea", "tendring"),
        ("clacton", "tendring"),
        ("Walton-on-the-Naze", "tendring"),
        ("Walton on the Naze", "tendring"),
        ("Frinton-on-Sea", "tendring"),
        ("Frinton", "tendring"),
        ("Chipping Ongar", "epping-forest-brentwood"),
        ("Ongar", "epping-forest-brentwood"),
        ("South Woodham Ferrers", "chelmsford-maldon"),
        ("south woodham ferrers", "chelmsford-maldon"),
    ],
)
def test_real_towns_go_to_their_team(client, essex, typed, slug):
    response = client.get(FIND, {"postcode": typed})
    assert response.status_code == 302, response.content.decode()[:500]
    assert response["Location"] == reverse("teams:detail", args=[slug])


def test_a_misspelt_town_gets_did_you_mean(client, essex):
    page = client.get(FIND, {"postcode": "Chelmsfrd"}).content.decode()
    assert "We could not find a place called “Chelmsfrd”" in page
    assert "Did you mean" in page
    assert f'href="{FIND}?postcode=Chelmsford"' in page
    assert "Check the spelling" not in page


@pytest.mark.parametrize(
    ("typed", "meant"),
    [("Chelmsfrd", "Chelmsford"), ("Colchster", "Colchester"), ("Brentwod", "Brentwood")],
)
def test_did_you_mean_puts_the_town_meant_first(typed, meant):
    assert gazetteer().suggest(typed)[0] == meant


@pytest.mark.parametrize(
    "typed", ["Chelmsfrd", "Colchster", "Brentwod", "Lodnon", "Maldn", "Southend on sae", "Ely"]
)
def test_did_you_mean_loses_nothing_by_comparing_only_names_of_a_close_length(typed, monkeypatch):
    places = gazetteer()
    suggested = places.suggest(typed)
    monkeypatch.setattr(places, "_keys_near", lambda key: list(places.by_key))  # every name
    assert places.suggest(typed) == suggested


def _misspelt(name: str, rng: random.Random) -> str:
    """`name` with one to four letters left out, added, changed or swapped."""
    letters = list(name)
    for _ in range(rng.choice([1, 1, 2, 3, 4])):
        at = rng.randrange(len(letters))
        edit = rng.choice(["leave out", "add", "change", "swap"])
        if edit == "leave out" and len(letters) > 1:
            del letters[at]
        elif edit == "add":
            letters.insert(at, rng.choice("abcdefghijklmnopqrstuvwxyz "))
        elif edit == "change":
            letters[at] = rng.choice("abcdefghijklmnopqrstuvwxyz ")
        elif at + 1 < len(letters):
            letters[at], letters[at + 1] = letters[at + 1], letters[at]
    return "".join(letters)


def test_did_you_mean_loses_nothing_by_comparing_only_names_that_could_come_close(monkeypatch):
    """The names compared are found from their pairs of letters (`_keys_near`): for a thousand
    misspellings of real names, and made-up words, the same suggestions, in the same order, as
    comparing every name in turn."""
    places = gazetteer()
    rng = random.Random(2025)
    typed = [_misspelt(rng.choice(places.keys), rng) for _ in range(1000)]
    typed += ["".join(rng.choices("abcdefghijklmnop ", k=rng.randrange(3, 15))) for _ in range(200)]
    suggested = [places.suggest(text) for text in typed]
    assert sum(bool(names) for names in suggested) > 500  # most misspellings find their name
    monkeypatch.setattr(places, "_keys_near", lambda key: places.keys)  # every name, in order
    assert [places.suggest(text) for text in typed] == suggested


def test_did_you_mean_compares_every_name_a_misspelling_comes_close_to():
    """No name that scores SUGGESTION_SCORE or more against a misspelling, of any length, is
    left out of the few compared (`_keys_near`), not only those that make the suggestions."""
    places = gazetteer()
    rng = random.Random(2026)
    keys = [match_key(_misspelt(rng.choice(places.keys), rng)) for _ in range(2000)]
    order = {key: index for index, key in enumerate(places.keys)}
    compared = reaching = 0
    for key in keys:
        near = places._keys_near(key)
        close = process.extract(
            key, places.keys, scorer=fuzz.ratio, limit=None, score_cutoff=SUGGESTION_SCORE
        )
        assert {name for name, _, _ in close} <= set(near), key
        assert near == sorted(near, key=order.get), key  # the order among equal scores
        compared, reaching = compared + len(near), reaching + len(close)
    assert reaching > 1000
    assert compared < len(keys) * len(places.keys) / 20  # a few names each, not all of them


def test_a_name_shared_by_places_lists_each_with_its_council_and_force(client, essex):
    suffolk = NeighbouringForceFactory(
        name="Suffolk Constabulary", website="https://www.suffolk.police.uk/"
    )
    babergh = DistrictFactory(code="E07000200", name="Babergh", team=None, force=suffolk)
    for place in gazetteer().find("Hadleigh"):
        district = babergh if place.easting > 590_000 else essex["Castle Point"]
        PostcodeFactory(
            district=district, ward=None, easting=place.easting, northing=place.northing
        )

    page = client.get(FIND, {"postcode": "hadleigh"}).content.decode()

    assert "Places matching “hadleigh”" in page
    assert "Town or village in Castle Point" in page and "Town or village in Babergh" in page
    assert "Suffolk Constabulary" in page
    assert page.index("Castle Point") < page.index("Babergh")  # Essex first
    assert "GeoNames" in page  # the gazetteer's attribution


def test_a_listed_town_is_drawn_once_and_a_renamed_council_shows_at_once(
    client, essex, django_capture_on_commit_callbacks
):
    """A town in a list is kept with the routes, so its item is drawn once (`Place.html`);
    a change to its council starts them again."""
    babergh = DistrictFactory(code="E07000200", name="Babergh", team=None)
    for place in gazetteer().find("Hadleigh"):
        district = babergh if place.easting > 590_000 else essex["Castle Point"]
        PostcodeFactory(
            district=district, ward=None, easting=place.easting, northing=place.northing
        )
    first = answer("Hadleigh").places
    again = answer("HADLEIGH").places
    assert [place.description for place in first] == [
        "Town or village in Castle Point",
        "Town or village in Babergh",
    ]
    assert all(kept is place for kept, place in zip(again, first, strict=True))
    babergh.name = "Babergh District"
    with django_capture_on_commit_callbacks(execute=True):
        babergh.save()
    page = client.get(FIND, {"postcode": "hadleigh"}).content.decode()
    assert "Town or village in Babergh District" in page


def test_names_match_whatever_the_case_hyphens_or_on_sea():
    assert match_key("Leigh-on-Sea") == match_key("LEIGH ON SEA") == "leigh on sea"
    assert match_key("St. Osyth") == match_key("Saint Osyth") == "st osyth"
    assert gazetteer().find("southend")[0].name == "Southend-on-Sea"


@pytest.mark.parametrize(
    ("typed", "heading", "force"),
    [
        ("BT1 1AA", "BT1 1AA is in Northern Ireland", "Police Service of Northern Ireland"),
        ("gy1 1aa", "GY1 1AA is in Guernsey", "Guernsey Police"),
        ("JE2 3AB", "JE2 3AB is in Jersey", "States of Jersey Police"),
        ("IM1 1AA", "IM1 1AA is in the Isle of Man", "Isle of Man Constabulary"),
        ("BT7", "BT7 is in Northern Ireland", "Police Service of Northern Ireland"),
    ],
)
def test_postcodes_beyond_great_britain_name_their_police(client, db, typed, heading, force):
    page = client.get(FIND, {"postcode": typed}).content.decode()
    assert heading in page and force in page
    assert "We could not find" not in page


def test_a_bfpo_address_gets_a_clear_message(client, db):
    page = client.get(FIND, {"postcode": "BFPO 1234"}).content.decode()
    assert "BFPO 1234 is a British Forces Post Office address" in page


def test_an_outward_code_with_no_essex_postcodes_is_outside(client, db):
    force = NeighbouringForceFactory(
        name="City of London Police", website="https://www.cityoflondon.police.uk/"
    )
    city = DistrictFactory(code="E09000001", name="City of London", team=None, force=force)
    PostcodeFactory(postcode="E1 6AN", district=city, ward=None)

    page = client.get(FIND, {"postcode": "E1"}).content.decode()

    assert "E1 is outside the area Essex Police covers" in page
    assert "Teams that cover" not in page
    assert "City of London Police" in page and "https://www.police.uk/" in page


def test_an_unknown_postcode_says_what_its_sector_tells_us(client, essex):
    page = client.get(FIND, {"postcode": "CM1 1ZZ"}).content.decode()
    assert "We could not find CM1 1ZZ" in page
    assert "Other postcodes starting CM1 1 are covered by" in page
    assert reverse("teams:detail", args=["chelmsford-maldon"]) in page
    assert "Check it is right" not in page


def test_an_unknown_postcode_in_an_unknown_sector_blames_no_one(client, db):
    page = client.get(FIND, {"postcode": "ZZ1 1ZZ"}).content.decode()
    assert "We could not find ZZ1 1ZZ" in page and "may be a new postcode" in page
    assert "Check" not in page


def test_use_my_location_anywhere_in_great_britain(db):
    westminster = DistrictFactory(code="E09000033", name="City of Westminster", team=None)
    PostcodeFactory(postcode="WC2N 5DN", district=westminster, easting=530030, northing=180480)
    PostcodeFactory(postcode="SW1A 1AA", district=westminster, easting=529090, northing=179645)
    assert nearest_postcode(51.5080, -0.1281) == "WC2N 5DN"  # Trafalgar Square
    PostcodeFactory(postcode="PH33 6AA", easting=210700, northing=774000)  # Fort William
    assert nearest_postcode(56.82, -5.10) == "PH33 6AA"  # in the town
    assert nearest_postcode(56.7969, -5.0036) is None  # Ben Nevis: 6 km from any postcode


@pytest.mark.parametrize("typed", ["x" * 101, "<script>", ""])
def test_error_titles_name_the_page_once(client, db, typed):
    page = client.get(FIND, {"postcode": typed}).content.decode()
    title = page[page.index("<title>") : page.index("</title>")]
    assert title.count("Find your Community Policing Team") == 1


def test_answers_say_whether_anything_was_found(essex):
    assert answer("Rayleigh").answered
    assert not answer("Atlantis").answered
    assert not answer("ZZ1 1ZZ").answered
    assert answer("CM1 1ZZ").answered  # its sector is known


def _sample_of_great_britain(path, every=400):
    """A Code-Point Open zip of every `every`-th row of the shipped GB file, with its code list,
    and those rows."""
    import io
    import zipfile

    from django.conf import settings

    sampled = {}
    with (
        zipfile.ZipFile(settings.BASE_DIR / "data" / "codepo_gb.zip") as source,
        zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as target,
    ):
        target.writestr("Doc/Codelist.xlsx", source.read("Doc/Codelist.xlsx"))
        for name in source.namelist():
            if not name.startswith("Data/CSV/"):
                continue
            with source.open(name) as member:
                lines = io.TextIOWrapper(member, encoding="utf-8", newline="").readlines()
            kept = lines[::every]
            target.writestr(name, "".join(kept))
            for line in kept:
                fields = line.strip().replace('"', "").split(",")
                sampled[fields[0]] = fields[8]
    return path, sampled


def test_a_large_sample_of_great_britain_gets_its_council_and_force(tmp_path, client):
    """Every 400th postcode of Code-Point Open (about 4,400, every area), imported as the
    README says: each is outside Essex (no teams here), in its council, with its force."""
    from django.core.management import call_command

    from teams.forces import force_for_district
    from teams.models import District

    path, sampled = _sample_of_great_britain(tmp_path / "sample.zip")
    call_command("import_postcodes", str(path), verbosity=0)
    names = dict(District.objects.values_list("code", "name"))

    wrong = []
    for postcode, code in sampled.items():
        result = answer(postcode)
        if not code:  # no council area in Code-Point Open (a handful): not found, honestly
            ok = result.kind == "unknown"
        else:
            force = force_for_district(code)
            ok = result.kind == "outside" and result.district.name == names[code]
            # Essex's own districts are left for staff to give a team.
            ok = ok and (result.district.force.name if result.district.force else None) == (
                None if force == "Essex Police" else force
            )
        if not ok:
            wrong.append((postcode, code, result.kind))
    assert len(sampled) > 4000
    assert not wrong, wrong[:10]

    # Councils people know, named as residents know them, with their force.
    for code, council, force in [
        ("E09000033", "City of Westminster", "Metropolitan Police Service"),
        ("S12000036", "City of Edinburgh", "Police Scotland"),
        ("W06000015", "Cardiff", "South Wales Police"),
        ("W06000001", "Isle of Anglesey", "North Wales Police"),
    ]:
        district = District.objects.get(code=code)
        assert (district.name, district.force.name) == (council, force)


def test_maps_can_label_the_towns_in_a_box():
    from teams.places import places_within

    # Around Chelmsford (10 km each way on the British National Grid).
    names = [place.name for place in places_within(560_000, 197_000, 580_000, 217_000)]
    assert names[0] == "Chelmsford"  # the most populous first
    assert "Writtle" in names and "Colchester" not in names
    larger = places_within(560_000, 197_000, 580_000, 217_000, min_population=5_000)
    assert {place.name for place in larger} < set(names)


def test_a_town_asked_for_again_needs_no_query(client, essex, django_assert_num_queries):
    """A town's team comes from what the finder keeps (its nearest postcode's route, the teams);
    only a change to the teams or an import makes it ask again."""
    assert client.get(FIND, {"postcode": "Rayleigh"}).status_code == 302
    with django_assert_num_queries(0):
        response = client.get(FIND, {"postcode": "rayleigh"})
    assert response["Location"] == reverse("teams:detail", args=["castle-point-rochford"])


def test_a_prepared_worker_searches_names_and_places_a_point_without_a_query(
    django_assert_num_queries,
):
    """gunicorn.conf.py's post_worker_init prepares each worker before its first visitor."""
    chelmsford = DistrictFactory(code="E07000070", name="Chelmsford", team=TeamFactory())
    WardFactory(name="Moulsham Lodge", district=chelmsford)
    PostcodeFactory(postcode="CM2 9AA", easting=570_500, northing=205_500, district=chelmsford)
    prepare_place_search()
    with django_assert_num_queries(0):
        assert [place.name for place in search_places("moulsham")] == ["Moulsham Lodge"]
        assert nearest_postcode(51.72, 0.47) == "CM2 9AA"
