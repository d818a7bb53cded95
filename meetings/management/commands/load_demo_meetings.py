"""Sample Local Community Meetings for every team: a schedule, the next six months of meetings,
some past meetings with notes and "You said, we did", one cancelled and one moved meeting.

Venues are plausible but invented, and named "(sample venue)" wherever residents see them.
Safe to run again: nothing that exists is changed or added twice.
"""

import datetime

from dateutil.relativedelta import relativedelta
from django.db import transaction
from django.utils import timezone

from meetings.models import Meeting, MeetingSchedule, Outcome, WeekOfMonth
from meetings.services import VENUE_FIELDS, meeting_cancel, meetings_generate
from portal.cache import content_changed
from portal.clock import Weekday
from portal.sample_data import SampleDataCommand
from teams.models import Team

MONTHS_AHEAD = 6
PAST_MONTHS = 3

# slug: (week of month, weekday, start, venue name, address, postcode); the postcodes are real
# ones (in Code-Point Open), so each team's map marks where it meets.
SCHEDULES = {
    "basildon": (
        1,
        Weekday.TUESDAY,
        19,
        "Basildon Community Hall",
        "Town Square\nBasildon",
        "SS14 1DL",
    ),
    "braintree": (
        1,
        Weekday.WEDNESDAY,
        19,
        "Braintree Town Library meeting room",
        "Fairfield Road\nBraintree",
        "CM7 3YL",
    ),
    "castle-point-rochford": (
        2,
        Weekday.TUESDAY,
        19,
        "Rayleigh Community Centre",
        "High Street\nRayleigh",
        "SS6 7AB",
    ),
    "chelmsford-maldon": (
        2,
        Weekday.WEDNESDAY,
        18,
        "Chelmsford Civic Centre, Committee Room 1",
        "Duke Street\nChelmsford",
        "CM1 1JE",
    ),
    "colchester": (
        2,
        Weekday.THURSDAY,
        19,
        "Colchester Community Hub",
        "High Street\nColchester",
        "CO1 1PJ",
    ),
    "epping-forest-brentwood": (
        3,
        Weekday.TUESDAY,
        19,
        "Epping Hall",
        "High Street\nEpping",
        "CM16 5JU",
    ),
    "harlow-uttlesford": (
        3,
        Weekday.WEDNESDAY,
        19,
        "Harlow Civic Centre",
        "The Water Gardens\nHarlow",
        "CM20 1WG",
    ),
    "southend": (
        3,
        Weekday.THURSDAY,
        18,
        "Southend Central Library",
        "Victoria Avenue\nSouthend-on-Sea",
        "SS2 6ER",
    ),
    "tendring": (
        4,
        Weekday.TUESDAY,
        19,
        "Clacton Town Hall",
        "Station Road\nClacton-on-Sea",
        "CO15 1SE",
    ),
    "thurrock": (
        WeekOfMonth.LAST,
        Weekday.WEDNESDAY,
        19,
        "Grays Community Centre",
        "Orsett Road\nGrays",
        "RM17 5DX",
    ),
}

AGENDA = """1. Welcome and introductions
2. What the team has done since the last meeting
3. Your concerns: crime and anti-social behaviour in your area
4. Agreeing the team's priorities for the coming month"""

PAST_NOTES = """*Sample notes.* Around twenty residents came, with two ward councillors.

The team reported on last month's priorities and answered questions about response times."""

OUTCOMES = [
    (
        "Cars speeding past the primary school at home time.",
        "Officers and volunteers ran Community Speedwatch on four afternoons; twelve drivers "
        "were sent warning letters.",
    ),
    (
        "Young people gathering and drinking in the park after dark.",
        "PCSOs patrolled the park on Friday evenings and worked with the youth service to open "
        "the youth club a second night.",
    ),
    (
        "Bikes stolen from outside the shops.",
        "The team marked 40 bikes at a free event and asked the council for more cycle racks.",
    ),
]


class Command(SampleDataCommand):
    help = "Load sample schedules and meetings for every team (skips if there are no teams)."

    def handle(self, *args, **options):
        teams = list(Team.objects.order_by("name"))
        if not teams:
            self.stdout.write(
                self.style.WARNING("No teams yet, so no meetings: load the teams first.")
            )
            return
        now = timezone.now()
        with transaction.atomic():
            created = 0
            for team in teams:
                schedule = self.schedule_for(team)
                created += len(meetings_generate(schedule=schedule, months=MONTHS_AHEAD, now=now))
                created += self.past_meetings(schedule, now)
            self.cancel_one(teams[0], now)
            if len(teams) > 3:
                self.move_one(teams[3], now)
            content_changed()  # the outcomes are bulk-created, which sends no signals
        self.stdout.write(self.style.SUCCESS(f"{len(teams)} teams' meetings: {created} new."))

    def schedule_for(self, team: Team) -> MeetingSchedule:
        existing = team.meeting_schedules.order_by("pk").first()
        if existing:
            return existing
        week, day, hour, venue, address, postcode = SCHEDULES.get(
            team.slug,
            (1, Weekday.TUESDAY, 19, f"{team.name} Community Centre", "High Street", "CM1 1AA"),
        )
        return MeetingSchedule.objects.create(
            team=team,
            week_of_month=week,
            weekday=day,
            start_time=datetime.time(hour),
            end_time=datetime.time(hour + 1, 30),
            venue_name=f"{venue} (sample venue)",
            address=address,
            postcode=postcode,
            step_free_access=True,
            hearing_loop=team.slug != "braintree",
            parking="Free parking nearby (sample information)",
            accessibility_notes="Sample information: accessible toilet on the ground floor.",
            agenda=AGENDA,
        )

    def past_meetings(self, schedule: MeetingSchedule, now: datetime.datetime) -> int:
        """The schedule's meetings of the last few months, with notes and outcomes."""
        today = timezone.localdate(now)
        created = 0
        for day in schedule.occurrences(today - relativedelta(months=PAST_MONTHS), today):
            start, end = schedule.start_and_end(day)
            if end > now:
                continue
            meeting, new = Meeting.objects.get_or_create(
                schedule=schedule,
                occurrence=day,
                defaults={
                    "team": schedule.team,
                    "title": schedule.title,
                    "start": start,
                    "end": end,
                    "agenda": schedule.agenda,
                    "notes": PAST_NOTES,
                    "notes_published": True,
                    **{name: getattr(schedule, name) for name in VENUE_FIELDS},
                },
            )
            if new:
                created += 1
                Outcome.objects.bulk_create(
                    Outcome(meeting=meeting, concern=concern, action=action, order=order)
                    for order, (concern, action) in enumerate(OUTCOMES)
                )
        return created

    def cancel_one(self, team: Team, now: datetime.datetime) -> None:
        meetings = Meeting.objects.for_team(team)
        if meetings.filter(status=Meeting.Status.CANCELLED).exists():
            return
        second = meetings.upcoming(now)[1:2].first()
        if second:
            meeting_cancel(
                meeting=second,
                reason="Sample notice: the hall is closed for repairs. Come to next month’s "
                "meeting, or contact the team by email in the meantime.",
            )

    def move_one(self, team: Team, now: datetime.datetime) -> None:
        meetings = Meeting.objects.for_team(team)
        if meetings.filter(status=Meeting.Status.MOVED).exists():
            return
        first = meetings.upcoming(now).filter(status=Meeting.Status.SCHEDULED).first()
        if first:
            first.status = Meeting.Status.MOVED
            first.status_reason = (
                "Sample notice: this meeting has moved to the library next door while the "
                "usual venue is being redecorated."
            )
            first.venue_name = "Town Library meeting room (sample venue)"
            first.save()
