"""Force administrators (a group, not superusers) build surveys and read every result."""

import pytest
from django.urls import reverse

from tests.factories import SurveyFactory, TeamEditorFactory, TeamFactory

pytestmark = pytest.mark.django_db


def test_a_force_administrator_has_surveys_and_a_link_to_results(client, force_administrator):
    survey = SurveyFactory(title="Feeling safe at night")
    home = client.get(reverse("admin:index")).content.decode()
    assert reverse("admin:surveys_survey_changelist") in home
    assert reverse("surveys:staff-list") in home

    assert client.get(reverse("admin:surveys_survey_add")).status_code == 200
    assert client.get(reverse("admin:surveys_question_add")).status_code == 200
    results = client.get(reverse("surveys:staff-results", kwargs={"slug": survey.slug}))
    assert results.status_code == 200
    assert "ask a force administrator" not in results.content.decode()


def test_a_team_editor_sees_no_surveys(client):
    user = TeamEditorFactory(username="editor", teams=[TeamFactory()])
    client.force_login(user)
    home = client.get(reverse("admin:index")).content.decode()
    assert reverse("surveys:staff-list") not in home
    assert client.get(reverse("admin:surveys_survey_add")).status_code == 403
