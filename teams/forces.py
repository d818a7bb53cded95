"""Which police force covers each council area of Great Britain, and the forces beyond it.

Code-Point Open gives every postcode its council (the ONS district code: E06 unitary, E07
district, E08 metropolitan district, E09 London borough, W06 Welsh principal area, S12 Scottish
council area). Police force areas are made of whole council areas, so one table answers every
postcode. `tests/teams/test_forces.py` checks it against every district code in the shipped
Code-Point Open's Doc/Codelist.xlsx; a code Ordnance Survey adds later is reported by the import
(and answered with its council's name and police.uk until it is added here).

Postcodes Code-Point Open does not hold (Northern Ireland, the Channel Islands, the Isle of Man)
are answered by their postcode area: see `OTHER_AREAS`.
"""

from __future__ import annotations

ESSEX_POLICE = "Essex Police"

# Every force named below, and its website.
FORCE_WEBSITES = {
    "Avon and Somerset Constabulary": "https://www.avonandsomerset.police.uk/",
    "Bedfordshire Police": "https://www.beds.police.uk/",
    "Cambridgeshire Constabulary": "https://www.cambs.police.uk/",
    "Cheshire Constabulary": "https://www.cheshire.police.uk/",
    "City of London Police": "https://www.cityoflondon.police.uk/",
    "Cleveland Police": "https://www.cleveland.police.uk/",
    "Cumbria Constabulary": "https://www.cumbria.police.uk/",
    "Derbyshire Constabulary": "https://www.derbyshire.police.uk/",
    "Devon and Cornwall Police": "https://www.devon-cornwall.police.uk/",
    "Dorset Police": "https://www.dorset.police.uk/",
    "Durham Constabulary": "https://www.durham.police.uk/",
    "Dyfed-Powys Police": "https://www.dyfed-powys.police.uk/",
    ESSEX_POLICE: "https://www.essex.police.uk/",
    "Gloucestershire Constabulary": "https://www.gloucestershire.police.uk/",
    "Greater Manchester Police": "https://www.gmp.police.uk/",
    "Gwent Police": "https://www.gwent.police.uk/",
    "Hampshire and Isle of Wight Constabulary": "https://www.hampshire.police.uk/",
    "Hertfordshire Constabulary": "https://www.herts.police.uk/",
    "Humberside Police": "https://www.humberside.police.uk/",
    "Kent Police": "https://www.kent.police.uk/",
    "Lancashire Constabulary": "https://www.lancashire.police.uk/",
    "Leicestershire Police": "https://www.leics.police.uk/",
    "Lincolnshire Police": "https://www.lincs.police.uk/",
    "Merseyside Police": "https://www.merseyside.police.uk/",
    "Metropolitan Police Service": "https://www.met.police.uk/",
    "Norfolk Constabulary": "https://www.norfolk.police.uk/",
    "North Wales Police": "https://www.northwales.police.uk/",
    "North Yorkshire Police": "https://www.northyorkshire.police.uk/",
    "Northamptonshire Police": "https://www.northants.police.uk/",
    "Northumbria Police": "https://www.northumbria.police.uk/",
    "Nottinghamshire Police": "https://www.nottinghamshire.police.uk/",
    "Police Scotland": "https://www.scotland.police.uk/",
    "South Wales Police": "https://www.south-wales.police.uk/",
    "South Yorkshire Police": "https://www.southyorks.police.uk/",
    "Staffordshire Police": "https://www.staffordshire.police.uk/",
    "Suffolk Constabulary": "https://www.suffolk.police.uk/",
    "Surrey Police": "https://www.surrey.police.uk/",
    "Sussex Police": "https://www.sussex.police.uk/",
    "Thames Valley Police": "https://www.thamesvalley.police.uk/",
    "Warwickshire Police": "https://www.warwickshire.police.uk/",
    "West Mercia Police": "https://www.westmercia.police.uk/",
    "West Midlands Police": "https://www.west-midlands.police.uk/",
    "West Yorkshire Police": "https://www.westyorkshire.police.uk/",
    "Wiltshire Police": "https://www.wiltshire.police.uk/",
    # Beyond Code-Point Open.
    "Police Service of Northern Ireland": "https://www.psni.police.uk/",
    "Guernsey Police": "https://www.guernsey.police.uk/",
    "States of Jersey Police": "https://www.jersey.police.uk/",
    "Isle of Man Constabulary": "https://www.iompolice.im/",
}


def _codes(prefix: str, *numbers: int | range) -> list[str]:
    """_codes("E07", range(8, 13), 240) -> ["E07000008", ..., "E07000012", "E07000240"]."""
    codes = []
    for number in numbers:
        for n in [number] if isinstance(number, int) else number:
            codes.append(f"{prefix}{n:06d}")
    return codes


# force: the ONS district codes of the council areas it covers (Codelist.xlsx sheets DIS, UTA,
# LBO and MTD; shire districts grouped by their county).
_AREAS: dict[str, list[str]] = {
    "Avon and Somerset Constabulary": _codes("E06", range(22, 26), 66),
    "Bedfordshire Police": _codes("E06", 32, 55, 56),
    "Cambridgeshire Constabulary": _codes("E07", range(8, 13)) + _codes("E06", 31),
    "Cheshire Constabulary": _codes("E06", 6, 7, 49, 50),
    "City of London Police": _codes("E09", 1),
    "Cleveland Police": _codes("E06", range(1, 5)),
    "Cumbria Constabulary": _codes("E06", 63, 64),
    "Derbyshire Constabulary": _codes("E07", range(32, 40)) + _codes("E06", 15),
    "Devon and Cornwall Police": _codes("E07", range(40, 48)) + _codes("E06", 26, 27, 52, 53),
    "Dorset Police": _codes("E06", 58, 59),
    "Durham Constabulary": _codes("E06", 5, 47),
    "Dyfed-Powys Police": _codes("W06", 8, 9, 10, 23),
    ESSEX_POLICE: _codes("E07", range(66, 78)) + _codes("E06", 33, 34),
    "Gloucestershire Constabulary": _codes("E07", range(78, 84)),
    "Greater Manchester Police": _codes("E08", range(1, 11)),
    "Gwent Police": _codes("W06", range(18, 23)),
    "Hampshire and Isle of Wight Constabulary": (
        _codes("E07", range(84, 95)) + _codes("E06", 44, 45, 46)
    ),
    "Hertfordshire Constabulary": _codes("E07", 95, 96, 98, 99, 102, 103, range(240, 244)),
    "Humberside Police": _codes("E06", range(10, 14)),
    "Kent Police": _codes("E07", range(105, 117)) + _codes("E06", 35),
    "Lancashire Constabulary": _codes("E07", range(117, 129)) + _codes("E06", 8, 9),
    "Leicestershire Police": _codes("E07", range(129, 136)) + _codes("E06", 16, 17),
    "Lincolnshire Police": _codes("E07", range(136, 143)),
    "Merseyside Police": _codes("E08", range(11, 16)),
    "Metropolitan Police Service": _codes("E09", range(2, 34)),
    "Norfolk Constabulary": _codes("E07", range(143, 150)),
    "North Wales Police": _codes("W06", range(1, 7)),
    "North Yorkshire Police": _codes("E06", 14, 65),
    "Northamptonshire Police": _codes("E06", 61, 62),
    "Northumbria Police": _codes("E08", range(21, 25), 37) + _codes("E06", 57),
    "Nottinghamshire Police": _codes("E07", range(170, 177)) + _codes("E06", 18),
    "South Wales Police": _codes("W06", range(11, 17), 24),
    "South Yorkshire Police": _codes("E08", range(16, 20)),
    "Staffordshire Police": _codes("E07", range(192, 200)) + _codes("E06", 21),
    "Suffolk Constabulary": _codes("E07", 200, 202, 203, 244, 245),
    "Surrey Police": _codes("E07", range(207, 218)),
    "Sussex Police": _codes("E07", range(61, 66), range(223, 230)) + _codes("E06", 43),
    "Thames Valley Police": (_codes("E07", range(177, 182)) + _codes("E06", range(36, 43), 60)),
    "Warwickshire Police": _codes("E07", range(218, 223)),
    "West Mercia Police": _codes("E07", range(234, 240)) + _codes("E06", 19, 20, 51),
    "West Midlands Police": _codes("E08", range(25, 32)),
    "West Yorkshire Police": _codes("E08", range(32, 37)),
    "Wiltshire Police": _codes("E06", 30, 54),
}

DISTRICT_FORCES: dict[str, str] = {code: force for force, codes in _AREAS.items() for code in codes}


def force_for_district(code: str | None) -> str | None:
    """The name of the force that polices the council area with this ONS code."""
    if not code:
        return None
    if code.startswith("S12"):  # every Scottish council area
        return "Police Scotland"
    return DISTRICT_FORCES.get(code)


# Postcode areas outside Code-Point Open: (outward-code pattern, heading, force or None).
# BFPO numbers are written "BFPO 1234"; their postcode form is BF1 xxx.
OTHER_AREAS: list[tuple[str, str, str | None]] = [
    ("BT", "Northern Ireland", "Police Service of Northern Ireland"),
    ("GY", "Guernsey", "Guernsey Police"),
    ("JE", "Jersey", "States of Jersey Police"),
    ("IM", "the Isle of Man", "Isle of Man Constabulary"),
    ("BF", "British Forces Post Office", None),
]


def other_area(outward: str) -> tuple[str, str | None] | None:
    """(where, force) for an outward code in an area Code-Point Open does not cover."""
    letters = outward[:2] if outward[1:2].isalpha() else outward[:1]
    for area, where, force in OTHER_AREAS:
        if letters == area:
            return where, force
    return None
