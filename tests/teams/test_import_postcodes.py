"""`manage.py import_postcodes`: OS Code-Point Open in, postcodes, districts and wards out."""

import io
import zipfile
from unittest import mock

import pytest
from django.core.management import CommandError, call_command
from django.db import connection

from teams import postcodes
from teams.models import District, Postcode, Ward
from tests.factories import DistrictFactory, PostcodeFactory, TeamFactory

from .codepoint import CB, CM, SS, make_zip, row

pytestmark = pytest.mark.django_db


def run(*args):
    out, err = io.StringIO(), io.StringIO()
    call_command("import_postcodes", *map(str, args), stdout=out, stderr=err)
    return out.getvalue(), err.getvalue()


def test_imports_every_row_with_clean_names(tmp_path):
    out, _ = run(make_zip(tmp_path / "codepo_gb.zip"))

    assert "Imported 6 postcodes" in out
    cm2 = Postcode.objects.get(postcode="CM2 9AA")
    assert (cm2.outward, cm2.sector, cm2.easting, cm2.northing, cm2.quality) == (
        "CM2",
        "CM2 9",
        570500,
        205500,
        10,
    )
    assert cm2.district.name == "Chelmsford"  # not "Chelmsford District (B)"
    assert cm2.ward.name == "Moulsham Lodge" and cm2.ward.district_id == "E07000070"
    assert District.objects.get(code="E06000033").name == "Southend-on-Sea"
    # A postcode Code-Point Open gives no council area is kept, with none.
    assert Postcode.objects.get(postcode="CM0 9ZZ").district_id is None


def test_only_the_areas_asked_for(tmp_path):
    out, _ = run(make_zip(tmp_path / "codepo_gb.zip"), "--areas", "cm, ss")
    assert "areas CM, SS" in out
    assert Postcode.objects.filter(outward="CB2").count() == 0
    assert Postcode.objects.count() == 5


def test_an_unknown_area_is_refused(tmp_path):
    with pytest.raises(CommandError, match="no postcodes for area ZZ"):
        run(make_zip(tmp_path / "codepo_gb.zip"), "--areas", "CM,ZZ")


def test_reads_the_unpacked_folder(tmp_path):
    source = make_zip(tmp_path / "codepo_gb.zip")
    folder = tmp_path / "codepo_gb"
    with zipfile.ZipFile(source) as archive:
        archive.extractall(folder)
    run(folder)
    assert Postcode.objects.count() == 6


def test_a_reimport_replaces_the_old_postcodes_and_keeps_staff_choices(tmp_path):
    team = TeamFactory(slug="chelmsford-maldon")
    DistrictFactory(code="E07000070", name="Old name", team=team)
    PostcodeFactory(postcode="CM99 1ZZ")

    run(make_zip(tmp_path / "codepo_gb.zip"))

    assert not Postcode.objects.filter(postcode="CM99 1ZZ").exists()
    chelmsford = District.objects.get(code="E07000070")
    assert chelmsford.name == "Chelmsford" and chelmsford.team == team


def test_indexes_are_rebuilt(tmp_path):
    run(make_zip(tmp_path / "codepo_gb.zip"))
    with connection.cursor() as cursor:
        constraints = connection.introspection.get_constraints(cursor, "teams_postcode")
    assert {"postcode_outward", "postcode_sector"} <= set(constraints)


def test_malformed_rows_are_counted_and_reported(tmp_path):
    bad = (
        CM
        + '"NOT A POSTCODE",10,570000,206000,"E92000001","","","","E07000070","E05004106"\r\n'
        + row("CM2 9AD", "E07000070", "E05004106", easting=9_999_999)
    )
    out, err = run(make_zip(tmp_path / "codepo_gb.zip", {"cm": bad}))
    assert "Imported 4 postcodes" in out
    assert "2 malformed rows were skipped" in err
    assert "NOT A POSTCODE" in err


def test_postcodes_are_normalised(tmp_path):
    squashed = row("cm29ae", "E07000070", "E05004106") + row("CM2  9AF", "E07000070", "")
    run(make_zip(tmp_path / "codepo_gb.zip", {"cm": squashed}))
    assert sorted(Postcode.objects.values_list("postcode", flat=True)) == ["CM2 9AE", "CM2 9AF"]


@pytest.mark.parametrize(
    ("make", "message"),
    [
        (lambda tmp: tmp / "missing.zip", "does not exist"),
        (lambda tmp: _write(tmp / "codepo.zip", b"not a zip"), "not a zip file"),
        (lambda tmp: _zip(tmp / "codepo.zip", {"readme.txt": "hello"}), "no Data/CSV"),
        (lambda tmp: _zip(tmp / "codepo.zip", {"Data/CSV/cm.csv": CM}), "no Doc/Codelist"),
        (
            lambda tmp: make_zip(tmp / "codepo.zip", {"cm": '"CM2 9AA",10,570000\r\n'}),
            "3 columns, not 10|not in the Code-Point Open layout",
        ),
        (
            lambda tmp: make_zip(tmp / "codepo.zip", {"cm": CM + '"CM2 9ZZ",10\r\n'}),
            "not in the Code-Point Open layout|2 columns, not 10",
        ),
        (
            lambda tmp: make_zip(tmp / "codepo.zip", {"cm": CM + row("CM2 9AA", "", "")}),
            "appears twice",
        ),
    ],
    ids=["missing", "not-a-zip", "no-csv", "no-codelist", "columns", "short-row", "repeated"],
)
def test_bad_files_change_nothing(tmp_path, make, message):
    PostcodeFactory(postcode="CM1 1AA")
    with pytest.raises(CommandError) as raised:
        run(make(tmp_path))
    assert any(part in str(raised.value) for part in message.split("|")), str(raised.value)
    assert "Nothing was changed" in str(raised.value)
    assert list(Postcode.objects.values_list("postcode", flat=True)) == ["CM1 1AA"]


def test_a_failure_mid_import_leaves_the_previous_data(tmp_path):
    run(make_zip(tmp_path / "first.zip", {"ss": SS}))
    with (
        mock.patch.object(postcodes, "_save_names", side_effect=RuntimeError("disk full")),
        pytest.raises(RuntimeError),
    ):
        run(make_zip(tmp_path / "second.zip", {"cm": CM, "cb": CB}))
    assert list(Postcode.objects.values_list("postcode", flat=True)) == ["SS1 1AA"]
    assert not Ward.objects.filter(code="E05004106").exists()


def test_an_interrupted_import_leaves_the_previous_data(tmp_path):
    run(make_zip(tmp_path / "first.zip", {"ss": SS}))
    with (
        mock.patch.object(postcodes, "_save_names", side_effect=KeyboardInterrupt),
        pytest.raises(KeyboardInterrupt),
    ):
        run(make_zip(tmp_path / "second.zip", {"cm": CM}))
    assert list(Postcode.objects.values_list("postcode", flat=True)) == ["SS1 1AA"]


def test_if_empty_leaves_existing_postcodes_alone(tmp_path):
    PostcodeFactory(postcode="CM1 1AA")
    out, _ = run(make_zip(tmp_path / "codepo_gb.zip"), "--if-empty")
    assert "nothing to do" in out
    assert Postcode.objects.count() == 1


def test_if_empty_imports_into_an_empty_table(tmp_path):
    run(make_zip(tmp_path / "codepo_gb.zip"), "--if-empty")
    assert Postcode.objects.count() == 6


@pytest.mark.parametrize(
    ("official", "shown"),
    [
        ("Basildon District (B)", "Basildon"),
        ("Braintree District", "Braintree"),
        ("Southend-on-Sea (B)", "Southend-on-Sea"),
        ("Barnet London Boro", "Barnet"),
        ("City of Westminster London Boro", "City of Westminster"),
        ("City and County of the City of London", "City of London"),
        ("Witham North Ward", "Witham North"),
        ("St. Andrews Ward", "St. Andrews"),
        ("Abbey ED", "Abbey"),
    ],
)
def test_display_names(official, shown):
    assert postcodes.display_name(official) == shown


def _write(path, data):
    path.write_bytes(data)
    return path


def _zip(path, members):
    with zipfile.ZipFile(path, "w") as archive:
        for name, text in members.items():
            archive.writestr(name, text)
    return path
