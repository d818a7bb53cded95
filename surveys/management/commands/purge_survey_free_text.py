"""Delete written answers once each survey's retention period has passed (run it daily)."""

from django.core.management.base import BaseCommand

from surveys.services import free_text_purge


class Command(BaseCommand):
    help = "Blank the free-text answers older than each survey's retention period."

    def handle(self, *args, **options):
        purged = free_text_purge()
        self.stdout.write(f"Deleted {purged} written answer{'s' if purged != 1 else ''}.")
