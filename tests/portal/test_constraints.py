"""One rule, one home: the database refuses bad data, and the admin explains it once.

Each rule below is a constraint in the database (see portal.constraints); the admin shows its
message beside the field and once in the summary at the top, and saves nothing.
"""

import datetime

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from meetings.models import Meeting, MeetingSchedule
from surveys.models import Survey
from teams.models import DutyPeriod, Officer, Priority
from tests.admin_pages import change_form_data, change_url, shown_errors
from tests.factories import DutyPeriodFactory, OfficerFactory, TeamFactory, UserFactory

pytestmark = pytest.mark.django_db

RANK = "Choose the officer's rank, such as Police Constable."
SAME_TIMES = (
    "The end time must be different from the start time. To cover a whole day, add two "
    "periods, such as 8am to 8pm and 8pm to 8am."
)
OVERLAP = (
    "The Friday hours (8am to 2am on Saturday) overlap the Saturday hours (1am to 9am). "
    "Change one of them so they do not overlap."
)
ENDS_AFTER_START = "The meeting must end after it starts."
VENUE = {"venue_name": "Village hall", "address": "1 High Street\nClacton", "postcode": "CO15 1AA"}


@pytest.fixture
def team():
    return TeamFactory(name="Tendring", slug="tendring")


@pytest.fixture
def staff(client):
    client.force_login(UserFactory(username="force-admin", is_superuser=True))
    return client


def refused(staff, address, changes):
    """Post the admin form at `address` with `changes`; the one message it shows."""
    data = {**change_form_data(staff.get(address)), **changes}
    response = staff.post(address, data)
    assert response.status_code == 200, "the form is shown again, not saved"
    beside_fields, summary = shown_errors(response)
    assert len(beside_fields) == 1, beside_fields
    assert len(summary) == 1, summary
    message = beside_fields[0]
    assert summary[0].endswith(message), summary
    return message


def add_url(model):
    return reverse(f"admin:{model._meta.app_label}_{model._meta.model_name}_add")


def test_an_officer_without_a_rank(staff, team):
    changes = {"team": team.pk, "name": "No Rank", "rank": ""}
    assert refused(staff, add_url(Officer), changes) == RANK
    assert not Officer.objects.exists()


def test_an_officer_without_a_rank_on_the_team_page(staff, team):
    changes = {
        "officers-TOTAL_FORMS": "1",
        "officers-0-name": "No Rank",
        "officers-0-rank": "",
        "officers-0-order": "0",
        "officers-0-active": "on",
    }
    assert refused(staff, change_url(team), changes) == RANK
    assert not Officer.objects.exists()


def test_duty_hours_that_end_when_they_start(staff, team):
    changes = {"team": team.pk, "weekday": "0", "start": "8am", "end": "8am"}
    assert refused(staff, add_url(DutyPeriod), changes) == SAME_TIMES
    assert not DutyPeriod.objects.exists()


def test_duty_hours_that_end_when_they_start_on_the_team_page(staff, team):
    changes = {
        "duty_periods-TOTAL_FORMS": "1",
        "duty_periods-0-weekday": "0",
        "duty_periods-0-start": "8am",
        "duty_periods-0-end": "8am",
    }
    assert refused(staff, change_url(team), changes) == SAME_TIMES
    assert not DutyPeriod.objects.exists()


def test_overlapping_duty_hours_on_the_team_page(staff, team):
    changes = {
        "duty_periods-TOTAL_FORMS": "2",
        "duty_periods-0-weekday": "4",
        "duty_periods-0-start": "8am",
        "duty_periods-0-end": "2am",
        "duty_periods-1-weekday": "5",
        "duty_periods-1-start": "1am",
        "duty_periods-1-end": "9am",
    }
    assert refused(staff, change_url(team), changes) == OVERLAP
    assert not DutyPeriod.objects.exists()


def test_overlapping_duty_hours_added_on_their_own(staff, team):
    DutyPeriodFactory(team=team, weekday=4, start=datetime.time(8), end=datetime.time(2))
    changes = {"team": team.pk, "weekday": "5", "start": "1am", "end": "9am"}
    message = refused(staff, add_url(DutyPeriod), changes)
    assert message == (
        "The Saturday hours (1am to 9am) overlap the Friday hours (8am to 2am on Saturday). "
        "Change one of them so they do not overlap."
    )
    assert DutyPeriod.objects.count() == 1


def test_swapping_two_days_in_one_save_is_allowed(staff, team):
    DutyPeriodFactory(team=team, weekday=0, start=datetime.time(8), end=datetime.time(16))
    DutyPeriodFactory(team=team, weekday=1, start=datetime.time(8), end=datetime.time(16))
    data = change_form_data(staff.get(change_url(team)))
    data["duty_periods-0-weekday"], data["duty_periods-1-weekday"] = "1", "0"
    response = staff.post(change_url(team), data)
    assert response.status_code == 302, shown_errors(response)


def test_a_priority_actioned_before_it_was_raised(staff, team):
    changes = {
        "team": team.pk,
        "title": "Speeding",
        "raised_on": "2026-05-01",
        "actioned_on": "2026-04-01",
        "reviewed_on": "2026-05-01",
    }
    assert refused(staff, add_url(Priority), changes) == (
        "The date actioned must be on or after the date raised."
    )
    assert not Priority.objects.exists()


def test_a_meeting_that_ends_before_it_starts(staff, team):
    changes = {
        **VENUE,
        "team": team.pk,
        "start_0": "2027-03-02",
        "start_1": "7pm",
        "end_0": "2027-03-02",
        "end_1": "6pm",
    }
    assert refused(staff, add_url(Meeting), changes) == ENDS_AFTER_START
    assert not Meeting.objects.exists()


def test_a_schedule_that_ends_before_it_starts(staff, team):
    changes = {**VENUE, "team": team.pk, "start_time": "7pm", "end_time": "6pm"}
    assert refused(staff, add_url(MeetingSchedule), changes) == ENDS_AFTER_START
    assert not MeetingSchedule.objects.exists()


def test_a_schedule_whose_last_date_is_before_its_first(staff, team):
    changes = {**VENUE, "team": team.pk, "starts_on": "2027-03-01", "ends_on": "2027-02-01"}
    assert refused(staff, add_url(MeetingSchedule), changes) == (
        "The last date must be on or after the first."
    )
    assert not MeetingSchedule.objects.exists()


def test_a_survey_that_closes_before_it_opens(staff):
    changes = {
        "title": "Feeling safe",
        "slug": "feeling-safe",
        "introduction": "About your area.",
        "privacy_notice": "Kept a year.",
        "opens_at_0": "2027-03-02",
        "opens_at_1": "9am",
        "closes_at_0": "2027-03-01",
        "closes_at_1": "9am",
    }
    assert refused(staff, add_url(Survey), changes) == (
        "The closing time must be after the opening time."
    )
    assert not Survey.objects.exists()


def test_model_validation_gives_the_constraints_message_on_its_field(team):
    officer = OfficerFactory.build(team=team, rank="")
    with pytest.raises(ValidationError) as error:
        officer.full_clean()
    assert error.value.message_dict == {"rank": [RANK]}


def test_changing_one_periods_hours_is_not_an_overlap_with_itself(staff, team):
    period = DutyPeriodFactory(team=team, weekday=4, start=datetime.time(8), end=datetime.time(2))
    data = {**change_form_data(staff.get(change_url(period))), "end": "3am"}
    response = staff.post(change_url(period), data)
    assert response.status_code == 302, shown_errors(response)
    period.refresh_from_db()
    assert period.end == datetime.time(3)
