"""Re-import safety seen from the admin: an editor's change survives the import and is reported,
and the import writes change history only for what it really changes."""

import datetime
import shutil
from io import StringIO
from pathlib import Path

import pytest
from django.core.management import call_command

from projects.models import Project
from tests.test_admin_permissions import SLUG, post_change, staff_user

pytestmark = pytest.mark.django_db

FIXTURES = Path(__file__).resolve().parent.parent / "fixtures"


@pytest.fixture
def workdir(tmp_path):
    """A copy of fixtures/ that a test may change."""
    shutil.copytree(FIXTURES, tmp_path / "fixtures")
    return tmp_path / "fixtures"


def run_import(**options) -> str:
    out = StringIO()
    call_command("import_sources", stdout=out, **options)
    return out.getvalue()


def test_an_edit_made_in_the_admin_survives_the_import_and_is_reported_without_new_history(
    client, workdir
):
    run_import(fixtures=workdir)
    client.force_login(staff_user("eero", "editor"))
    project = Project.objects.get(slug=SLUG)
    assert post_change(client, project, end_date="2018-12-31").status_code == 302

    output = run_import(fixtures=workdir)

    assert Project.objects.get(pk=project.pk).end_date == datetime.date(2018, 12, 31)
    assert "kept end_date='2018-12-31' (the document says '2018-09-30'" in output
    assert "projects.project: 0 created, 0 updated, 30 unchanged, 1 fields kept" in output
    # The import saved nothing, so the history holds the admin's edit only: the state before it
    # and the edit itself.
    assert [row.history_type for row in Project.history.all()] == ["~", "+"]


def test_a_field_the_import_updates_gets_a_history_row_without_a_user(workdir):
    run_import(fixtures=workdir)
    card = workdir / "sources" / "000_262a80a8a10a29a4.txt"
    card.write_text(card.read_text().replace("48 806 €", "48 906 €"))

    run_import(fixtures=workdir, sources=workdir / "sources")

    (row,) = Project.history.all()
    assert (row.slug, row.history_type, row.history_user) == (SLUG, "~", None)
    assert row.realised_public_funding == 48906
