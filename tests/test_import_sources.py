"""The import: deterministic fixtures, idempotent loads, staff edits kept, broken documents
refused with nothing changed."""

import datetime
import shutil
from decimal import Decimal
from io import StringIO
from pathlib import Path

import pytest
from django.core.management import CommandError, call_command
from django.db import connection
from django.test.utils import CaptureQueriesContext

from projects.importing.loader import LoadReport, load
from projects.models import ImportRecord, Project

FIXTURES = Path(__file__).resolve().parent.parent / "fixtures"


def run_import(**options) -> str:
    out = StringIO()
    call_command("import_sources", stdout=out, **options)
    return out.getvalue()


@pytest.fixture
def workdir(tmp_path):
    """A copy of fixtures/ that a test may change."""
    shutil.copytree(FIXTURES, tmp_path / "fixtures")
    return tmp_path / "fixtures"


def test_the_committed_fixtures_are_what_the_documents_give(tmp_path):
    shutil.copy(FIXTURES / "places.json", tmp_path)
    run_import(fixtures=tmp_path, no_load=True)
    for name in ("sources.json", "records.json"):
        assert (tmp_path / name).read_bytes() == (FIXTURES / name).read_bytes(), name


@pytest.mark.django_db
def test_a_second_import_finds_everything_unchanged(workdir):
    run_import(fixtures=workdir)
    with CaptureQueriesContext(connection) as captured:
        second = run_import(fixtures=workdir)
    # The rows pointed to found once each, the import records at once: 2,672 queries for
    # the 1,816 rows and the search index; found for each row anew, it took 6,347.
    assert len(captured.captured_queries) < 3_000
    assert "projects.project: 0 created, 0 updated, 30 unchanged, 0 fields kept" in second
    assert " updated" not in second.replace(" 0 updated", "")
    assert "wrote" not in second


@pytest.mark.django_db
def test_the_first_import_over_loaddata_records_what_it_wrote(workdir):
    assert not ImportRecord.objects.exists()
    output = run_import(fixtures=workdir)
    assert "projects.project: 0 created, 0 updated, 30 unchanged" in output
    assert ImportRecord.objects.filter(model="projects.project").count() == 30


@pytest.mark.django_db
def test_a_staff_edit_survives_the_import_and_is_reported(workdir):
    run_import(fixtures=workdir)
    Project.objects.filter(code="S21114").update(end_date=datetime.date(2018, 12, 31))

    output = run_import(fixtures=workdir)

    project = Project.objects.get(code="S21114")
    assert project.end_date == datetime.date(2018, 12, 31)
    assert "kept end_date='2018-12-31' (the document says '2018-09-30'" in output
    assert "projects.project: 0 created, 0 updated, 30 unchanged, 1 fields kept" in output


@pytest.mark.django_db
def test_a_changed_document_updates_fields_staff_left_alone_and_keeps_their_edits(workdir):
    run_import(fixtures=workdir)
    Project.objects.filter(code="S21114").update(name="Kummin kanssa työkokeiluun (muokattu)")
    card = workdir / "sources" / "000_262a80a8a10a29a4.txt"
    card.write_text(card.read_text().replace("48 806 €", "48 906 €"))

    output = run_import(fixtures=workdir, sources=workdir / "sources")

    project = Project.objects.get(code="S21114")
    assert project.realised_public_funding == Decimal("48906.00")
    assert project.name == "Kummin kanssa työkokeiluun (muokattu)"
    assert "projects.project: 0 created, 1 updated, 29 unchanged, 1 fields kept" in output


@pytest.mark.django_db
def test_a_truncated_document_stops_the_import_naming_it_and_changes_nothing(workdir):
    application = workdir / "sources" / "004_753faef5c611e7c3.txt"
    lines = application.read_text().split("\n")
    application.write_text("\n".join(lines[:120]))
    before = (workdir / "records.json").read_bytes()
    projects = Project.objects.count()

    with pytest.raises(CommandError, match=r"004_753faef5c611e7c3\.txt, line \d+"):
        run_import(fixtures=workdir, sources=workdir / "sources")

    assert (workdir / "records.json").read_bytes() == before
    assert Project.objects.count() == projects
    assert not ImportRecord.objects.exists()


@pytest.mark.django_db
def test_a_binary_document_is_refused_at_its_first_line(workdir):
    (workdir / "sources" / "003_1f83011d27571953.txt").write_bytes(b"%PDF-1.7\x00\x01binary")
    with pytest.raises(CommandError, match=r"003_1f83011d27571953\.txt, line 1: .*binary"):
        run_import(fixtures=workdir, sources=workdir / "sources")


@pytest.mark.django_db
def test_a_failure_after_records_were_written_rolls_the_whole_import_back(workdir, monkeypatch):
    run_import(fixtures=workdir)
    card = workdir / "sources" / "000_262a80a8a10a29a4.txt"
    card.write_text(card.read_text().replace("48 806 €", "48 906 €"))

    def fail():
        # Called last inside the import's transaction, after every record was written.
        assert Project.objects.get(code="S21114").realised_public_funding == Decimal("48906.00")
        raise RuntimeError("the search index could not be rebuilt")

    monkeypatch.setattr("projects.management.commands.import_sources.rebuild_search_index", fail)
    with pytest.raises(RuntimeError, match="search index"):
        run_import(fixtures=workdir, sources=workdir / "sources")

    assert Project.objects.get(code="S21114").realised_public_funding == Decimal("48806.00")


@pytest.mark.django_db
def test_a_row_given_twice_in_one_load_is_written_and_recorded_once():
    region = {"model": "projects.region", "fields": {"code": "98", "name": "Testimaa"}}
    report = LoadReport()
    load([region, region], report)
    assert report.created["projects.region"] == 1
    assert report.unchanged["projects.region"] == 1
    assert ImportRecord.objects.filter(model="projects.region", natural_key=["98"]).count() == 1
