import io

import pytest
from django.core.management import call_command
from django.db.models.functions import TruncQuarter

from surveys.models import Response, Survey
from tests.factories import TeamFactory

pytestmark = pytest.mark.django_db

SLUGS = ["basildon", "braintree", "colchester", "southend"]


def test_demo_surveys_spread_over_eight_quarters_and_every_team():
    for slug in SLUGS:
        TeamFactory(slug=slug, name=slug.title())
    call_command("load_demo_surveys", "--responses", "400", stdout=io.StringIO())
    assert set(Survey.objects.open().values_list("title", flat=True)) == {
        "Public Confidence Survey",
        "Contact and Victim Satisfaction Survey",
    }
    responses = Response.objects.filter(survey__slug="public-confidence")
    assert responses.count() == 400
    assert not responses.filter(is_demo=False).exists()
    quarters = responses.annotate(q=TruncQuarter("submitted_on")).values("q").distinct()
    assert quarters.count() == 8
    assert set(responses.values_list("team__slug", flat=True)) >= set(SLUGS)


def test_demo_surveys_can_be_loaded_twice():
    call_command("load_demo_surveys", "--responses", "50", stdout=io.StringIO())
    out = io.StringIO()
    call_command("load_demo_surveys", "--responses", "50", stdout=out)
    assert Survey.objects.count() == 2
    assert Response.objects.count() == 75
    assert "No teams found" in out.getvalue()
