#!/usr/bin/env python3
"""Cut a regional extract out of OS Code-Point Open, keeping the official layout.

Usage::

    python scripts/make_postcode_extract.py SOURCE.zip OUTPUT.zip [--areas CB,CM,...]

SOURCE.zip is Ordnance Survey Code-Point Open exactly as OS distributes it
(``codepo_gb.zip``). It holds:

* ``Data/CSV/<area>.csv`` -- one file per postcode area (file names are
  lowercase in the OS release, e.g. ``Data/CSV/cm.csv``), no header row,
  CRLF line endings, 10 columns, text fields in double quotes::

      "CM0 7AA",10,595736,199744,"E92000001","E19000001","E18000006",
      "E10000012","E07000074","E05004202"      (one line in the file)

  The columns (see ``Doc/Code-Point_Open_Column_Headers.csv``) are

  ==  ==============================  ===========================================
  PC  Postcode                        e.g. ``CM0 7AA`` (as printed, with a space)
  PQ  Positional_quality_indicator    10 = best (within the building), 90 = none
  EA  Eastings                        British National Grid (EPSG:27700), metres
  NO  Northings                       British National Grid (EPSG:27700), metres
  CY  Country_code                    ONS code, e.g. E92000001 = England
  RH  NHS_regional_HA_code            ONS code
  LH  NHS_HA_code                     ONS code
  CC  Admin_county_code               ONS code (empty outside two-tier counties)
  DC  Admin_district_code             ONS code of the district / unitary / borough
  WC  Admin_ward_code                 ONS code of the electoral ward
  ==  ==============================  ===========================================

  The names behind the ONS codes are in ``Doc/Codelist.xlsx`` (one sheet per
  area type: CTY, DIS, DIW, UTA, UTW, LBO, LBW, MTD, MTW, ...).

* ``Doc/`` -- licence, column headers, metadata (dataset version and row
  counts per area), ``Codelist.xlsx``, ``NHS_Codelist.xls`` and a readme.

The extract copies the chosen ``Data/CSV/<area>.csv`` members and every
``Doc/`` member byte-for-byte (same uncompressed content, same member paths,
including any top-level folder prefix and the directory entries), deflate
compressed, with a fixed timestamp, so that repeated runs over the same source
give a byte-identical zip. The default areas are the ones Essex Police's
districts fall in: CB, CM, CO, E, EN, IG, RM, SG, SS.

Licence: Code-Point Open is released under the Open Government Licence. Any
product that uses it must show this attribution:

    Contains OS data © Crown copyright and database right 2025.
    Contains Royal Mail data © Royal Mail copyright and database right 2025.
    Contains National Statistics data © Crown copyright and database right 2025.

Exit codes: 0 on success, 2 on bad input (missing source, not a zip, an area
or the licence file missing from the source, a corrupt member). Only the
standard library is used; members are streamed in chunks, never loaded whole.
"""

from __future__ import annotations

import argparse
import os
import re
import sys
import tempfile
import zipfile
import zlib
from pathlib import Path

DEFAULT_AREAS = ("CB", "CM", "CO", "E", "EN", "IG", "RM", "SG", "SS")

# Every member of the extract gets this timestamp, so that the output depends
# only on the source content (zip timestamps cannot go earlier than 1980).
FIXED_DATE_TIME = (1980, 1, 1, 0, 0, 0)
COMPRESS_LEVEL = 9
CHUNK = 1024 * 1024

# "<optional prefix/>Data/CSV/<area>.csv" and "<optional prefix/>Doc/<name>"
CSV_RE = re.compile(r"^(?P<prefix>(?:.*/)?)Data/CSV/(?P<area>[A-Za-z]{1,2})\.csv$", re.IGNORECASE)
DOC_RE = re.compile(r"^(?P<prefix>(?:.*/)?)Doc/(?P<name>[^/]+)$", re.IGNORECASE)


class ExtractError(Exception):
    """A problem with the input that is reported without a traceback."""


def parse_areas(text: str) -> list[str]:
    areas: list[str] = []
    for part in text.split(","):
        area = part.strip().upper()
        if not area:
            continue
        if not re.fullmatch(r"[A-Z]{1,2}", area):
            raise ExtractError(
                f"not a postcode area: {part.strip()!r} (expected 1-2 letters, e.g. CM)"
            )
        if area not in areas:
            areas.append(area)
    if not areas:
        raise ExtractError("no postcode areas given")
    return areas


def _out_info(src: zipfile.ZipInfo) -> zipfile.ZipInfo:
    """A ZipInfo for the output: same name and attributes, fixed time, deflate."""
    info = zipfile.ZipInfo(src.filename, date_time=FIXED_DATE_TIME)
    info.create_system = src.create_system
    info.external_attr = src.external_attr
    info.compress_type = zipfile.ZIP_STORED if src.is_dir() else zipfile.ZIP_DEFLATED
    info.file_size = src.file_size
    # ZipFile.open(info, "w") takes the level from the ZipInfo, not the ZipFile
    # (attribute is "_compresslevel" in 3.11/3.12, a property alias since 3.13).
    info._compresslevel = COMPRESS_LEVEL
    return info


def _select_members(
    zin: zipfile.ZipFile, areas: list[str]
) -> tuple[list[zipfile.ZipInfo], dict[str, str]]:
    """Return the members to copy (in source order) and {member name: area} for the CSVs."""
    infos = zin.infolist()
    csv_by_area: dict[str, zipfile.ZipInfo] = {}
    docs: list[zipfile.ZipInfo] = []
    for info in infos:
        if info.is_dir():
            continue
        m = CSV_RE.match(info.filename)
        if m:
            csv_by_area.setdefault(m.group("area").upper(), info)
            continue
        if DOC_RE.match(info.filename):
            docs.append(info)

    if not csv_by_area:
        raise ExtractError(
            "source has no Data/CSV/<area>.csv members; is it really Code-Point Open?"
        )
    missing = [a for a in areas if a not in csv_by_area]
    if missing:
        raise ExtractError(
            "source has no Data/CSV/<area>.csv for area(s) "
            + ", ".join(missing)
            + f" (it has {len(csv_by_area)} areas, e.g. "
            + ", ".join(sorted(csv_by_area)[:5])
            + ")"
        )
    if not any(Path(d.filename).name.lower() == "licence.txt" for d in docs):
        raise ExtractError(
            "source has no Doc/licence.txt; refusing to make an extract without the licence"
        )

    chosen_files = [csv_by_area[a] for a in areas] + docs
    wanted = {i.filename for i in chosen_files}
    # Directory entries that are parents of what we copy (e.g. "Data/", "Data/CSV/", "Doc/").
    parents = set()
    for name in wanted:
        parts = name.split("/")[:-1]
        for n in range(1, len(parts) + 1):
            parents.add("/".join(parts[:n]) + "/")
    selected = [i for i in infos if i.filename in wanted or (i.is_dir() and i.filename in parents)]
    area_of = {csv_by_area[a].filename: a for a in areas}
    return selected, area_of


def _copy_member(zin: zipfile.ZipFile, zout: zipfile.ZipFile, src: zipfile.ZipInfo) -> int:
    """Stream one member across; return the number of lines (rows) it holds."""
    info = _out_info(src)
    if src.is_dir():
        zout.writestr(info, b"")
        return 0
    lines = 0
    last = b""
    with zin.open(src) as fin, zout.open(info, "w") as fout:
        while True:
            chunk = fin.read(CHUNK)
            if not chunk:
                break
            lines += chunk.count(b"\n")
            last = chunk[-1:]
            fout.write(chunk)
    if last and last != b"\n":
        lines += 1  # last row without a trailing newline
    return lines


def make_extract(source: Path, output: Path, areas: list[str]) -> dict[str, int]:
    """Write the extract; return {area: rows copied} in the order asked for."""
    if not source.exists():
        raise ExtractError(f"source file not found: {source}")
    if not source.is_file():
        raise ExtractError(f"source is not a file: {source}")
    if output.exists() and source.resolve() == output.resolve():
        raise ExtractError("output must not be the source file")
    if not zipfile.is_zipfile(source):
        raise ExtractError(f"source is not a zip file: {source}")

    output.parent.mkdir(parents=True, exist_ok=True)
    rows: dict[str, int] = {}
    fd, tmp_name = tempfile.mkstemp(prefix=output.name + ".", suffix=".tmp", dir=output.parent)
    tmp = Path(tmp_name)
    try:
        with (
            os.fdopen(fd, "wb") as raw,
            zipfile.ZipFile(source) as zin,
            zipfile.ZipFile(
                raw, "w", compression=zipfile.ZIP_DEFLATED, compresslevel=COMPRESS_LEVEL
            ) as zout,
        ):
            selected, area_of = _select_members(zin, areas)
            for info in selected:
                n = _copy_member(zin, zout, info)
                if info.filename in area_of:
                    rows[area_of[info.filename]] = n
        os.chmod(tmp, 0o644)
        os.replace(tmp, output)
    except (zipfile.BadZipFile, zlib.error, EOFError) as exc:
        raise ExtractError(f"source zip is corrupt: {exc}") from None
    finally:
        if tmp.exists():
            tmp.unlink()
    return {a: rows[a] for a in areas}


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        description="Extract some postcode areas from OS Code-Point Open (codepo_gb.zip), "
        "keeping the official layout and the Doc/ files.",
    )
    parser.add_argument(
        "source", type=Path, help="Code-Point Open zip as shipped by OS (codepo_gb.zip)"
    )
    parser.add_argument("output", type=Path, help="zip to write, e.g. data/codepo_essex.zip")
    parser.add_argument(
        "--areas",
        default=",".join(DEFAULT_AREAS),
        help="comma-separated postcode areas (default: %(default)s)",
    )
    args = parser.parse_args(argv)

    try:
        areas = parse_areas(args.areas)
        rows = make_extract(args.source, args.output, areas)
    except (ExtractError, OSError) as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 2

    for area, n in rows.items():
        print(f"{area:>2}  {n:>9,} rows")
    print(
        f"total {sum(rows.values()):>9,} rows in {len(rows)} areas -> {args.output} "
        f"({args.output.stat().st_size:,} bytes)"
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
