"""Writes: creating meetings from schedules, cancelling them, staff permissions."""

import datetime
from collections.abc import Iterable

from dateutil.relativedelta import relativedelta
from django.contrib.auth.models import Group, Permission
from django.db import models, transaction
from django.utils import timezone

from portal.cache import content_changed
from teams.models import FORCE_ADMINISTRATORS, TEAM_EDITORS
from teams.services import team_touch

from .models import Meeting, MeetingSchedule

VENUE_FIELDS = (
    "venue_name",
    "address",
    "postcode",
    "step_free_access",
    "hearing_loop",
    "parking",
    "accessibility_notes",
    "online_link",
)


def meetings_generate(
    *,
    schedule: MeetingSchedule,
    months: int,
    now: datetime.datetime | None = None,
) -> list[Meeting]:
    """Create the schedule's meetings for the next `months` months, and return them.

    A date that already has a meeting is left alone, whatever its state: a meeting that was
    moved keeps the date it was made for (`occurrence`), and a cancelled one stays cancelled.
    """
    now = now or timezone.now()
    today = timezone.localdate(now)
    days = schedule.occurrences(today, today + relativedelta(months=months))
    candidates = []
    for day in days:
        start, end = schedule.start_and_end(day)
        if start <= now:
            continue
        fields = {name: getattr(schedule, name) for name in VENUE_FIELDS}
        candidates.append(
            Meeting(
                team_id=schedule.team_id,
                schedule=schedule,
                occurrence=day,
                title=schedule.title,
                start=start,
                end=end,
                agenda=schedule.agenda,
                **fields,
            )
        )
    if not candidates:
        return []
    taken_days = set(
        Meeting.objects.filter(schedule=schedule, occurrence__in=days).values_list(
            "occurrence", flat=True
        )
    )
    taken_starts = set(
        Meeting.objects.filter(
            team_id=schedule.team_id, start__in=[meeting.start for meeting in candidates]
        ).values_list("start", flat=True)
    )
    new = [
        meeting
        for meeting in candidates
        if meeting.occurrence not in taken_days and meeting.start not in taken_starts
    ]
    # The constraints catch a second run at the same moment; ignore_conflicts lets it pass.
    with transaction.atomic():
        Meeting.objects.bulk_create(new, ignore_conflicts=True)
        content_changed()  # bulk_create sends no signals; team pages list the next meetings
    return new


def meetings_generate_all(
    *,
    months: int,
    schedules: Iterable[MeetingSchedule] | None = None,
    now: datetime.datetime | None = None,
) -> dict[MeetingSchedule, list[Meeting]]:
    """Create meetings from every active schedule (or those given); what each one created."""
    if schedules is None:
        schedules = MeetingSchedule.objects.filter(active=True).select_related("team")
    return {
        schedule: meetings_generate(schedule=schedule, months=months, now=now)
        for schedule in schedules
        if schedule.active
    }


# The fields of a schedule that decide when its meetings fall.
PATTERN_FIELDS = ("week_of_month", "weekday", "start_time", "end_time", "starts_on", "ends_on")


class FutureMeetings(models.TextChoices):
    """What happens to meetings already made when a schedule's pattern changes."""

    REPLACE = "replace", "Replace them with meetings on the new pattern"
    CANCEL = (
        "cancel",
        "Cancel them (residents see each one as cancelled, with where the meetings are now) "
        "and add meetings on the new pattern",
    )
    KEEP = "keep", "Leave them as they are and add no meetings"


def schedule_untouched_meetings(
    *, schedule: MeetingSchedule, pattern: MeetingSchedule, now: datetime.datetime | None = None
) -> list[Meeting]:
    """The schedule's future meetings that `pattern` made and nobody has changed since.

    A meeting moved by hand, cancelled, or with notes or "You said, we did" is someone's work
    and is never counted.
    """
    now = now or timezone.now()
    meetings = (
        Meeting.objects.filter(
            schedule=schedule,
            start__gt=now,
            status=Meeting.Status.SCHEDULED,
            notes="",
            occurrence__isnull=False,
        )
        .exclude(outcomes__isnull=False)
        .order_by("start")
    )
    return [
        meeting
        for meeting in meetings
        if (meeting.start, meeting.end) == pattern.start_and_end(meeting.occurrence)
    ]


def schedule_off_pattern_meetings(
    *, schedule: MeetingSchedule, pattern: MeetingSchedule, now: datetime.datetime | None = None
) -> list[Meeting]:
    """Untouched meetings from the old `pattern` that the schedule as it is now would not make."""
    meetings = schedule_untouched_meetings(schedule=schedule, pattern=pattern, now=now)
    if not meetings:
        return []
    days = set(schedule.occurrences(meetings[0].occurrence, meetings[-1].occurrence))
    return [
        meeting
        for meeting in meetings
        if meeting.occurrence not in days
        or (meeting.start, meeting.end) != schedule.start_and_end(meeting.occurrence)
    ]


def schedule_change_meetings(
    *,
    schedule: MeetingSchedule,
    pattern: MeetingSchedule,
    future: str,
    months: int,
    now: datetime.datetime | None = None,
) -> tuple[list[Meeting], list[Meeting]]:
    """After `schedule` changed from `pattern`, cancel or remove its old meetings and make new.

    Returns (the old meetings cancelled or removed, the new meetings made), all in one step.
    """
    if future == FutureMeetings.KEEP:
        return [], []
    now = now or timezone.now()
    with transaction.atomic():
        old = schedule_off_pattern_meetings(schedule=schedule, pattern=pattern, now=now)
        if future == FutureMeetings.REPLACE:
            Meeting.objects.filter(pk__in=[meeting.pk for meeting in old]).delete()
        else:
            pattern_words = schedule.description[0].lower() + schedule.description[1:]
            reason = f"The meetings have moved: they are now on the {pattern_words}."
            for meeting in old:
                # The new pattern may fall on the same day; the cancelled meeting lets it.
                meeting.occurrence = None
                meeting_cancel(meeting=meeting, reason=reason)
        new = (
            meetings_generate(schedule=schedule, months=months, now=now) if schedule.active else []
        )
        team_touch(team_id=schedule.team_id)
    return old, new


def meeting_cancel(*, meeting: Meeting, reason: str) -> Meeting:
    """Cancel the meeting, telling residents why; calendars that subscribed will update."""
    meeting.status = Meeting.Status.CANCELLED
    meeting.status_reason = reason
    meeting.full_clean()
    meeting.save()
    return meeting


def meeting_permissions_grant() -> None:
    """Let team editors and force administrators keep meetings and schedules; which teams'
    is TeamScopedAdminMixin's business. Safe to run again."""
    permissions = Permission.objects.filter(content_type__app_label="meetings")
    for name in (TEAM_EDITORS, FORCE_ADMINISTRATORS):
        group, _ = Group.objects.get_or_create(name=name)
        group.permissions.add(*permissions)
