"""data.police.uk's documented example answers for the neighbourhood methods
(https://data.police.uk/docs/), shortened: the field names, nesting and types are what the
contract tests pin. `NULLABLE` lists the fields police.uk documents as sometimes null."""

FORCES = [{"id": "leicestershire", "name": "Leicestershire Police"}]

FORCE = {
    "description": "<p>Leicestershire Police is the police force for Leicestershire.</p>",
    "url": "http://www.leics.police.uk/",
    "engagement_methods": [
        {
            "url": "http://www.facebook.com/leicspolice",
            "type": "facebook",
            "description": "<p>Find us on Facebook.</p>",
            "title": "facebook",
        }
    ],
    "telephone": "101",
    "id": "leicestershire",
    "name": "Leicestershire Police",
}

PEOPLE = [
    {
        "bio": "<p>Simon Cole has been Chief Constable since 2010.</p>",
        "contact_details": {"twitter": "http://www.twitter.com/CCLeicsPolice"},
        "name": "Simon Cole",
        "rank": "Chief Constable",
    }
]

NEIGHBOURHOODS = [{"id": "NC04", "name": "City Centre"}]

NEIGHBOURHOOD = {
    "url_force": "http://www.leics.police.uk/local-policing/city-centre",
    "contact_details": {
        "twitter": "http://www.twitter.com/centralleicsNPA",
        "facebook": "http://www.facebook.com/leicspolice",
        "telephone": "101",
        "email": "centralleicester.npa@leicestershire.pnn.police.uk",
    },
    "name": "City Centre",
    "links": [{"url": "http://www.leicester.gov.uk/", "description": None, "title": "Council"}],
    "centre": {"latitude": "52.6389", "longitude": "-1.13619"},
    "locations": [
        {
            "name": "Mansfield House",
            "longitude": None,
            "postcode": "LE1 3GG",
            "address": "74 Belgrave Gate\n, Leicester",
            "latitude": None,
            "type": "station",
            "description": None,
        }
    ],
    "description": "<p>The Castle neighbourhood covers all of the City Centre.</p>",
    "id": "NC04",
    "population": "0",
    "welcome_message": None,
}

EVENTS = [
    {
        "contact_details": {},
        "description": None,
        "title": "Drop In Beat Surgery",
        "address": "Nagarjuna Buddhist Centre, 17 Guildhall Lane",
        "type": "meeting",
        "start_date": "2016-09-17T12:00:00",
        "end_date": "2016-09-17T14:00:00",
    }
]

PRIORITIES = [
    {
        "action": None,
        "issue-date": "2016-04-14T00:00:00",
        "action-date": None,
        "issue": "<p>To reduce Anti-Social Behaviour in Humberstone Gate.</p>",
    }
]

BOUNDARY = [{"latitude": "52.6394052587", "longitude": "-1.1458618876"}]

LOCATED = {"force": "leicestershire", "neighbourhood": "NC04"}

NULLABLE = {
    "description",
    "bio",
    "welcome_message",
    "latitude",
    "longitude",
    "action",
    "action-date",
}
