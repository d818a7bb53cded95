"""Import OS Code-Point Open (the zip as Ordnance Survey ships it, or its folder).

The file's columns are described at the top of teams/postcodes.py, which does the work.
"""

import time
from pathlib import Path

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.db import connection

from portal.cache import shared_between_processes
from teams.areas import warm as count_areas
from teams.models import Postcode
from teams.postcodes import CodePointError, import_codepoint, parse_areas


class Command(BaseCommand):
    help = (
        "Replace the postcodes (and the district and ward names) with those in OS Code-Point "
        "Open. All or nothing: a bad file or an interrupted import changes nothing."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "path", help="codepo_gb.zip, an extract in the same layout, or a folder"
        )
        parser.add_argument(
            "--areas",
            help=(
                "only these postcode areas, comma separated, e.g. CM,CO,SS (an import always "
                "replaces every postcode, so the other areas' postcodes are removed)"
            ),
        )
        parser.add_argument(
            "--if-empty",
            action="store_true",
            help="do nothing when there are postcodes already (for `make run`)",
        )
        parser.add_argument(
            "--force",
            action="store_true",
            help=(
                "import even when the file would remove more than 5%% of the current "
                "postcodes (a damaged file or too many malformed rows is still refused)"
            ),
        )

    def handle(self, *args, path, areas, if_empty, force, verbosity, **options):
        if if_empty and Postcode.objects.exists():
            self.stdout.write("Postcodes already imported: nothing to do.")
            return

        def progress(rows):
            if verbosity:
                self.stdout.write(f"  {rows:,} postcodes read…")
                self.stdout.flush()

        if not Path(path).is_absolute() and not Path(path).exists():
            path = settings.BASE_DIR / path  # e.g. data/codepo_essex.zip from anywhere
        try:
            result = import_codepoint(
                path, areas=parse_areas(areas), force=force, progress=progress
            )
        except CodePointError as error:
            raise CommandError(f"{error}. Nothing was changed.") from None
        self.stdout.write(
            self.style.SUCCESS(
                f"Imported {result.rows:,} postcodes "
                f"({'areas ' + ', '.join(result.areas) if areas else 'every area in the file'}"
                f"), {result.districts:,} districts and "
                f"{result.wards:,} wards in {result.seconds:.1f}s."
            )
        )
        if shared_between_processes():
            started = time.monotonic()
            count_areas()  # for every worker, before a resident's first search needs them
            self.stdout.write(
                f"Counted the postcodes of each outward code and sector for the finder in "
                f"{time.monotonic() - started:.1f}s."
            )
        if connection.vendor == "postgresql":
            self.stdout.write(
                f"The finder read the previous postcodes until the new ones were swapped in "
                f"({1000 * result.swap_seconds:.0f} ms at the end)."
            )
        if result.unnamed_codes:
            self.stdout.write(
                self.style.WARNING(
                    f"{result.unnamed_codes:,} district or ward codes are not in Codelist.xlsx; "
                    "they are named by their code."
                )
            )
        if result.unpoliced:
            self.stdout.write(
                self.style.WARNING(
                    f"No police force is known for districts {', '.join(result.unpoliced)}: "
                    "add them to teams/forces.py (the finder names their council only)."
                )
            )
        if result.malformed:
            self.stderr.write(
                self.style.WARNING(
                    f"{result.malformed:,} malformed rows were skipped, for example:"
                )
            )
            for example in result.malformed_examples:
                self.stderr.write(f"  {example}")
