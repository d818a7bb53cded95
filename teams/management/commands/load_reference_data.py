"""Load the force's reference data (teams, districts, partnerships, neighbouring forces).

The data and what "never undoes staff's changes" means are in teams/reference.py; the loader is
teams.services.reference_data_load.
"""

from django.core.management.base import BaseCommand

from teams.models import Team
from teams.services import reference_data_load


class Command(BaseCommand):
    help = (
        "Create the ten Community Policing Teams, their districts, the Community Safety "
        "Partnerships and the neighbouring forces where missing. Safe to run again: what staff "
        "changed in the admin is kept."
    )

    def handle(self, *args, **options):
        result = reference_data_load()
        self.stdout.write(
            self.style.SUCCESS(
                f"Reference data: {result.teams_created} teams created "
                f"({Team.objects.count()} in all), {result.districts_created} districts created, "
                f"{result.districts_assigned} districts given a team or force, "
                f"{result.forces_created} neighbouring forces and "
                f"{result.partnerships_created} partnerships created."
            )
        )
