from django.core.management.base import BaseCommand

from surveys.models import Survey
from surveys.tallies import tallies_rebuild


class Command(BaseCommand):
    help = (
        "Count every survey's results again from the stored answers. Results are kept up to "
        "date as responses arrive; run this after loading responses in bulk outside the site."
    )

    def handle(self, *args, **options):
        surveys = list(Survey.objects.values_list("pk", "title"))
        for pk, _title in surveys:
            tallies_rebuild(survey_id=pk)
        self.stdout.write(f"Counted the results of {len(surveys)} surveys again.")
