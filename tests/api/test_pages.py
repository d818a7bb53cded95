"""The documentation page, and the finder other sites may frame (and only it)."""

import pytest
from django.urls import reverse

EMBED = reverse("open-data:embed-find")


def test_the_docs_page_documents_each_endpoint_the_licence_and_the_embed(client, area):
    response = client.get(reverse("open-data:docs"))
    assert response.status_code == 200
    text = response.content.decode()
    for path in ["essex/neighbourhoods", "locate-neighbourhood", "boundary.geojson", "?status=all"]:
        assert path in text
    assert "Open Government Licence v3.0" in text
    assert "Contains OS data © Crown copyright" in text
    assert f'&lt;iframe src="http://testserver{EMBED}"' in text
    assert reverse("api:openapi-json") in text


def test_the_embedded_finder_sets_no_cookies_and_shows_no_banner(client, db):
    response = client.get(EMBED)
    assert response.status_code == 200
    assert not response.cookies
    text = response.content.decode()
    assert "cookie" not in text.lower()
    assert "<script" not in text


def test_the_embedded_finder_opens_answers_in_the_top_window(client, db):
    text = client.get(EMBED).content.decode()
    assert f'action="{reverse("teams:find")}" target="_top"' in text
    assert 'target="_blank" rel="noopener"' in text


def test_only_the_embedded_finder_may_be_framed(client, db):
    embed = client.get(EMBED)
    assert "frame-ancestors *" in embed["Content-Security-Policy"]
    assert "X-Frame-Options" not in embed


@pytest.mark.parametrize(
    "name", ["home", "teams:find", "teams:list", "open-data:docs", "api:neighbourhoods"]
)
def test_every_other_page_refuses_to_be_framed(client, db, name):
    response = client.get(reverse(name))
    assert "frame-ancestors 'none'" in response["Content-Security-Policy"]
    assert response["X-Frame-Options"] == "DENY"
