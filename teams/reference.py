"""The force's reference data: the ten Community Policing Teams and the districts each covers,
the Community Safety Partnerships, and the forces next to Essex with their districts.

This is real data every deployment needs (`manage.py load_reference_data`, run by `first_run`),
not sample data. Loading it is safe to repeat: it creates what is missing and never undoes what
staff have changed in the admin since (a team's name or summary, a district given to another team
or force, a district's partnership). Ward names and district names come with the postcodes
(Code-Point Open); a ward policed by a team other than its district's is set in the admin.

Plain data, without Django, so that the benchmarks read the same teams and districts; the
loader is `teams.services.reference_data_load`.
"""

# (name, slug, [(district code, district name)])
TEAMS = [
    ("Basildon", "basildon", [("E07000066", "Basildon")]),
    ("Braintree", "braintree", [("E07000067", "Braintree")]),
    (
        "Castle Point & Rochford",
        "castle-point-rochford",
        [("E07000069", "Castle Point"), ("E07000075", "Rochford")],
    ),
    (
        "Chelmsford & Maldon",
        "chelmsford-maldon",
        [("E07000070", "Chelmsford"), ("E07000074", "Maldon")],
    ),
    ("Colchester", "colchester", [("E07000071", "Colchester")]),
    (
        "Epping Forest & Brentwood",
        "epping-forest-brentwood",
        [("E07000072", "Epping Forest"), ("E07000068", "Brentwood")],
    ),
    (
        "Harlow & Uttlesford",
        "harlow-uttlesford",
        [("E07000073", "Harlow"), ("E07000077", "Uttlesford")],
    ),
    ("Southend", "southend", [("E06000033", "Southend-on-Sea")]),
    ("Tendring", "tendring", [("E07000076", "Tendring")]),
    ("Thurrock", "thurrock", [("E06000034", "Thurrock")]),
]

LONDON_BOROUGHS = {
    "E09000002": "Barking and Dagenham", "E09000003": "Barnet", "E09000004": "Bexley",
    "E09000005": "Brent", "E09000006": "Bromley", "E09000007": "Camden",
    "E09000008": "Croydon", "E09000009": "Ealing", "E09000010": "Enfield",
    "E09000011": "Greenwich", "E09000012": "Hackney", "E09000013": "Hammersmith and Fulham",
    "E09000014": "Haringey", "E09000015": "Harrow", "E09000016": "Havering",
    "E09000017": "Hillingdon", "E09000018": "Hounslow", "E09000019": "Islington",
    "E09000020": "Kensington and Chelsea", "E09000021": "Kingston upon Thames",
    "E09000022": "Lambeth", "E09000023": "Lewisham", "E09000024": "Merton",
    "E09000025": "Newham", "E09000026": "Redbridge", "E09000027": "Richmond upon Thames",
    "E09000028": "Southwark", "E09000029": "Sutton", "E09000030": "Tower Hamlets",
    "E09000031": "Waltham Forest", "E09000032": "Wandsworth", "E09000033": "City of Westminster",
}  # fmt: skip

# (force, website, {district code: district name}): the councils next to Essex and beyond it
# that share its postcode areas.
FORCES = [
    ("Metropolitan Police Service", "https://www.met.police.uk/", LONDON_BOROUGHS),
    (
        "City of London Police",
        "https://www.cityoflondon.police.uk/",
        {"E09000001": "City of London"},
    ),
    (
        "Hertfordshire Constabulary",
        "https://www.herts.police.uk/",
        {
            "E07000095": "Broxbourne", "E07000096": "Dacorum", "E07000098": "Hertsmere",
            "E07000099": "North Hertfordshire", "E07000102": "Three Rivers",
            "E07000103": "Watford", "E07000240": "St Albans", "E07000241": "Welwyn Hatfield",
            "E07000242": "East Hertfordshire", "E07000243": "Stevenage",
        },
    ),
    (
        "Cambridgeshire Constabulary",
        "https://www.cambs.police.uk/",
        {
            "E07000008": "Cambridge", "E07000009": "East Cambridgeshire",
            "E07000010": "Fenland", "E07000011": "Huntingdonshire",
            "E07000012": "South Cambridgeshire", "E06000031": "Peterborough",
        },
    ),
    (
        "Suffolk Constabulary",
        "https://www.suffolk.police.uk/",
        {
            "E07000200": "Babergh", "E07000202": "Ipswich", "E07000203": "Mid Suffolk",
            "E07000244": "East Suffolk", "E07000245": "West Suffolk",
        },
    ),
    (
        "Bedfordshire Police",
        "https://www.beds.police.uk/",
        {"E06000055": "Bedford", "E06000056": "Central Bedfordshire", "E06000032": "Luton"},
    ),
    (
        "Norfolk Constabulary",
        "https://www.norfolk.police.uk/",
        {
            "E07000143": "Breckland", "E07000144": "Broadland", "E07000145": "Great Yarmouth",
            "E07000146": "King's Lynn and West Norfolk", "E07000147": "North Norfolk",
            "E07000148": "Norwich", "E07000149": "South Norfolk",
        },
    ),
]  # fmt: skip


# One partnership for each Essex district, by its ONS code.
PARTNERSHIPS = {
    "E07000066": "Basildon Community Safety Partnership",
    "E07000067": "Braintree District Community Safety Partnership",
    "E07000068": "Brentwood Community Safety Partnership",
    "E07000069": "Safer Castle Point Partnership",
    "E07000070": "Chelmsford Community Safety Partnership",
    "E07000071": "Safer Colchester Partnership",
    "E07000072": "Epping Forest Community Safety Partnership",
    "E07000073": "Harlow Community Safety Partnership",
    "E07000074": "Maldon District Community Safety Partnership",
    "E07000075": "Rochford Community Safety Partnership",
    "E07000076": "Tendring Community Safety Partnership",
    "E07000077": "Uttlesford Community Safety Partnership",
    "E06000033": "Southend Community Safety Partnership",
    "E06000034": "Thurrock Community Safety Partnership",
}

TEAM_SLUGS = [slug for _, slug, _ in TEAMS]
ESSEX_DISTRICT_CODES = [code for _, _, districts in TEAMS for code, _ in districts]
