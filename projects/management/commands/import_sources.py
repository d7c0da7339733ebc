import json
from pathlib import Path

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.db import transaction

from projects.importing.fixtures import FixtureBuilder, Places, dump
from projects.importing.loader import LoadReport, find_stale, load
from projects.parsing import parse_documents
from projects.parsing.text import ParseError
from projects.search import rebuild_search_index

FIXTURES = Path(settings.BASE_DIR) / "fixtures"


class Command(BaseCommand):
    help = (
        "Parse the source documents in fixtures/sources/ into fixtures/sources.json and "
        "fixtures/records.json, then load those and fixtures/places.json into the database, "
        "keeping every field staff have edited since the last import."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--sources", type=Path, default=FIXTURES / "sources", help="Folder of the documents."
        )
        parser.add_argument(
            "--fixtures", type=Path, default=FIXTURES, help="Folder the fixtures are written to."
        )
        parser.add_argument(
            "--no-load", action="store_true", help="Write the fixtures; leave the database alone."
        )

    def handle(self, *args, sources, fixtures, no_load, **options):
        try:
            parsed = parse_documents(sources)
            builder = FixtureBuilder(Places(fixtures / "places.json"))
            for document, source, records in parsed:
                builder.add_document(document.slug, source, records)
            files = builder.fixture()
        except (ParseError, OSError) as error:
            raise CommandError(f"Import stopped, nothing was changed: {error}") from error

        if not no_load:
            report = LoadReport()
            with transaction.atomic():
                for name in ["places.json", *files]:
                    objects = files.get(name) or _read(fixtures / name)
                    load(objects, report)
                find_stale(report)
                rebuild_search_index()
            for line in report.summary():
                self.stdout.write(line)

        for name, objects in files.items():
            path = fixtures / name
            text = dump(objects)
            if not path.exists() or path.read_text(encoding="utf-8") != text:
                path.write_text(text, encoding="utf-8")
                self.stdout.write(f"wrote {path}")
        self.stdout.write(self.style.SUCCESS(f"Imported {len(parsed)} documents."))


def _read(path: Path) -> list[dict]:
    return json.loads(path.read_text(encoding="utf-8"))
