"""The council -> police force table, checked against the shipped Code-Point Open."""

import csv
import io
import zipfile

import pytest
from django.conf import settings
from openpyxl import load_workbook

from teams.forces import FORCE_WEBSITES, force_for_district, other_area
from teams.postcodes import DISTRICT_SHEETS

GB = settings.BASE_DIR / "data" / "codepo_gb.zip"
ESSEX = settings.BASE_DIR / "data" / "codepo_essex.zip"


def _district_codes(path) -> dict[str, str]:
    with zipfile.ZipFile(path) as archive:
        workbook = load_workbook(io.BytesIO(archive.read("Doc/Codelist.xlsx")), read_only=True)
    codes = {}
    for sheet in DISTRICT_SHEETS:
        for row in workbook[sheet].iter_rows(values_only=True):
            if row[0] and row[1]:
                codes[row[1]] = row[0]
    workbook.close()
    return codes


def test_every_council_in_code_point_open_has_its_police_force():
    codes = _district_codes(GB)
    assert len(codes) == 350  # England, Wales and Scotland in the 2025.2.0 release
    assert not [code for code in codes if force_for_district(code) is None]


@pytest.mark.parametrize(
    ("code", "force"),
    [
        ("E09000033", "Metropolitan Police Service"),  # Westminster
        ("E09000001", "City of London Police"),
        ("S12000036", "Police Scotland"),  # Edinburgh
        ("W06000015", "South Wales Police"),  # Cardiff
        ("W06000022", "Gwent Police"),  # Newport
        ("W06000002", "North Wales Police"),  # Gwynedd
        ("W06000008", "Dyfed-Powys Police"),  # Ceredigion
        ("E08000003", "Greater Manchester Police"),
        ("E08000025", "West Midlands Police"),
        ("E08000021", "Northumbria Police"),
        ("E06000026", "Devon and Cornwall Police"),  # Plymouth
        ("E06000046", "Hampshire and Isle of Wight Constabulary"),
        ("E06000064", "Cumbria Constabulary"),  # Westmorland and Furness
        ("E06000065", "North Yorkshire Police"),
        ("E06000066", "Avon and Somerset Constabulary"),  # Somerset
        ("E06000019", "West Mercia Police"),  # Herefordshire
        ("E06000060", "Thames Valley Police"),  # Buckinghamshire
        ("E07000066", "Essex Police"),  # Basildon
        ("E06000034", "Essex Police"),  # Thurrock
    ],
)
def test_forces_for_councils_people_know(code, force):
    assert force_for_district(code) == force


def test_every_force_has_its_website():
    assert all(website.startswith("https://") for website in FORCE_WEBSITES.values())


@pytest.mark.parametrize(
    ("outward", "where"),
    [
        ("BT1", "Northern Ireland"),
        ("GY1", "Guernsey"),
        ("JE2", "Jersey"),
        ("IM1", "the Isle of Man"),
        ("BF1", "British Forces Post Office"),
    ],
)
def test_postcodes_beyond_code_point_open(outward, where):
    assert other_area(outward)[0] == where


@pytest.mark.parametrize("outward", ["B1", "BA1", "G1", "E1", "IG1", "S1", "IP1"])
def test_british_postcodes_are_not_taken_for_the_islands(outward):
    assert other_area(outward) is None


def test_every_alias_is_placed_at_a_real_postcode_in_its_council():
    """data/place_aliases.csv: each place GeoNames lacks sits at a postcode in the shipped
    extract, in the council the alias names."""
    aliases = list(csv.DictReader((settings.BASE_DIR / "data" / "place_aliases.csv").open()))
    names = {code: name for code, name in _district_codes(ESSEX).items()}
    wanted = {alias["postcode"]: alias for alias in aliases}
    found = {}
    with zipfile.ZipFile(ESSEX) as archive:
        for member in archive.namelist():
            if member.startswith("Data/CSV/"):
                for row in csv.reader(io.TextIOWrapper(archive.open(member), encoding="utf-8")):
                    if row[0] in wanted:
                        found[row[0]] = names[row[8]]
    for postcode, alias in wanted.items():
        assert alias["council"] in found.get(postcode, "missing"), (alias, found.get(postcode))
