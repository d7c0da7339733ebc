"""Change history through the admin: who changed what and when, and reverting to an earlier
version; and the search index following an admin edit."""

import datetime

import pytest
from django.core.management import CommandError, call_command
from django.urls import reverse

from evaluations.models import Report
from projects import admin_base
from projects.models import Organisation, Outcome, Project, SearchEntry, TargetGroup
from projects.search import search_projects
from tests.test_admin_permissions import SLUG, form_data, post_change

pytestmark = pytest.mark.django_db


@pytest.fixture
def project():
    return Project.objects.get(slug=SLUG)


def history_url(project) -> str:
    return reverse("admin:projects_project_history", args=[project.pk])


def test_an_imported_project_has_no_history_until_its_first_edit(project):
    assert not Project.history.filter(id=project.pk).exists()


def test_an_edit_records_the_state_before_it_and_the_change_with_its_author(editor, project):
    post_change(editor, project, end_date="2018-12-31")

    change, before = Project.history.filter(id=project.pk)
    assert (before.history_type, before.history_user, before.end_date) == (
        "+",
        None,
        datetime.date(2018, 9, 30),
    )
    assert before.history_change_reason == "As imported, before the first edit in the admin"
    assert (change.history_type, change.history_user.username) == ("~", "eero")
    assert change.end_date == datetime.date(2018, 12, 31)


def test_the_history_page_shows_who_changed_which_field_from_what_to_what(editor, project):
    post_change(editor, project, end_date="2018-12-31")

    response = editor.get(history_url(project))

    changes = response.context["page_obj"].object_list[0].history_delta_changes
    assert [(c["field"], c["old"], c["new"]) for c in changes] == [
        ("Päättymispäivä", "2018-09-30", "2018-12-31")
    ]
    assert "eero" in response.text
    assert "Kummin kanssa työkokeiluun" in response.text


def test_reverting_to_the_first_version_restores_the_earlier_values(editor, project):
    post_change(editor, project, end_date="2018-12-31", name="Kummin kanssa (muokattu)")
    before = Project.history.filter(id=project.pk).last()
    revert_url = reverse("admin:projects_project_simple_history", args=[project.pk, before.pk])

    response = editor.post(revert_url, form_data(editor.get(revert_url)))

    assert response.status_code == 302
    project.refresh_from_db()
    assert project.end_date == datetime.date(2018, 9, 30)
    assert project.name == "Kummin kanssa työkokeiluun"
    latest = Project.history.filter(id=project.pk).first()
    assert (latest.history_user.username, latest.end_date) == ("eero", datetime.date(2018, 9, 30))


def test_an_inline_edit_keeps_the_history_of_the_row_it_changed(editor, project):
    outcome = Outcome.objects.filter(project__slug="kaiku").order_by("position").first()
    kaiku = outcome.project
    url = reverse("admin:projects_project_change", args=[kaiku.pk])
    data = form_data(editor.get(url))
    prefix = next(key for key, value in data.items() if value == outcome.pk).rsplit("-", 1)[0]
    data[f"{prefix}-label"] = "osallistujaa (muokattu)"

    assert editor.post(url, data).status_code == 302

    before, *_middle, change = reversed(Outcome.history.filter(id=outcome.pk))
    assert before.label == outcome.label
    assert (change.label, change.history_user.username) == ("osallistujaa (muokattu)", "eero")


def test_an_admin_edit_refreshes_the_projects_search_row(
    editor, project, django_capture_on_commit_callbacks
):
    assert not search_projects(Project.objects.all(), "Kummitoiminta").exists()

    with django_capture_on_commit_callbacks(execute=True):
        post_change(editor, project, name="Kummitoiminta työkokeiluun")

    assert list(search_projects(Project.objects.all(), "Kummitoiminta")) == [project]


def test_an_admin_edit_of_the_target_groups_moves_the_project_in_a_search_within_them(
    editor, project, django_capture_on_commit_callbacks
):
    students = TargetGroup.objects.get(slug="opiskelijat")
    url = reverse("admin:projects_project_change", args=[project.pk])
    data = form_data(editor.get(url))
    data["target_groups"] = [*data["target_groups"], str(students.pk)]
    within = {"q": "työkokeilu", "target_group": "opiskelijat"}
    assert not editor.get("/hankkeet/", within).context["object_list"]

    with django_capture_on_commit_callbacks(execute=True):
        assert editor.post(url, data).status_code == 302

    response = editor.get("/hankkeet/", within)
    assert [found.name for found in response.context["object_list"]] == [project.name]


KIIPULA_PROJECTS = {"monet-polut-tyoelamaan", "tsempataan-yhdessa-kumppanuudella-tyoelamaan"}


def found(word: str) -> set[str]:
    return {project.slug for project in search_projects(Project.objects.all(), word)}


def entry_ids(entries) -> set[int]:
    return set(entries.values_list("pk", flat=True))


def test_renaming_an_organisation_reindexes_its_entry_and_projects_and_no_other_entry(
    editor, django_capture_on_commit_callbacks
):
    kiipula = Organisation.objects.get(slug="kiipulasaatio")
    others = SearchEntry.objects.exclude(kind="organisation", record_id=kiipula.pk)
    before = entry_ids(others)

    with django_capture_on_commit_callbacks(execute=True):
        assert post_change(editor, kiipula, name="Kvarkkisäätiö").status_code == 302

    assert SearchEntry.objects.get(kind="organisation", record_id=kiipula.pk).title == (
        "Kvarkkisäätiö"
    )
    assert found("Kvarkkisäätiö") == KIIPULA_PROJECTS
    assert entry_ids(others) == before  # not rewritten: 12 s for 50,000 at a million


def test_an_evaluation_edit_reindexes_the_evaluation_entries_and_no_organisation(
    editor, django_capture_on_commit_callbacks
):
    report = Report.objects.order_by("pk").first()
    organisations = SearchEntry.objects.filter(kind="organisation")
    before = entry_ids(organisations)

    with django_capture_on_commit_callbacks(execute=True):
        assert post_change(editor, report, title="Kvarkkiraportti").status_code == 302

    assert SearchEntry.objects.get(kind="report", record_id=report.pk).title == "Kvarkkiraportti"
    assert entry_ids(organisations) == before


def test_an_organisation_of_too_many_projects_leaves_them_to_a_command_it_names(
    editor, monkeypatch, django_capture_on_commit_callbacks
):
    monkeypatch.setattr(admin_base, "REINDEXED_IN_REQUEST_AT_MOST", 1)
    kiipula = Organisation.objects.get(slug="kiipulasaatio")

    with django_capture_on_commit_callbacks(execute=True):
        response = post_change(editor, kiipula, name="Kvarkkisäätiö")

    page = editor.get(response.url).text
    assert "manage.py rebuild_search_index --organisation kiipulasaatio" in page
    assert found("Kvarkkisäätiö") == set()  # the request did not re-index the two projects
    assert SearchEntry.objects.get(kind="organisation", record_id=kiipula.pk).title == (
        "Kvarkkisäätiö"
    )

    call_command("rebuild_search_index", organisation=["kiipulasaatio"], verbosity=0)

    assert found("Kvarkkisäätiö") == KIIPULA_PROJECTS


def test_the_command_names_an_organisation_it_does_not_know():
    with pytest.raises(CommandError, match="No organisation has the slug kiipula-oy"):
        call_command("rebuild_search_index", organisation=["kiipula-oy"], verbosity=0)
