"""Tests for scripts/make_postcode_extract.py (plain pytest, no Django)."""

import subprocess
import sys
import zipfile
from pathlib import Path

SCRIPT = Path(__file__).resolve().parents[1] / "scripts" / "make_postcode_extract.py"

CM_ROWS = (
    b'"CM0 7AA",10,595736,199744,"E92000001","E19000001","E18000006",'
    b'"E10000012","E07000074","E05004202"\r\n'
    b'"CM0 7AB",10,595737,199885,"E92000001","E19000001","E18000006",'
    b'"E10000012","E07000074","E05004202"\r\n'
)
SS_ROWS = (
    b'"SS1 1AA",10,588000,185000,"E92000001","E19000001","E18000006","","E06000033","E05002220"\r\n'
)
AB_ROWS = b'"AB10 1AB",10,394235,806529,"S92000003","","S08000020","","S12000033","S13002842"\r\n'
DOCS = {
    "Doc/Code-Point_Open_Column_Headers.csv": b"PC,PQ,EA,NO,CY,RH,LH,CC,DC,WC\r\n",
    "Doc/licence.txt": b"Contains OS data \xa9 Crown copyright and database right 2025.\r\n",
    "Doc/metadata.txt": b"DATASET VERSION NUMBER: 2025.2.0\r\n",
    "Doc/Codelist.xlsx": b"PK\x03\x04 not really a workbook",
}


def make_source(path: Path) -> Path:
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as z:
        z.writestr("Data/", b"")
        z.writestr("Data/CSV/", b"")
        z.writestr("Data/CSV/ab.csv", AB_ROWS)
        z.writestr("Data/CSV/cm.csv", CM_ROWS)
        z.writestr("Data/CSV/ss.csv", SS_ROWS)
        z.writestr("Doc/", b"")
        for name, data in DOCS.items():
            z.writestr(name, data)
    return path


def run(*args):
    return subprocess.run(
        [sys.executable, str(SCRIPT), *map(str, args)], capture_output=True, text=True
    )


def test_copies_only_asked_areas_and_keeps_docs(tmp_path):
    src = make_source(tmp_path / "codepo_gb.zip")
    out = tmp_path / "out" / "extract.zip"
    result = run(src, out, "--areas", "CM,SS")
    assert result.returncode == 0, result.stderr
    assert "CM" in result.stdout and "total" in result.stdout and "3 rows" in result.stdout

    with zipfile.ZipFile(out) as z:
        names = z.namelist()
        assert "Data/CSV/cm.csv" in names and "Data/CSV/ss.csv" in names
        assert "Data/CSV/ab.csv" not in names
        assert z.read("Data/CSV/cm.csv") == CM_ROWS
        assert z.read("Data/CSV/ss.csv") == SS_ROWS
        for name, data in DOCS.items():
            assert z.read(name) == data
        assert all(i.compress_type == zipfile.ZIP_DEFLATED for i in z.infolist() if not i.is_dir())


def test_output_is_byte_identical_across_runs(tmp_path):
    src = make_source(tmp_path / "codepo_gb.zip")
    first, second = tmp_path / "a.zip", tmp_path / "b.zip"
    assert run(src, first, "--areas", "CM,SS").returncode == 0
    assert run(src, second, "--areas", "CM,SS").returncode == 0
    assert first.read_bytes() == second.read_bytes()


def test_missing_source_exits_2(tmp_path):
    result = run(tmp_path / "nope.zip", tmp_path / "out.zip")
    assert result.returncode == 2
    assert "not found" in result.stderr
    assert "Traceback" not in result.stderr
    assert not (tmp_path / "out.zip").exists()


def test_non_zip_source_exits_2(tmp_path):
    bogus = tmp_path / "codepo_gb.zip"
    bogus.write_text("this is not a zip\n")
    result = run(bogus, tmp_path / "out.zip")
    assert result.returncode == 2
    assert "not a zip" in result.stderr
    assert "Traceback" not in result.stderr
    assert not (tmp_path / "out.zip").exists()


def test_missing_area_exits_2(tmp_path):
    src = make_source(tmp_path / "codepo_gb.zip")
    result = run(src, tmp_path / "out.zip", "--areas", "CM,RM")
    assert result.returncode == 2
    assert "RM" in result.stderr
    assert "Traceback" not in result.stderr
    assert not (tmp_path / "out.zip").exists()
