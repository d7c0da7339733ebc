import time

from django.core.management.base import BaseCommand, CommandError

from projects.models import Organisation
from projects.search import (
    implemented_projects,
    rebuild_search_index,
    refresh_organisation_entries,
    refresh_search_index,
)


class Command(BaseCommand):
    help = (
        "Rebuild the search index (projects, organisations, evaluations and the word list for "
        "“did you mean”) from the records. Safe to run at any time; searches see the old index "
        "until the new one is committed."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--organisation",
            action="append",
            default=[],
            metavar="SLUG",
            help=(
                "Re-index only this organisation and the projects it implements, e.g. after "
                "the admin left a renamed organisation's projects to this command. Repeatable."
            ),
        )

    def handle(self, *args, organisation, verbosity, **options):
        started = time.monotonic()
        if organisation:
            chosen = Organisation.objects.filter(slug__in=organisation)
            found = dict(chosen.values_list("slug", "pk"))
            if unknown := sorted(set(organisation) - set(found)):
                raise CommandError(f"No organisation has the slug {', '.join(unknown)}.")
            projects = refresh_search_index(implemented_projects(found.values()))
            entries = refresh_organisation_entries(found.values())
            summary = f"Indexed {projects} projects and {entries} organisations"
        else:
            written = rebuild_search_index()
            summary = (
                f"Indexed {written['projects']} projects, {written['entries']} organisations "
                f"and evaluation records, and {written['words']} words"
            )
        if verbosity:
            self.stdout.write(
                self.style.SUCCESS(f"{summary} in {time.monotonic() - started:.1f} s.")
            )
