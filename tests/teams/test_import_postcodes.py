"""`manage.py import_postcodes`: OS Code-Point Open in, postcodes, districts and wards out."""

import io
import sqlite3
import subprocess
import sys
import time
import zipfile
from unittest import mock

import pytest
from django.conf import settings
from django.core.management import CommandError, call_command
from django.db import IntegrityError, connection, transaction

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


def test_with_a_shared_cache_the_import_counts_each_area_for_every_worker(
    tmp_path, monkeypatch, django_assert_num_queries
):
    from teams.areas import postcode_groups
    from teams.management.commands import import_postcodes

    monkeypatch.setattr(import_postcodes, "shared_between_processes", lambda: True)
    out, _ = run(make_zip(tmp_path / "codepo_gb.zip"), "--areas", "CM")
    assert "Counted the postcodes of each outward code and sector for the finder" in out
    cm2 = Postcode.objects.get(postcode="CM2 9AA")
    in_its_ward = Postcode.objects.filter(outward="CM2", ward=cm2.ward).count()
    with django_assert_num_queries(0):  # worked out already
        groups = postcode_groups(outward="CM2")
    assert (cm2.district_id, cm2.ward_id, in_its_ward) in groups


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

    run(make_zip(tmp_path / "codepo_gb.zip"), "--force")  # removes all there was

    assert not Postcode.objects.filter(postcode="CM99 1ZZ").exists()
    chelmsford = District.objects.get(code="E07000070")
    assert chelmsford.name == "Chelmsford" and chelmsford.team == team


def test_indexes_are_rebuilt(tmp_path):
    run(make_zip(tmp_path / "codepo_gb.zip"))
    with connection.cursor() as cursor:
        constraints = connection.introspection.get_constraints(cursor, "teams_postcode")
    assert {"postcode_outward", "postcode_sector"} <= set(constraints)


def postgresql_schema():
    """teams_postcode's columns (type, NOT NULL, default), constraints and indexes."""
    with connection.cursor() as cursor:
        cursor.execute(
            """
            SELECT a.attname, format_type(a.atttypid, a.atttypmod), a.attnotnull,
                pg_get_expr(d.adbin, d.adrelid)
            FROM pg_attribute a
            LEFT JOIN pg_attrdef d ON d.adrelid = a.attrelid AND d.adnum = a.attnum
            WHERE a.attrelid = 'teams_postcode'::regclass AND a.attnum > 0
                AND NOT a.attisdropped
            ORDER BY a.attnum
            """
        )
        columns = cursor.fetchall()
        cursor.execute(
            "SELECT conname, pg_get_constraintdef(oid) FROM pg_constraint "
            "WHERE conrelid = 'teams_postcode'::regclass"
        )
        constraints = set(cursor.fetchall())
        cursor.execute(
            "SELECT indexname, indexdef FROM pg_indexes WHERE tablename = 'teams_postcode'"
        )
        indexes = set(cursor.fetchall())
    return columns, constraints, indexes


def test_postgresql_keeps_the_tables_constraints_and_indexes(tmp_path):
    """The new table swapped in is the one `migrate` made: the same checks (the positive
    integers' >= 0), not-nulls, defaults and indexes, under the same names."""
    if connection.vendor != "postgresql":
        pytest.skip("PostgreSQL's catalogue; SQLite has its own test")
    before = postgresql_schema()
    assert {
        ("teams_postcode_easting_check", "CHECK ((easting >= 0))"),
        ("teams_postcode_pkey", "PRIMARY KEY (postcode)"),
    } <= before[1]

    run(make_zip(tmp_path / "codepo_gb.zip"))

    assert postgresql_schema() == before
    with pytest.raises(IntegrityError, match="teams_postcode_easting_check"), transaction.atomic():
        PostcodeFactory(easting=-1)


def test_postgresql_gives_back_the_checks_an_earlier_import_lost(tmp_path):
    """Imports before LIKE copied constraints left the table without its checks: the next
    import puts back exactly those `migrate` made."""
    if connection.vendor != "postgresql":
        pytest.skip("PostgreSQL's catalogue")
    migrated = postgresql_schema()
    with connection.cursor() as cursor:
        for column in ("easting", "northing", "quality"):
            cursor.execute(
                f"ALTER TABLE teams_postcode DROP CONSTRAINT teams_postcode_{column}_check"
            )
    assert postgresql_schema() != migrated

    run(make_zip(tmp_path / "codepo_gb.zip"))

    assert postgresql_schema() == migrated


def test_sqlite_keeps_the_tables_constraints_and_indexes(tmp_path):
    """SQLite makes the new table from the current one's SQL: checks, not-nulls and indexes
    come back word for word."""
    if connection.vendor != "sqlite":
        pytest.skip("SQLite's schema table; PostgreSQL has its own test")

    def schema():
        with connection.cursor() as cursor:
            cursor.execute(
                "SELECT type, name, sql FROM sqlite_master WHERE tbl_name = 'teams_postcode'"
            )
            return set(cursor.fetchall())

    before = schema()
    assert any('CHECK ("easting" >= 0)' in (sql or "") for _, _, sql in before)

    run(make_zip(tmp_path / "codepo_gb.zip"))

    assert schema() == before
    with pytest.raises(IntegrityError, match="CHECK"), transaction.atomic():
        PostcodeFactory(easting=-1)


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


def _everything_imported():
    return (
        list(Postcode.objects.order_by("postcode").values_list()),
        list(District.objects.order_by("code").values_list("code", "name")),
        list(Ward.objects.order_by("code").values_list("code", "name", "district_id")),
    )


# Rows the whole-file match takes; a district-less ward; the largest positions in Great Britain.
ODD_BUT_VALID = (
    CM
    + row("CM2 9AG", "", "E05004106")
    + row("CM2 9AH", "E07000070", "", easting=799_999, northing=1_399_999)
)


@pytest.mark.parametrize(
    "unusual",
    [
        pytest.param(lambda text: text.replace("\r\n", "\r", 1), id="a-line-ending-in-CR-alone"),
        pytest.param(lambda text: text.replace('"CM2 9AB"', '"cm29ab"'), id="a-squashed-postcode"),
        pytest.param(lambda text: text.replace(",0,0,", ",0,0000000,"), id="seven-digit-northing"),
    ],
)
def test_a_file_read_line_by_line_gives_the_same_postcodes_as_one_read_whole(tmp_path, unusual):
    """Most files are checked in one step; one with any line out of the ordinary is checked
    line by line: both give exactly the same rows, districts and wards."""
    run(make_zip(tmp_path / "whole.zip", {"cm": ODD_BUT_VALID, "ss": SS}))
    whole = _everything_imported()
    assert Postcode.objects.get(postcode="CM2 9AG").district_id is None
    assert Postcode.objects.get(postcode="CM2 9AH").ward_id is None

    by_line = postcodes._Reader.checked_rows
    with mock.patch.object(
        postcodes._Reader, "checked_rows", autospec=True, side_effect=by_line
    ) as checked_rows:
        out, err = run(make_zip(tmp_path / "by_line.zip", {"cm": unusual(ODD_BUT_VALID), "ss": SS}))

    assert [call.args[1] for call in checked_rows.call_args_list] == ["CM"]  # SS read whole
    assert "Imported 7 postcodes" in out and not err
    assert _everything_imported() == whole


@pytest.mark.parametrize(
    ("easting", "northing"), [(800_000, 206_000), (570_000, 1_400_000), (570_000, 12_345_678)]
)
def test_a_position_outside_great_britain_is_malformed(tmp_path, easting, northing):
    text = CM + row("CM2 9AG", "E07000070", "E05004106", easting=easting, northing=northing)
    out, err = run(make_zip(tmp_path / "codepo_gb.zip", {"cm": text}))
    assert "Imported 4 postcodes" in out
    assert "1 malformed rows were skipped" in err and "outside Great Britain" in err


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
        run(make_zip(tmp_path / "second.zip", {"cm": CM, "cb": CB}), "--force")
    assert list(Postcode.objects.values_list("postcode", flat=True)) == ["SS1 1AA"]
    assert not Ward.objects.filter(code="E05004106").exists()


def test_an_interrupted_import_leaves_the_previous_data(tmp_path):
    run(make_zip(tmp_path / "first.zip", {"ss": SS}))
    with (
        mock.patch.object(postcodes, "_save_names", side_effect=KeyboardInterrupt),
        pytest.raises(KeyboardInterrupt),
    ):
        run(make_zip(tmp_path / "second.zip", {"cm": CM}), "--force")
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
        ("Sir Ynys Mon - Isle of Anglesey", "Isle of Anglesey"),
        ("Bro Morgannwg - the Vale of Glamorgan", "The Vale of Glamorgan"),
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


def _bad_crc(path):
    """A zip whose directory is fine but whose cm.csv was damaged after it was written."""
    make_zip(path, {"cm": CM * 3})
    data = bytearray(path.read_bytes())
    with zipfile.ZipFile(path) as archive:
        member = archive.getinfo("Data/CSV/cm.csv")
    # The member's data starts after its 30-byte local header, name and extra field.
    start = member.header_offset + 30 + len(member.filename) + len(member.extra)
    data[start + 5] ^= 0xFF
    path.write_bytes(bytes(data))
    return path


def _truncated(path):
    make_zip(path)
    data = path.read_bytes()
    return _write(path, data[: len(data) // 2])


@pytest.mark.parametrize(
    ("make", "message"),
    [(_bad_crc, "is damaged"), (_truncated, "not a zip file")],
    ids=["bad-crc", "truncated"],
)
def test_damaged_files_are_refused_in_one_line(tmp_path, make, message):
    PostcodeFactory(postcode="CM1 1AA")
    with pytest.raises(CommandError) as raised:
        run(make(tmp_path / "codepo_gb.zip"))
    assert message in str(raised.value) and "Nothing was changed" in str(raised.value)
    assert "\n" not in str(raised.value)
    assert list(Postcode.objects.values_list("postcode", flat=True)) == ["CM1 1AA"]


def test_a_damaged_file_from_the_command_line_exits_non_zero_without_a_traceback(tmp_path):
    source = _bad_crc(tmp_path / "codepo_gb.zip")
    database = tmp_path / "portal.sqlite3"
    env = {
        "DATABASE_URL": f"sqlite:///{database}",
        "DJANGO_SETTINGS_MODULE": "portal.settings.test",
    }
    manage = [sys.executable, str(settings.BASE_DIR / "manage.py")]
    subprocess.run([*manage, "migrate", "-v0"], env=env, check=True, cwd=settings.BASE_DIR)
    done = subprocess.run(
        [*manage, "import_postcodes", str(source)],
        env=env,
        cwd=settings.BASE_DIR,
        capture_output=True,
        text=True,
    )
    assert done.returncode != 0
    assert "Traceback" not in done.stderr
    # Readers carry on while an import writes (it failed here, but the mode stays).
    assert sqlite3.connect(database).execute("PRAGMA journal_mode").fetchone()[0] == "wal"
    # (Other apps' start-up log lines begin with a timestamp.)
    lines = [line for line in done.stderr.strip().splitlines() if not line[:1].isdigit()]
    assert len(lines) == 1 and "is damaged" in lines[0] and "Nothing was changed" in lines[0]


def _many(prefix, count, district="E07000070"):
    return "".join(
        row(f"{prefix}{n // 26} {n % 10}A{chr(65 + n % 26)}", district, "") for n in range(count)
    )


def test_a_mostly_malformed_file_is_refused(tmp_path):
    run(make_zip(tmp_path / "first.zip", {"cm": CM}))
    broken = row("CM2 9AA", "E07000070", "") + row("CM2 9AB", "E07000070", "")
    broken += "".join(
        f'"BAD{n}",10,570000,206000,"E92000001","","","","E07000070",""\r\n' for n in range(30)
    )
    with pytest.raises(CommandError, match="30 malformed rows out of 32"):
        run(make_zip(tmp_path / "broken.zip", {"cm": broken}), "--force")
    assert Postcode.objects.count() == 4


def test_a_file_removing_many_postcodes_is_refused_unless_forced(tmp_path):
    run(make_zip(tmp_path / "first.zip"))
    smaller = make_zip(tmp_path / "smaller.zip", {"ss": SS})
    with pytest.raises(CommandError, match="would remove 5 of the 6 postcodes.*--force"):
        run(smaller)
    assert Postcode.objects.count() == 6

    out, _ = run(smaller, "--force")
    assert "Imported 1 postcodes" in out
    assert list(Postcode.objects.values_list("postcode", flat=True)) == ["SS1 1AA"]


def test_a_few_postcodes_gone_is_an_ordinary_update(tmp_path):
    many = _many("CM2", 40)
    run(make_zip(tmp_path / "first.zip", {"cm": many + row("CM2 9ZZ", "E07000070", "")}))
    out, _ = run(make_zip(tmp_path / "second.zip", {"cm": many}))  # 1 of 41 gone: 2%
    assert "Imported 40 postcodes" in out


def test_every_district_is_given_its_police_force_and_staff_choices_stay(tmp_path):
    team = TeamFactory()
    DistrictFactory(code="E07000070", name="Chelmsford", team=team)
    run(make_zip(tmp_path / "codepo_gb.zip"))

    cambridge = District.objects.get(code="E07000008").force
    assert (cambridge.name, cambridge.website) == (
        "Cambridgeshire Constabulary",
        "https://www.cambs.police.uk/",
    )
    chelmsford = District.objects.get(code="E07000070")
    assert chelmsford.team == team and chelmsford.force is None
    # Essex's own districts wait for staff to give them a team.
    assert District.objects.get(code="E07000074").force is None
    assert District.objects.get(code="E06000033").force is None


@pytest.mark.django_db(transaction=True)
def test_the_finder_answers_from_the_old_postcodes_while_an_import_runs(tmp_path):
    """The import writes a new table and swaps it in at the end: a lookup made while it runs
    answers at once, from the postcodes there were, and the new ones appear all together."""
    import threading

    from django.db import connections

    from teams.finder import answer

    if connection.vendor != "postgresql":
        pytest.skip("SQLite's test database is in memory; WAL needs a file")
    TeamFactory(slug="chelmsford-maldon")
    run(make_zip(tmp_path / "first.zip", {"cm": CM}))
    District.objects.filter(code="E07000070").update(team=TeamFactory(slug="chelmsford"))
    halfway, finish = threading.Event(), threading.Event()
    give_forces = postcodes._give_forces

    def paused(codes):
        halfway.set()  # every new row is written and indexed, the transaction still open
        finish.wait(10)
        return give_forces(codes)

    def second_import():
        try:
            run(make_zip(tmp_path / "second.zip", {"cm": CM + row("CM2 9ZZ", "E07000070", "")}))
        finally:
            connections.close_all()

    with mock.patch.object(postcodes, "_give_forces", side_effect=paused):
        importing = threading.Thread(target=second_import)
        importing.start()
        assert halfway.wait(10)
        started = time.monotonic()
        during = answer("CM2 9AA"), answer("CM2 9ZZ")
        waited = time.monotonic() - started
        finish.set()
        importing.join(10)
    assert waited < 1, "the lookup waited for the import"
    assert during[0].kind == "team"
    assert during[1].kind == "unknown"  # not there yet: the old postcodes until the commit
    assert answer("CM2 9ZZ").kind == "team"  # and there once the import has finished
