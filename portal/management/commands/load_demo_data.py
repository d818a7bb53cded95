"""Everything `make run` needs on an empty database, in order; safe to run again.

Each app adds its own step here: the postcode extract, then the teams, meetings and surveys.
"""

from django.core.management import call_command
from django.core.management.base import BaseCommand

# (command, arguments): each command must be idempotent.
STEPS: list[tuple[str, list[str]]] = [
    ("import_postcodes", ["data/codepo_essex.zip", "--if-empty"]),
    ("load_demo_teams", []),
    ("load_demo_team_details", []),
    ("load_demo_meetings", []),
    ("load_demo_surveys", []),
]


class Command(BaseCommand):
    help = "Load the sample data (marked as such) that `make run` shows."

    def handle(self, *args, **options):
        for name, arguments in STEPS:
            self.stdout.write(f"== {name}")
            call_command(name, *arguments, stdout=self.stdout, stderr=self.stderr)
