"""Residents' pages: upcoming meetings, one meeting, a team's past meetings, calendar files."""

import datetime

from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_safe
from django.views.generic import DetailView, ListView

from portal.cache import SharedPageMixin, seconds_until
from teams.models import Team

from .calendars import meetings_calendar
from .forms import MeetingFilterForm
from .models import Meeting, MeetingSchedule

CALENDAR_CONTENT_TYPE = "text/calendar; charset=utf-8"
# Subscribed calendars keep events that have just ended rather than seeing them vanish.
CALENDAR_FEED_HISTORY = datetime.timedelta(days=90)


class ForgivingPaginationMixin:
    """Pagination that answers a page number that doesn't exist with the nearest page and a
    message, rather than a "not found" page."""

    paginate_by = 10
    page_problem = ""

    def paginate_queryset(self, queryset, page_size):
        paginator = self.get_paginator(queryset, page_size)
        requested = self.request.GET.get(self.page_kwarg, "").strip()
        page = paginator.get_page(requested)
        if requested and requested != str(page.number):
            self.page_problem = (
                f"That page doesn’t exist, so this is page {page.number} of {paginator.num_pages}."
            )
        return paginator, page, page.object_list, page.has_other_pages()

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        page = context["page_obj"]
        context["page_problem"] = self.page_problem
        context["page_range"] = page.paginator.get_elided_page_range(
            page.number, on_each_side=1, on_ends=1
        )
        return context


class MeetingListView(SharedPageMixin, ForgivingPaginationMixin, ListView):
    """Upcoming meetings across Essex, soonest first, or one team's."""

    template_name = "meetings/meeting_list.html"
    context_object_name = "meetings"

    def get(self, request, *args, **kwargs):
        self.form = MeetingFilterForm(request.GET if "team" in request.GET else None)
        self.team = self.form.cleaned_data["team"] if self.form.is_valid() else None
        return super().get(request, *args, **kwargs)

    def get_queryset(self):
        meetings = Meeting.objects.upcoming().select_related("team")
        if self.team:
            meetings = meetings.for_team(self.team)
        return meetings

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        # The list changes by itself when its first meeting ends.
        self.changes_at = context["meetings"][0].end if context["meetings"] else None
        next_expected = None
        if not context["meetings"]:
            schedules = MeetingSchedule.objects.all()
            if self.team:
                schedules = schedules.filter(team=self.team)
            next_expected = schedules.next_expected()
        return {
            **context,
            "form": self.form,
            # Listed here, as the template's loop would count the teams in a query of its own.
            "team_choices": [choice for choice in self.form.fields["team"].choices],
            "team": self.team,
            "next_expected": next_expected,
            "filter_query": f"team={self.team.slug}&" if self.team else "",
        }

    def shared_page_seconds(self) -> int:
        return seconds_until(self.changes_at)


class MeetingDetailView(SharedPageMixin, DetailView):
    template_name = "meetings/meeting_detail.html"
    context_object_name = "meeting"
    queryset = Meeting.objects.select_related("team").prefetch_related("outcomes")

    def get(self, request, *args, **kwargs):
        self.object = self.get_object()
        # The slug is for people to read; an old or mistyped one goes to the current address.
        if kwargs.get("slug") != self.object.slug:
            return redirect(self.object, permanent=True)
        return self.render_to_response(self.get_context_data(object=self.object))

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        return {**context, **team_calendar_links(self.request, self.object.team)}

    def shared_page_seconds(self) -> int:
        return seconds_until(self.object.start, self.object.end)


class TeamPastMeetingsView(ForgivingPaginationMixin, ListView):
    """A team's past meetings, with what was discussed and what the team did about it."""

    template_name = "meetings/team_past_meetings.html"
    context_object_name = "meetings"

    def get_queryset(self):
        self.team = get_object_or_404(Team, slug=self.kwargs["slug"])
        return (
            Meeting.objects.for_team(self.team)
            .past()
            .select_related("team")
            .prefetch_related("outcomes")
        )

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        return {**context, "team": self.team, **team_calendar_links(self.request, self.team)}


def team_calendar_links(request, team: Team) -> dict[str, str]:
    """Addresses for subscribing to a team's meetings: webcal:// opens a calendar app."""
    path = team_calendar_path(team)
    return {
        "calendar_url": request.build_absolute_uri(path),
        "webcal_url": f"webcal://{request.get_host()}{path}",
    }


def team_calendar_path(team: Team) -> str:
    return reverse("meetings:team-calendar", kwargs={"slug": team.slug})


@require_safe
def meeting_calendar(request, pk: int):
    """One meeting as an .ics file to add to a calendar."""
    meeting = get_object_or_404(Meeting.objects.select_related("team"), pk=pk)
    body = meetings_calendar(
        [meeting],
        name=meeting.name,
        absolute_url=request.build_absolute_uri,
    )
    response = HttpResponse(body, content_type=CALENDAR_CONTENT_TYPE)
    response["Content-Disposition"] = f'attachment; filename="{meeting.slug}.ics"'
    return response


@require_safe
def team_calendar(request, slug: str):
    """A team's meetings as a calendar to subscribe to; cancelled ones stay in it, marked
    cancelled, so calendars that subscribed take them off."""
    team = get_object_or_404(Team, slug=slug)
    meetings = (
        Meeting.objects.for_team(team)
        .filter(end__gt=timezone.now() - CALENDAR_FEED_HISTORY)
        .select_related("team")
        .order_by("start")
    )
    body = meetings_calendar(
        meetings,
        name=f"{team.name} Local Community Meetings",
        absolute_url=request.build_absolute_uri,
    )
    response = HttpResponse(body, content_type=CALENDAR_CONTENT_TYPE)
    response["Content-Disposition"] = f'inline; filename="{team.slug}-meetings.ics"'
    return response
