"""Everything `make run` needs on an empty database, in order; safe to run again.

The force's real data first (postcodes, then the teams and areas), then the sample data on top:
invented officers, hours, meetings, surveys and responses, each marked as sample data. Production
refuses to run it (portal.sample_data); a deployment runs `first_run` instead.
"""

from django.conf import settings
from django.core.management import call_command

from portal.sample_data import SampleDataCommand


def steps() -> list[tuple[str, list[str]]]:
    """(command, arguments): each command must be idempotent."""
    return [
        ("import_postcodes", [str(settings.POSTCODE_FILE), "--if-empty"]),
        ("load_reference_data", []),
        ("load_demo_team_details", []),
        ("load_demo_meetings", []),
        ("load_demo_surveys", []),
    ]


class Command(SampleDataCommand):
    help = "Load the reference data and, on top, the sample data (marked as such) `make run` shows."

    def handle(self, *args, **options):
        for name, arguments in steps():
            self.stdout.write(f"== {name}")
            call_command(name, *arguments, stdout=self.stdout, stderr=self.stderr)
