"""Sample data (invented officers, meetings, surveys and responses) never reaches a live site.

Every `load_demo_*` command is a SampleDataCommand: it refuses to run where the settings say
sample data is not allowed (`portal.settings.prod`), before it reads or writes anything.
"""

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

REFUSAL = (
    "This is a production site: sample data (invented officers, meetings, surveys and "
    "responses) is never loaded here. The force's own teams, districts, partnerships and "
    "neighbouring forces are loaded by `manage.py load_reference_data` (part of `first_run`)."
)


def sample_data_allowed() -> bool:
    return getattr(settings, "SAMPLE_DATA_ALLOWED", False)


class SampleDataCommand(BaseCommand):
    """A command that loads sample data, marked as such, for `make run` and the tests."""

    def execute(self, *args, **options):
        if not sample_data_allowed():
            raise CommandError(REFUSAL)
        return super().execute(*args, **options)
