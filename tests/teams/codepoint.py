"""Small Code-Point Open files, in the layout Ordnance Survey ships, for the import tests."""

import io
import zipfile
from pathlib import Path

from openpyxl import Workbook

CODELIST = {
    "DIS": [
        ("Chelmsford District (B)", "E07000070"),
        ("Maldon District (B)", "E07000074"),
        ("Cambridge District (B)", "E07000008"),
    ],
    "UTA": [("Southend-on-Sea (B)", "E06000033")],
    "LBO": [("Barnet London Boro", "E09000003")],
    "DIW": [
        ("Moulsham Lodge Ward", "E05004106"),
        ("Maldon North Ward", "E05004214"),
        ("Market Ward", "E05013054"),
    ],
    "UTW": [("Milton Ward", "E05002224")],
    "LBW": [("High Barnet Ward", "E05013633")],
}


def row(postcode, district, ward, quality=10, easting=570000, northing=206000):
    return (
        f'"{postcode}",{quality},{easting},{northing},"E92000001","E19000001","E18000006",'
        f'"","{district}","{ward}"\r\n'
    )


CM = (
    row("CM2 9AA", "E07000070", "E05004106", easting=570500, northing=205500)
    + row("CM2 9AB", "E07000070", "E05004106", easting=570600, northing=205600)
    + row("CM9 5AA", "E07000074", "E05004214", easting=585000, northing=207000)
    + row("CM0 9ZZ", "", "", quality=90, easting=0, northing=0)
)
SS = row("SS1 1AA", "E06000033", "E05002224", easting=588000, northing=185000)
CB = row("CB2 1TN", "E07000008", "E05013054", easting=545000, northing=258000)


def codelist_bytes(sheets=CODELIST) -> bytes:
    workbook = Workbook()
    workbook.remove(workbook.active)
    for name, rows in sheets.items():
        sheet = workbook.create_sheet(name)
        for values in rows:
            sheet.append(values)
    data = io.BytesIO()
    workbook.save(data)
    return data.getvalue()


def make_zip(path: Path, areas: dict[str, str] | None = None, codelist: bytes | None = None):
    """A zip like codepo_gb.zip with the given {area: CSV text}."""
    areas = {"cm": CM, "ss": SS, "cb": CB} if areas is None else areas
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as archive:
        for area, text in areas.items():
            archive.writestr(f"Data/CSV/{area}.csv", text)
        archive.writestr("Doc/Codelist.xlsx", codelist or codelist_bytes())
        archive.writestr("Doc/licence.txt", "Open Government Licence")
    return path
