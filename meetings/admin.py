"""Staff editing of meetings and schedules, each editor only for their own teams."""

from django import forms
from django.contrib import admin, messages
from django.db.models import Case, F, Q, Value, When
from django.utils import timezone
from django.utils.translation import ngettext

from portal.clock import format_time
from teams.admin import TeamScopedAdminMixin
from teams.admin_forms import URL_FIELDS, StaffFormAdminMixin
from teams.models import Priority, Team

from .models import Meeting, MeetingSchedule, Outcome
from .services import (
    PATTERN_FIELDS,
    FutureMeetings,
    meetings_generate_all,
    schedule_change_meetings,
    schedule_untouched_meetings,
)

# How far ahead the admin action creates meetings; the command takes --months.
GENERATE_MONTHS = 6

VENUE_FIELDSET = (
    "Venue",
    {
        "fields": [
            "venue_name",
            "address",
            "postcode",
            ("step_free_access", "hearing_loop"),
            "parking",
            "accessibility_notes",
            "online_link",
        ]
    },
)


class WhenFilter(admin.SimpleListFilter):
    title = "when"
    parameter_name = "when"

    def lookups(self, request, model_admin):
        return [("upcoming", "Upcoming"), ("past", "Past")]

    def queryset(self, request, queryset):
        now = timezone.now()
        if self.value() == "upcoming":
            return queryset.filter(end__gt=now)
        if self.value() == "past":
            return queryset.filter(end__lte=now)
        return queryset


class MeetingScheduleForm(forms.ModelForm):
    """The schedule, and on a change what becomes of the meetings made from its old pattern."""

    future_meetings = forms.ChoiceField(
        label="If you change the day or time, the meetings already made from this schedule",
        choices=FutureMeetings.choices,
        initial=FutureMeetings.REPLACE,
        widget=forms.RadioSelect,
        required=False,
    )

    class Meta:
        model = MeetingSchedule
        fields = ["team"]  # the admin's fieldsets say which fields the page shows


def _dates(meetings) -> str:
    days = [f"{timezone.localtime(meeting.start):%-d %b %Y}" for meeting in meetings]
    return ", ".join(days[:6]) + (f" and {len(days) - 6} more" if len(days) > 6 else "")


@admin.register(MeetingSchedule)
class MeetingScheduleAdmin(StaffFormAdminMixin, TeamScopedAdminMixin, admin.ModelAdmin):
    list_display = ["team", "description", "venue_name", "active"]
    list_filter = [("team", admin.RelatedOnlyFieldListFilter), "active"]
    list_select_related = ["team"]
    search_fields = ["team__name", "venue_name", "postcode"]
    actions = ["create_meetings"]
    ordering = ["team__name", "week_of_month", "weekday"]
    formfield_overrides = URL_FIELDS
    form = MeetingScheduleForm
    fieldsets = [
        (
            None,
            {
                "fields": [
                    "team",
                    "title",
                    ("week_of_month", "weekday"),
                    ("start_time", "end_time"),
                    ("starts_on", "ends_on"),
                    "active",
                    "agenda",
                ]
            },
        ),
        VENUE_FIELDSET,
    ]

    def get_fieldsets(self, request, obj=None):
        if obj is None:
            return self.fieldsets
        untouched = schedule_untouched_meetings(schedule=obj, pattern=obj)
        description = (
            f"{len(untouched)} future meetings were made from this schedule and not changed by "
            f"hand since: {_dates(untouched)}. Meetings that were moved, cancelled or have notes "
            "are never changed."
            if untouched
            else "No future meetings made from this schedule are waiting, so there is nothing "
            "to replace."
        )
        return [
            *self.fieldsets,
            ("Meetings already made", {"fields": ["future_meetings"], "description": description}),
        ]

    def save_model(self, request, obj, form, change):
        before = MeetingSchedule.objects.get(pk=obj.pk) if change else None
        super().save_model(request, obj, form, change)
        if before is None or not set(PATTERN_FIELDS) & set(form.changed_data):
            return
        future = form.cleaned_data.get("future_meetings") or FutureMeetings.REPLACE
        old, new = schedule_change_meetings(
            schedule=obj, pattern=before, future=future, months=GENERATE_MONTHS
        )
        if future == FutureMeetings.KEEP:
            self.message_user(
                request,
                "The meetings already made were left as they are, and no new ones were added.",
                messages.INFO,
            )
            return
        done = "Removed" if future == FutureMeetings.REPLACE else "Cancelled"
        self.message_user(
            request,
            f"{done} {len(old)} meetings on the old pattern"
            + (f" ({_dates(old)})" if old else "")
            + f" and added {len(new)} on the new one"
            + (f" ({_dates(new)})" if new else "")
            + ". The team's page shows them now.",
            messages.SUCCESS,
        )

    @admin.action(
        description=f"Create meetings for the next {GENERATE_MONTHS} months",
        permissions=["add_meeting"],
    )
    def create_meetings(self, request, queryset):
        created = meetings_generate_all(months=GENERATE_MONTHS, schedules=queryset)
        count = sum(len(meetings) for meetings in created.values())
        skipped = [str(schedule) for schedule in queryset if not schedule.active]
        self.message_user(
            request,
            ngettext(
                "Created %(count)d meeting. Dates that already had one were left alone.",
                "Created %(count)d meetings. Dates that already had one were left alone.",
                count,
            )
            % {"count": count},
            messages.SUCCESS,
        )
        if skipped:
            self.message_user(
                request,
                "These schedules are not active, so made no meetings: " + "; ".join(skipped),
                messages.WARNING,
            )

    def has_add_meeting_permission(self, request):
        return request.user.has_perm("meetings.add_meeting")


class OutcomeInline(admin.StackedInline):
    model = Outcome
    extra = 1
    fields = ["concern", "action", "priority", "order"]
    verbose_name = "“You said, we did”"
    verbose_name_plural = "“You said, we did”"

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        if db_field.name == "priority":
            # The meeting's team's priorities (or this editor's teams', for a new meeting);
            # Outcome.clean refuses another team's.
            meeting_id = request.resolver_match.kwargs.get("object_id")
            team_ids = Meeting.objects.filter(pk=meeting_id).values("team")
            if meeting_id is None or not team_ids.exists():
                team_ids = Team.objects.for_editor(request.user).values("pk")
            kwargs["queryset"] = Priority.objects.filter(team__in=team_ids).select_related("team")
        return super().formfield_for_foreignkey(db_field, request, **kwargs)


class MeetingForm(forms.ModelForm):
    """A meeting; a second meeting for the team at the same moment is refused in plain words."""

    class Meta:
        model = Meeting
        fields = ["team"]  # the admin's fieldsets say which fields the page shows

    def clean(self):
        cleaned = super().clean()
        team, start = cleaned.get("team"), cleaned.get("start")
        if team and start:
            same = Meeting.objects.filter(team=team, start=start).exclude(pk=self.instance.pk)
            if same.exists():
                when = timezone.localtime(start)
                self.add_error(
                    "start",
                    f"{team} already has a meeting at {format_time(when.time())} on "
                    f"{when:%A %-d %B %Y}. Choose another time, or change that meeting instead.",
                )
        return cleaned


@admin.register(Meeting)
class MeetingAdmin(StaffFormAdminMixin, TeamScopedAdminMixin, admin.ModelAdmin):
    list_display = ["title", "team", "start", "status", "notes_published"]
    list_filter = [("team", admin.RelatedOnlyFieldListFilter), "status", WhenFilter]
    list_select_related = ["team"]
    date_hierarchy = "start"
    search_fields = ["title", "team__name", "venue_name", "postcode", "agenda", "notes"]
    readonly_fields = ["schedule"]
    inlines = [OutcomeInline]
    form = MeetingForm
    formfield_overrides = URL_FIELDS
    fieldsets = [
        (None, {"fields": ["team", "title", ("start", "end"), "agenda"]}),
        (
            "Cancelled or moved",
            {
                "fields": ["status", "status_reason"],
                "description": "Residents see the reason at the top of the meeting’s page, and "
                "calendars that subscribed are told of the change.",
            },
        ),
        VENUE_FIELDSET,
        ("After the meeting", {"fields": ["notes", "notes_published"]}),
        ("Regular schedule", {"fields": ["schedule"]}),
    ]

    def get_ordering(self, request):
        # Upcoming meetings first, soonest first; then past ones, most recent first.
        now = timezone.now()
        past = Q(end__lte=now)
        return [
            Case(When(past, then=Value(1)), default=Value(0)).asc(),
            Case(When(~past, then=F("start"))).asc(),
            Case(When(past, then=F("start"))).desc(),
        ]
