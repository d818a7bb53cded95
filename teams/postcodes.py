"""Reading OS Code-Point Open and loading it into Postcode, District and Ward.

One module shared by `manage.py import_postcodes`, the benchmark and anything else that loads
postcodes. The source is the zip exactly as Ordnance Survey ships it (or that zip unpacked):

    Data/CSV/<area>.csv   one file per postcode area, lowercase names (cm.csv, e.csv, ...),
                          no header row, CRLF line endings, text fields in double quotes:
        "CM0 7AA",10,595736,199744,"E92000001","E19000001","E18000006","E10000012","E07000074",
        "E05004202"       (one line in the file)

      column  name (Doc/Code-Point_Open_Column_Headers.csv)  kept as
      0  PC   Postcode                        Postcode.postcode ("CM0 7AA"), .outward, .sector
      1  PQ   Positional_quality_indicator    Postcode.quality (10 best ... 90 no position)
      2  EA   Eastings   (British National Grid, EPSG:27700, metres)   Postcode.easting
      3  NO   Northings  (British National Grid, EPSG:27700, metres)   Postcode.northing
      4  CY   Country_code                    not kept
      5  RH   NHS_regional_HA_code            not kept
      6  LH   NHS_HA_code                     not kept
      7  CC   Admin_county_code               not kept
      8  DC   Admin_district_code (ONS, E07/E06/E09/E08...)            Postcode.district
      9  WC   Admin_ward_code     (ONS, E05...)                        Postcode.ward
      Some rows (quality 60 and 90) have every code empty: they are kept with no district.

    Doc/Codelist.xlsx     the names behind the ONS codes, one sheet per kind of area, two
                          columns (name, code), no header row. Districts are on DIS, UTA, LBO
                          and MTD; wards on DIW, UTW, LBW, MTW (and county divisions on UTE).

An import replaces every postcode in one transaction: rows are checked once, here, then
written into a new table beside the current one (PostgreSQL by COPY, SQLite by inserts), one
area's file at a time, indexed, and swapped in at the very end (teams.postcode_table), so the
finder keeps answering from the old postcodes throughout. A damaged file, too many malformed
rows, or a file that would remove much of what is there is refused, and a failure or an
interrupt rolls everything back, leaving the previous data as it was. Only one area's file is
held at a time (a few MB), so memory stays flat however many areas there are. Each district is
given the police force that covers it (teams.forces), unless staff have chosen otherwise.
"""

from __future__ import annotations

import csv
import io
import operator
import re
import time
import zipfile
import zlib
from collections.abc import Callable, Iterator
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path

from django.db import connection, transaction

from .areas import postcodes_changed
from .finder import normalise_postcode
from .forces import ESSEX_POLICE, FORCE_WEBSITES, force_for_district
from .models import District, NeighbouringForce, Ward
from .postcode_table import DuplicatePostcode, NewPostcodeTable, use_wal

COLUMNS = 10
DISTRICT_SHEETS = ("DIS", "UTA", "LBO", "MTD")
WARD_SHEETS = ("DIW", "UTW", "LBW", "MTW", "UTE")
BATCH = 10_000
PROGRESS_EVERY = 100_000
MALFORMED_EXAMPLES = 10
# A file is refused when more rows than this are malformed (whichever is larger)...
MALFORMED_ALLOWED = 10
MALFORMED_SHARE = 0.001
# ... or when it would remove more than this share of the postcodes there are (unless forced).
MAX_REMOVED_SHARE = 0.05

CSV_MEMBER_RE = re.compile(r"^(?:.*/)?Data/CSV/(?P<area>[A-Za-z]{1,2})\.csv$", re.IGNORECASE)
CODELIST_RE = re.compile(r"^(?:.*/)?Doc/Codelist\.xlsx$", re.IGNORECASE)
# The form Code-Point Open prints postcodes in; anything else goes through normalise_postcode.
PRINTED_POSTCODE_RE = re.compile(r"[A-Z]{1,2}[0-9][A-Z0-9]? [0-9][A-Z]{2}")
ONS_CODE_RE = re.compile(r"[A-Z][0-9]{8}")
# Every row of a file exactly as OS prints them, the whole file in one call: (postcode, sector,
# outward, quality, easting, northing, district, ward), "" for no district or ward. A file where
# some line does not match is read line by line instead (the same rows, malformed ones counted).
# Each match is one whole line: no field can reach past its line's end.
FILE_ROWS_RE = re.compile(
    r'^"((([A-Z]{1,2}[0-9][A-Z0-9]?) [0-9])[A-Z]{2})",([0-9]{1,3}),'
    r"([0-7]?[0-9]{1,5}),"  # easting, under 800,000
    r"(1[0-3][0-9]{5}|[0-9]{1,6}),"  # northing, under 1,400,000
    r'"[^"\r\n]*","[^"\r\n]*","[^"\r\n]*","[^"\r\n]*",'
    r'"((?:[A-Z][0-9]{8})?)","((?:[A-Z][0-9]{8})?)"\r?(?:\n|\Z)',
    re.MULTILINE,
)

# Codelist names carry the kind of authority ("Basildon District (B)", "Barnet London Boro",
# "Witham North Ward"); residents know the place by the name alone.
NAME_SUFFIX_RE = re.compile(
    r"(?:\s+(?:District|London Boro|Ward|ED|\(B\)|\(DET\)))+$",
)
NAME_OVERRIDES = {"City and County of the City of London": "City of London"}


class CodePointError(Exception):
    """The file cannot be imported; nothing was changed."""


@dataclass
class ImportResult:
    rows: int = 0
    malformed: int = 0
    malformed_examples: list[str] = field(default_factory=list)
    districts: int = 0
    wards: int = 0
    unnamed_codes: int = 0
    unpoliced: list[str] = field(default_factory=list)  # district codes with no known force
    current: int = 0  # postcodes before the import
    removed: int = 0  # of which the file no longer has
    swap_seconds: float = 0.0
    areas: list[str] = field(default_factory=list)
    seconds: float = 0.0


def display_name(name: str) -> str:
    """'Basildon District (B)' -> 'Basildon', 'Barnet London Boro' -> 'Barnet'."""
    name = " ".join(str(name).split())
    if " - " in name:  # Welsh councils: "Sir Ynys Mon - Isle of Anglesey"
        name = name.split(" - ", 1)[1]
        name = name[:1].upper() + name[1:]
    if name in NAME_OVERRIDES:
        return NAME_OVERRIDES[name]
    return NAME_SUFFIX_RE.sub("", name) or name


def parse_areas(text: str | None) -> list[str] | None:
    """'cm, co' -> ['CM', 'CO']; None or empty means every area."""
    if not text:
        return None
    areas = []
    for part in text.split(","):
        area = part.strip().upper()
        if not area:
            continue
        if not re.fullmatch(r"[A-Z]{1,2}", area):
            raise CodePointError(
                f"{part.strip()!r} is not a postcode area (1 or 2 letters, like CM)"
            )
        if area not in areas:
            areas.append(area)
    return areas or None


class CodePointSource:
    """The OS zip, or the folder it unpacks to: its CSV members by area, and the code list."""

    def __init__(self, path: str | Path):
        self.path = Path(path)
        if not self.path.exists():
            raise CodePointError(f"{self.path} does not exist")
        self._zip: zipfile.ZipFile | None = None
        if self.path.is_dir():
            names = [p.relative_to(self.path).as_posix() for p in self.path.rglob("*")]
        elif zipfile.is_zipfile(self.path):
            try:
                self._zip = zipfile.ZipFile(self.path)
            except (zipfile.BadZipFile, OSError) as error:
                raise CodePointError(f"{self.path} is not a readable zip file: {error}") from None
            names = self._zip.namelist()
        else:
            raise CodePointError(
                f"{self.path} is not a zip file or a folder (expected Code-Point Open as OS "
                "ships it: codepo_gb.zip)"
            )
        self.members: dict[str, str] = {}
        self.codelist: str | None = None
        for name in sorted(names):
            if match := CSV_MEMBER_RE.match(name):
                self.members.setdefault(match["area"].upper(), name)
            elif CODELIST_RE.match(name):
                self.codelist = name
        if not self.members:
            raise CodePointError(
                f"{self.path} has no Data/CSV/<area>.csv files: is it Code-Point Open?"
            )
        if self.codelist is None:
            raise CodePointError(f"{self.path} has no Doc/Codelist.xlsx for the area names")

    def close(self):
        if self._zip is not None:
            self._zip.close()

    def open_binary(self, name: str):
        if self._zip is not None:
            return self._zip.open(name)
        return (self.path / name).open("rb")

    def select(self, areas: list[str] | None) -> list[str]:
        if areas is None:
            return sorted(self.members)
        missing = [area for area in areas if area not in self.members]
        if missing:
            raise CodePointError(
                f"{self.path} has no postcodes for area {', '.join(missing)} "
                f"(it has {', '.join(sorted(self.members))})"
            )
        return areas

    def names(self) -> tuple[dict[str, str], dict[str, str]]:
        """({district code: name}, {ward code: name}) from Doc/Codelist.xlsx, names cleaned."""
        from openpyxl import load_workbook

        try:
            with self.open_binary(self.codelist) as member:
                workbook = load_workbook(io.BytesIO(member.read()), read_only=True)
        except Exception as error:  # openpyxl raises many kinds for a broken workbook
            raise CodePointError(f"{self.codelist} cannot be read: {error}") from None
        try:
            return (
                _sheet_names(workbook, DISTRICT_SHEETS),
                _sheet_names(workbook, WARD_SHEETS),
            )
        finally:
            workbook.close()

    def text(self, area: str) -> str:
        """An area's whole file (a few MB at most: the largest, b.csv, is under 4 MB)."""
        name = self.members[area]
        try:
            with self.open_binary(name) as raw:
                return raw.read().decode("utf-8", errors="replace")
        except (zipfile.BadZipFile, zlib.error, EOFError, OSError) as error:
            # A damaged download: "Bad CRC-32 for file 'Data/CSV/cm.csv'", a cut-off member.
            detail = " ".join(str(error).split()) or type(error).__name__
            raise CodePointError(f"{self.path} is damaged ({name}: {detail})") from None


def _sheet_names(workbook, sheets: tuple[str, ...]) -> dict[str, str]:
    names = {}
    for sheet in sheets:
        if sheet not in workbook.sheetnames:
            continue
        for row in workbook[sheet].iter_rows(values_only=True):
            if len(row) >= 2 and row[0] and row[1]:
                names[str(row[1]).strip()] = display_name(row[0])
    return names


# (postcode, sector, outward, quality, easting, northing, district, ward) as text, "" for none:
# the order of teams.postcode_table.COLUMNS.
Row = tuple[str, str, str, str, str, str, str, str]
DISTRICT_WARD = operator.itemgetter(6, 7)


class _Reader:
    """Turns the CSV rows into Postcode rows, counting and remembering the malformed ones."""

    def __init__(self, source: CodePointSource, result: ImportResult, progress):
        self.source = source
        self.result = result
        self.progress = progress
        self.ward_district: dict[str, str | None] = {}
        self.districts: set[str] = set()

    def malformed(self, area: str, line: int, reason: str):
        self.result.malformed += 1
        if len(self.result.malformed_examples) < MALFORMED_EXAMPLES:
            name = self.source.members[area]
            self.result.malformed_examples.append(f"{name} line {line}: {reason}")

    def __iter__(self) -> Iterator[list[Row]]:
        """The rows of each area's file, one list per file, in file order."""
        result = self.result
        for area in result.areas:
            text = self.source.text(area)
            # Nearly every file is exactly as OS prints it: one regular expression checks and
            # splits all its rows in C, several times quicker than a Python step per row.
            rows = FILE_ROWS_RE.findall(text)
            if len(rows) != text.count("\n") + (not text.endswith("\n") and bool(text)):
                rows = list(self.checked_rows(area, text))
            # The file's districts and wards, and each ward's district (its first row's).
            for district, ward in dict.fromkeys(map(DISTRICT_WARD, rows)):
                if district:
                    self.districts.add(district)
                if ward and ward not in self.ward_district:
                    self.ward_district[ward] = district or None
            before, result.rows = result.rows, result.rows + len(rows)
            if self.progress:
                for done in range(before // PROGRESS_EVERY + 1, result.rows // PROGRESS_EVERY + 1):
                    self.progress(done * PROGRESS_EVERY)
            yield rows

    def checked_rows(self, area: str, text: str) -> Iterator[Row]:
        """A file with some unusual line, read line by line (line endings as the file has
        them, CR alone included)."""
        for line, line_text in enumerate(io.StringIO(text, newline=""), start=1):
            fields = self.checked(area, line, line_text)
            if fields is not None:
                postcode, quality, easting, northing, district, ward = fields
                yield (
                    postcode,
                    postcode[:-2],
                    postcode[:-4],
                    str(quality),
                    str(easting),
                    str(northing),
                    district or "",
                    ward or "",
                )

    def checked(self, area: str, line: int, text: str) -> tuple | None:
        """A row of a file the quick match did not take whole, checked field by field:
        (postcode, quality, easting, northing, district, ward), or None once it is counted as
        malformed."""
        try:
            fields = next(csv.reader([text]), [])
        except csv.Error as error:
            raise CodePointError(
                f"{self.source.members[area]} line {line} is not CSV: {error}"
            ) from None
        if len(fields) != COLUMNS:
            # Not a row gone wrong but a file that is not what it claims to be.
            raise CodePointError(
                f"{self.source.members[area]} line {line} has {len(fields)} columns, "
                f"not {COLUMNS}: is it Code-Point Open (CSV)?"
            )
        postcode, quality, easting, northing = fields[0], fields[1], fields[2], fields[3]
        district, ward = fields[8] or None, fields[9] or None
        if not PRINTED_POSTCODE_RE.fullmatch(postcode):
            postcode = normalise_postcode(postcode)
            if postcode is None:
                self.malformed(area, line, f"postcode {fields[0]!r}")
                return None
        try:
            quality, easting, northing = int(quality), int(easting), int(northing)
        except ValueError:
            self.malformed(area, line, "quality, easting or northing is not a number")
            return None
        if not (0 <= easting < 800_000 and 0 <= northing < 1_400_000 and quality >= 0):
            self.malformed(area, line, "position outside Great Britain")
            return None
        ons = ONS_CODE_RE.fullmatch
        if (district and not ons(district)) or (ward and not ons(ward)):
            self.malformed(area, line, "district or ward is not an ONS code")
            return None
        return postcode, quality, easting, northing, district, ward


def _save_names(reader: _Reader, district_names: dict[str, str], ward_names: dict[str, str]):
    """Create or rename the districts and wards the postcodes refer to; keep staff's choices
    of team and force."""
    unnamed = 0
    districts = []
    for code in sorted(reader.districts):
        name = district_names.get(code)
        unnamed += name is None
        districts.append(District(code=code, name=name or code))
    District.objects.bulk_create(
        districts, update_conflicts=True, unique_fields=["code"], update_fields=["name"]
    )
    wards = []
    for code, district in sorted(reader.ward_district.items()):
        name = ward_names.get(code)
        unnamed += name is None
        wards.append(Ward(code=code, name=name or code, district_id=district))
    Ward.objects.bulk_create(
        wards,
        update_conflicts=True,
        unique_fields=["code"],
        update_fields=["name", "district"],
        batch_size=BATCH // 2,
    )
    return len(districts), len(wards), unnamed


def import_codepoint(
    path: str | Path,
    *,
    areas: list[str] | None = None,
    force: bool = False,
    progress: Callable[[int], None] | None = None,
) -> ImportResult:
    """Replace every postcode with those in the Code-Point Open file at `path`.

    All or nothing: on any error (raised as CodePointError for a bad file) or interrupt the
    database keeps the postcodes, districts and wards it had before. The file is refused when
    too many of its rows are malformed, or (unless `force`) when it would remove more than
    MAX_REMOVED_SHARE of the current postcodes. The finder reads the old postcodes throughout
    (teams.postcode_table).
    """
    started = time.monotonic()
    source = CodePointSource(path)
    use_wal()
    try:
        result = ImportResult(areas=source.select(areas))
        reader = _Reader(source, result, progress)
        with (
            transaction.atomic(),
            connection.cursor() as cursor,
            ThreadPoolExecutor(1, thread_name_prefix="codelist") as codelist,
        ):
            table = NewPostcodeTable(cursor)
            # The code list takes a second or two of Python: read it while this process would
            # otherwise be waiting on the database. PostgreSQL builds the indexes after the
            # load; SQLite works in this process, letting other threads run while it writes.
            names = None if table.postgresql else codelist.submit(source.names)
            try:
                table.load(reader)
                names = names or codelist.submit(source.names)
                table.build_indexes()
            except DuplicatePostcode as error:
                raise CodePointError(f"a postcode appears twice: {error}") from None
            _check(source, result, *table.counts(), force=force)
            district_names, ward_names = names.result()
            result.districts, result.wards, result.unnamed_codes = _save_names(
                reader, district_names, ward_names
            )
            result.unpoliced = _give_forces(reader.districts)
            swapping = time.monotonic()
            table.swap()
        # From taking the current table's lock to the commit: the only time readers wait.
        result.swap_seconds = time.monotonic() - swapping
    finally:
        source.close()
    # New positions for "Use my location", then (as for any change) a new generation: pages and
    # finder answers kept in the cache name districts and wards.
    postcodes_changed()
    result.seconds = time.monotonic() - started
    return result


def _check(source, result: ImportResult, current: int, removed: int, *, force: bool):
    """Refuse a file that is mostly broken, or that would take away much of what is there."""
    if result.rows == 0:
        raise CodePointError(
            f"{source.path} has no usable postcode rows ({result.malformed} malformed)"
        )
    allowed = max(MALFORMED_ALLOWED, int(MALFORMED_SHARE * (result.rows + result.malformed)))
    if result.malformed > allowed:
        raise CodePointError(
            f"{source.path} has {result.malformed:,} malformed rows out of "
            f"{result.rows + result.malformed:,}, more than the {allowed:,} allowed "
            f"(first: {result.malformed_examples[0]})"
        )
    result.current, result.removed = current, removed
    if not force and current and removed > MAX_REMOVED_SHARE * current:
        raise CodePointError(
            f"{source.path} would remove {removed:,} of the {current:,} postcodes there are "
            f"now ({100 * removed / current:.0f}%, more than {100 * MAX_REMOVED_SHARE:.0f}%); "
            "add --force if that is what you want"
        )


def _give_forces(codes: set[str]) -> list[str]:
    """Name the police force of each district that has neither a team nor a force yet (staff's
    choices stay); returns the district codes the table in teams.forces does not know.

    Essex's own districts are left for staff to give a team."""
    forces = {}
    unpoliced = []
    for district in District.objects.filter(code__in=codes, team__isnull=True, force__isnull=True):
        name = force_for_district(district.code)
        if name is None:
            unpoliced.append(district.code)
            continue
        if name == ESSEX_POLICE:
            continue
        forces.setdefault(name, []).append(district.code)
    for name, district_codes in forces.items():
        force, _ = NeighbouringForce.objects.get_or_create(
            name=name, defaults={"website": FORCE_WEBSITES.get(name, "")}
        )
        District.objects.filter(code__in=district_codes).update(force=force)
    return sorted(unpoliced)
