"""Each endpoint answers in data.police.uk's documented shape: the same field names, nesting and
types, so that existing clients work unchanged with this base address. The only extra fields are
the ones the documentation page lists as additions."""

import pytest
from django.urls import reverse

from . import police_uk_examples as examples

# Police.uk's contact_details keys (https://data.police.uk/docs/method/neighbourhood/).
CONTACT_KEYS = {
    "email",
    "telephone",
    "mobile",
    "fax",
    "web",
    "address",
    "facebook",
    "twitter",
    "youtube",
    "myspace",
    "bebo",
    "flickr",
    "google-plus",
    "forum",
    "e-messaging",
    "blog",
    "rss",
}


def assert_shape(ours, example, *, additions=frozenset(), where="answer"):
    """`ours` has every field of `example`, of the same type (or null where police.uk allows),
    and no other fields than `additions`."""
    if isinstance(example, dict):
        assert isinstance(ours, dict), f"{where} is {type(ours).__name__}, not an object"
        missing = set(example) - set(ours)
        assert not missing, f"{where} lacks {sorted(missing)}"
        extra = set(ours) - set(example) - set(additions)
        assert not extra, f"{where} has fields police.uk does not: {sorted(extra)}"
        for key, value in example.items():
            if key == "contact_details":
                assert isinstance(ours[key], dict)
                assert set(ours[key]) <= CONTACT_KEYS, f"{where}.{key}: {sorted(ours[key])}"
                assert all(isinstance(v, str) and v for v in ours[key].values())
            elif value is None or key in examples.NULLABLE:
                assert ours[key] is None or isinstance(ours[key], str), f"{where}.{key}"
            else:
                assert_shape(ours[key], value, where=f"{where}.{key}")
    elif isinstance(example, list):
        assert isinstance(ours, list), f"{where} is {type(ours).__name__}, not a list"
        assert ours, f"{where} is empty: the test data should give at least one"
        for index, item in enumerate(ours):
            assert_shape(item, example[0], additions=additions, where=f"{where}[{index}]")
    else:
        assert type(ours) is type(example), f"{where} is {ours!r}, police.uk sends {example!r}"


CASES = [
    ("api:forces", {}, "", examples.FORCES, ()),
    ("api:force", {}, "", examples.FORCE, ()),
    ("api:force-people", {}, "", examples.PEOPLE, ()),
    ("api:neighbourhoods", {}, "", examples.NEIGHBOURHOODS, ()),
    ("api:neighbourhood", {"slug": "chelmsford-maldon"}, "", examples.NEIGHBOURHOOD, ()),
    ("api:people", {"slug": "chelmsford-maldon"}, "", examples.PEOPLE, ()),
    (
        "api:events",
        {"slug": "chelmsford-maldon"},
        "",
        examples.EVENTS,
        ("status", "status_reason", "url", "calendar"),
    ),
    (
        "api:priorities",
        {"slug": "chelmsford-maldon"},
        "",
        examples.PRIORITIES,
        ("status", "outcome", "outcome-date"),
    ),
    ("api:boundary", {"slug": "chelmsford-maldon"}, "", examples.BOUNDARY, ()),
    ("api:locate-neighbourhood", {}, "?q=51.7356,0.4685", examples.LOCATED, ()),
]


@pytest.mark.parametrize(
    ("name", "kwargs", "query", "example", "additions"), CASES, ids=[c[0] for c in CASES]
)
def test_each_endpoint_answers_in_police_uk_shape(
    client, area, name, kwargs, query, example, additions
):
    response = client.get(reverse(name, kwargs=kwargs) + query)
    assert response.status_code == 200, response.content
    assert response["Content-Type"].startswith("application/json")
    assert_shape(response.json(), example, additions=additions)


def test_the_shape_check_notices_a_renamed_or_retyped_field():
    """The contract tests above can fail."""
    ours = [{**examples.PRIORITIES[0], "issue_date": "2016-04-14T00:00:00"}]
    del ours[0]["issue-date"]
    with pytest.raises(AssertionError, match="lacks"):
        assert_shape(ours, examples.PRIORITIES)
    with pytest.raises(AssertionError, match="police.uk sends"):
        assert_shape([{"id": 4, "name": "City Centre"}], examples.NEIGHBOURHOODS)
    with pytest.raises(AssertionError, match="latitude"):
        assert_shape([{"latitude": 52.6, "longitude": "-1.1"}], examples.BOUNDARY)
    with pytest.raises(AssertionError, match="does not"):
        assert_shape([{**examples.NEIGHBOURHOODS[0], "extra": 1}], examples.NEIGHBOURHOODS)
