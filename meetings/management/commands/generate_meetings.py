"""Create the meetings of every active schedule for the next N months.

Run it daily or monthly (cron, or a scheduled task): dates that already have a meeting, moved or
cancelled ones included, are left as they are.
"""

from django.core.management.base import BaseCommand, CommandError

from meetings.models import MeetingSchedule
from meetings.services import meetings_generate_all


class Command(BaseCommand):
    help = "Create meetings from the teams' schedules for the next N months (default 6)."

    def add_arguments(self, parser):
        parser.add_argument("--months", type=int, default=6, help="How far ahead (1 to 24).")
        parser.add_argument("--team", help="Only this team's schedules (its slug).")

    def handle(self, *args, months, team, **options):
        if not 1 <= months <= 24:
            raise CommandError("--months must be between 1 and 24.")
        schedules = MeetingSchedule.objects.active().select_related("team")
        if team:
            schedules = schedules.filter(team__slug=team)
            if not schedules.exists():
                raise CommandError(f"No active schedule for a team with the slug {team!r}.")
        created = meetings_generate_all(months=months, schedules=schedules)
        for schedule, meetings in created.items():
            self.stdout.write(f"{schedule}: {len(meetings)} new")
        total = sum(len(meetings) for meetings in created.values())
        self.stdout.write(self.style.SUCCESS(f"Created {total} meetings."))
