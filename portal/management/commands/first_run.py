"""A deployment's one-off step, run before the web service starts on every deploy.

It migrates, imports the postcodes when the table is empty (from POSTCODE_FILE, the extract the
image ships, or the path given), and loads the force's reference data. Every step is idempotent,
so running it on each `docker compose up` costs a few seconds and changes nothing staff did.
It never loads sample data.
"""

from django.conf import settings
from django.core.management import call_command
from django.core.management.base import BaseCommand


class Command(BaseCommand):
    help = (
        "Prepare the database for the portal: migrate, import the postcodes if there are none, "
        "load the reference data. Safe to run on every deploy."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--postcodes",
            help=(
                "Code-Point Open zip or folder to import when there are no postcodes yet "
                "(default: the POSTCODE_FILE setting)"
            ),
        )

    def handle(self, *args, postcodes, verbosity, **options):
        steps = [
            ("migrate", ["--noinput"]),
            ("import_postcodes", [postcodes or str(settings.POSTCODE_FILE), "--if-empty"]),
            ("load_reference_data", []),
        ]
        for name, arguments in steps:
            self.stdout.write(f"== {name}")
            call_command(
                name, *arguments, verbosity=verbosity, stdout=self.stdout, stderr=self.stderr
            )
        self.stdout.write(self.style.SUCCESS("Ready: the portal can serve."))
