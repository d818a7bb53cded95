"""Local Community Meetings: each team's regular schedule and the meetings it holds."""

import datetime
import uuid

from dateutil.relativedelta import relativedelta
from dateutil.rrule import MONTHLY, rrule, weekday
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone

from portal.clock import LONDON, Weekday, long_date, time_range
from portal.constraints import FieldCheckConstraint
from teams.finder import normalise_postcode
from teams.models import Team

DEFAULT_TITLE = "Local Community Meeting"
ENDS_AFTER_START = "The meeting must end after it starts."


class WeekOfMonth(models.IntegerChoices):
    FIRST = 1, "First"
    SECOND = 2, "Second"
    THIRD = 3, "Third"
    FOURTH = 4, "Fourth"
    LAST = -1, "Last"


class Venue(models.Model):
    """Where a meeting is held and how accessible it is; a schedule's usual venue is copied to
    each meeting it creates, so that one meeting can move without changing the rest."""

    venue_name = models.CharField("venue", max_length=150)
    address = models.TextField(help_text="One line per line of the address, without the postcode.")
    postcode = models.CharField(max_length=8)
    step_free_access = models.BooleanField(
        null=True, blank=True, help_text="Leave unknown if nobody has checked."
    )
    hearing_loop = models.BooleanField(null=True, blank=True)
    parking = models.CharField(
        max_length=200, blank=True, help_text="For example “Free car park behind the hall”."
    )
    accessibility_notes = models.TextField("other accessibility information", blank=True)
    online_link = models.URLField(
        "online joining link", blank=True, help_text="For meetings residents can also join online."
    )

    class Meta:
        abstract = True

    def save(self, *args, **kwargs):
        # However the venue was written (admin, loaders, services), residents, the meeting's
        # page and calendar files see the postcode written the one way: "CM1 7AE".
        self.postcode = normalise_postcode(self.postcode) or self.postcode
        super().save(*args, **kwargs)

    def clean_fields(self, exclude=None):
        errors = {}
        try:
            super().clean_fields(exclude)
        except ValidationError as error:
            errors = error.update_error_dict(errors)
        if self.postcode and "postcode" not in errors and not (exclude and "postcode" in exclude):
            postcode = normalise_postcode(self.postcode)
            if postcode is None:
                errors["postcode"] = ["Enter a full UK postcode, like CM1 7AE."]
            else:
                self.postcode = postcode
        if errors:
            raise ValidationError(errors)

    @property
    def address_lines(self) -> list[str]:
        return [line.strip() for line in self.address.splitlines() if line.strip()]

    @property
    def location(self) -> str:
        """The venue on one line, for calendars and feeds."""
        return ", ".join([self.venue_name, *self.address_lines, self.postcode])


class MeetingScheduleQuerySet(models.QuerySet):
    def active(self):
        return self.filter(active=True)

    def next_expected(self, now: datetime.datetime | None = None) -> datetime.datetime | None:
        """When the next meeting is expected from these schedules, for when none is published."""
        now = now or timezone.now()
        starts = [schedule.next_start(now) for schedule in self.active()]
        return min((start for start in starts if start), default=None)


class MeetingSchedule(Venue):
    """A team's regular meeting, such as "first Tuesday of each month, 7pm to 8:30pm"."""

    team = models.ForeignKey(Team, on_delete=models.CASCADE, related_name="meeting_schedules")
    title = models.CharField(max_length=150, default=DEFAULT_TITLE)
    week_of_month = models.SmallIntegerField(choices=WeekOfMonth.choices, default=WeekOfMonth.FIRST)
    weekday = models.PositiveSmallIntegerField(choices=Weekday.choices, default=Weekday.TUESDAY)
    start_time = models.TimeField(default=datetime.time(19))
    end_time = models.TimeField(default=datetime.time(20, 30))
    agenda = models.TextField(
        "usual agenda", blank=True, help_text="Copied to each new meeting. Plain text or Markdown."
    )
    starts_on = models.DateField(
        null=True, blank=True, help_text="No meetings are created before this date."
    )
    ends_on = models.DateField(
        null=True, blank=True, help_text="No meetings are created after this date."
    )
    active = models.BooleanField(
        default=True, help_text="Only active schedules create new meetings."
    )

    objects = MeetingScheduleQuerySet.as_manager()

    class Meta:
        ordering = ["week_of_month", "weekday", "id"]  # within a team; the admin lists by team
        constraints = [
            FieldCheckConstraint(
                field="end_time",
                condition=Q(end_time__gt=models.F("start_time")),
                name="meeting_schedule_ends_after_start",
                violation_error_message=ENDS_AFTER_START,
            ),
            FieldCheckConstraint(
                field="ends_on",
                condition=Q(ends_on__isnull=True)
                | Q(starts_on__isnull=True)
                | Q(ends_on__gte=models.F("starts_on")),
                name="meeting_schedule_last_date_after_first",
                violation_error_message="The last date must be on or after the first.",
            ),
            models.CheckConstraint(
                condition=Q(weekday__lte=6), name="meeting_schedule_weekday_valid"
            ),
            models.CheckConstraint(
                condition=Q(week_of_month__in=WeekOfMonth.values),
                name="meeting_schedule_week_of_month_valid",
            ),
        ]

    def __str__(self):
        return f"{self.team}: {self.description}"

    @property
    def description(self) -> str:
        """The schedule in words: "First Tuesday of each month, 7pm to 8:30pm"."""
        return (
            f"{self.get_week_of_month_display()} {self.get_weekday_display()} of each month, "
            f"{time_range(self.start_time, self.end_time)}"
        )

    def occurrences(self, first: datetime.date, last: datetime.date) -> list[datetime.date]:
        """The dates of this schedule's meetings from `first` to `last`, both included."""
        if self.starts_on:
            first = max(first, self.starts_on)
        if self.ends_on:
            last = min(last, self.ends_on)
        if last < first:
            return []
        rule = rrule(
            MONTHLY,
            byweekday=weekday(self.weekday)(self.week_of_month),
            dtstart=datetime.datetime.combine(first, datetime.time()),
            until=datetime.datetime.combine(last, datetime.time()),
        )
        return [moment.date() for moment in rule]

    def next_start(self, now: datetime.datetime) -> datetime.datetime | None:
        """When this schedule's next meeting would start, within the coming year."""
        today = timezone.localdate(now)
        for day in self.occurrences(today, today + relativedelta(years=1)):
            start, _ = self.start_and_end(day)
            if start > now:
                return start
        return None

    def start_and_end(self, day: datetime.date) -> tuple[datetime.datetime, datetime.datetime]:
        """The meeting's times on `day`, on the local wall clock: 7pm stays 7pm in summer."""
        return (
            datetime.datetime.combine(day, self.start_time, tzinfo=LONDON),
            datetime.datetime.combine(day, self.end_time, tzinfo=LONDON),
        )


class MeetingQuerySet(models.QuerySet):
    def upcoming(self, now: datetime.datetime | None = None):
        """Meetings that haven't ended, soonest first; cancelled ones included, so residents
        see that they are off."""
        return self.filter(end__gt=now or timezone.now()).order_by("start", "team__name")

    def past(self, now: datetime.datetime | None = None):
        """Meetings that have ended, most recent first."""
        return self.filter(end__lte=now or timezone.now()).order_by("-start", "team__name")

    def for_team(self, team: Team):
        return self.filter(team=team)

    def next_for_team(self, team: Team, limit: int = 2) -> list["Meeting"]:
        """The team's next meetings, for its own page."""
        return list(self.for_team(team).upcoming().select_related("team")[:limit])


class Meeting(Venue):
    """One Local Community Meeting, where residents raise crime-related concerns."""

    class Status(models.TextChoices):
        SCHEDULED = "scheduled", "Scheduled"
        CANCELLED = "cancelled", "Cancelled"
        MOVED = "moved", "Moved"

    # A change to any of these is one that calendars which subscribed must pick up.
    SIGNIFICANT_FIELDS = (
        "title",
        "start",
        "end",
        "venue_name",
        "address",
        "postcode",
        "online_link",
        "status",
        "status_reason",
    )

    team = models.ForeignKey(Team, on_delete=models.CASCADE, related_name="meetings")
    schedule = models.ForeignKey(
        MeetingSchedule,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="meetings",
        help_text="The regular schedule this meeting was created from, if any.",
    )
    occurrence = models.DateField(
        null=True,
        blank=True,
        editable=False,
        help_text="The schedule's date for this meeting, kept when the meeting moves so that "
        "creating meetings again doesn't add it back.",
    )
    title = models.CharField(max_length=150, default=DEFAULT_TITLE)
    start = models.DateTimeField()
    end = models.DateTimeField()
    agenda = models.TextField(blank=True, help_text="Plain text or Markdown.")
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.SCHEDULED)
    status_reason = models.TextField(
        "reason",
        blank=True,
        help_text="Shown to residents at the top of the page when the meeting is cancelled or "
        "moved: say why, and where to go instead.",
    )
    notes = models.TextField(
        blank=True,
        help_text="What was discussed, published after the meeting. Plain text or Markdown.",
    )
    notes_published = models.BooleanField(
        default=False, help_text="Show the notes and “You said, we did” to residents."
    )
    uid = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    sequence = models.PositiveIntegerField(
        default=0,
        editable=False,
        help_text="Goes up each time the time, place or status changes, so calendars update.",
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    objects = MeetingQuerySet.as_manager()

    class Meta:
        ordering = ["start", "id"]  # lists order by team name too: upcoming(), past()
        constraints = [
            FieldCheckConstraint(
                field="end",
                condition=Q(end__gt=models.F("start")),
                name="meeting_ends_after_start",
                violation_error_message=ENDS_AFTER_START,
            ),
            models.UniqueConstraint(fields=["team", "start"], name="meeting_one_per_team_start"),
            models.UniqueConstraint(
                fields=["schedule", "occurrence"], name="meeting_one_per_schedule_date"
            ),
            models.CheckConstraint(
                condition=Q(status__in=["scheduled", "cancelled", "moved"]),
                name="meeting_status_valid",
            ),
        ]
        indexes = [models.Index(fields=["end", "start"], name="meeting_end_start")]

    def __str__(self):
        return f"{self.name}, {long_date(self.start)}"

    def save(self, *args, **kwargs):
        if self.has_significant_change():
            self.sequence += 1
            if kwargs.get("update_fields") is not None:
                kwargs["update_fields"] = {*kwargs["update_fields"], "sequence"}
        super().save(*args, **kwargs)
        self._loaded = {name: getattr(self, name) for name in self.SIGNIFICANT_FIELDS}

    def get_absolute_url(self):
        return reverse("meetings:detail", kwargs={"pk": self.pk, "slug": self.slug})

    @property
    def name(self) -> str:
        """The title as staff typed it. Only the usual title, which names no place, has the
        team's name put before it: "Colchester Local Community Meeting"."""
        if self.title == DEFAULT_TITLE:
            return f"{self.team.name} {self.title}"
        return self.title

    @classmethod
    def from_db(cls, db, field_names, values):
        instance = super().from_db(db, field_names, values)
        # Deferred fields are absent from __dict__, and so never count as changed.
        instance._loaded = {
            name: instance.__dict__[name]
            for name in cls.SIGNIFICANT_FIELDS
            if name in instance.__dict__
        }
        return instance

    def clean(self):
        if self.status != self.Status.SCHEDULED and not self.status_reason.strip():
            raise ValidationError(
                {"status_reason": "Tell residents why the meeting is cancelled or has moved."}
            )

    def has_significant_change(self) -> bool:
        """Whether the time, place or status differs from what was loaded from the database."""
        loaded = getattr(self, "_loaded", None)
        if not loaded:
            return False
        return any(getattr(self, name) != value for name, value in loaded.items())

    @property
    def slug(self) -> str:
        """The readable part of the address: "basildon-2026-12-01"."""
        return f"{self.team.slug}-{timezone.localtime(self.start):%Y-%m-%d}"

    @property
    def is_cancelled(self) -> bool:
        return self.status == self.Status.CANCELLED

    @property
    def is_moved(self) -> bool:
        return self.status == self.Status.MOVED

    @property
    def is_past(self) -> bool:
        return self.end <= timezone.now()

    @property
    def when(self) -> str:
        """ "Tuesday 1 December 2026, 7pm to 8:30pm"."""
        return f"{long_date(self.start)}, {time_range(self.start, self.end)}"

    @property
    def notice(self) -> str:
        """Why a cancelled or moved meeting is so, for the top of its page and the feeds."""
        return "" if self.status == self.Status.SCHEDULED else self.status_reason

    @property
    def show_notes(self) -> bool:
        return self.notes_published and self.is_past


class Outcome(models.Model):
    """ "You said, we did": a concern raised at a meeting and what the team did about it."""

    meeting = models.ForeignKey(Meeting, on_delete=models.CASCADE, related_name="outcomes")
    concern = models.TextField("you said")
    action = models.TextField("we did", blank=True)
    order = models.PositiveSmallIntegerField(default=0)
    # Kept here, not on the priority: meetings stand on teams, never the other way round.
    priority = models.ForeignKey(
        "teams.Priority",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="meeting_outcomes",
        help_text="The team priority this concern became, if any: the priority then shows "
        "the meeting where it was raised and links to this.",
    )

    class Meta:
        ordering = ["order", "pk"]

    def __str__(self):
        return self.concern[:80]

    def clean(self):
        if self.priority_id and self.meeting_id and self.priority.team_id != self.meeting.team_id:
            raise ValidationError(
                {"priority": "Choose one of the priorities of the team that held the meeting."}
            )
