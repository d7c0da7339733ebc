import time

from django.core.management.base import BaseCommand

from projects.search import rebuild_search_index


class Command(BaseCommand):
    help = (
        "Rebuild the search index (projects, organisations, evaluations and the word list for "
        "“did you mean”) from the records. Safe to run at any time; searches see the old index "
        "until the new one is committed."
    )

    def handle(self, *args, verbosity, **options):
        started = time.monotonic()
        written = rebuild_search_index()
        if verbosity:
            self.stdout.write(
                self.style.SUCCESS(
                    f"Indexed {written['projects']} projects, {written['entries']} organisations "
                    f"and evaluation records, and {written['words']} words in "
                    f"{time.monotonic() - started:.1f} s."
                )
            )
