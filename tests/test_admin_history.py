"""Change history through the admin: who changed what and when, and reverting to an earlier
version; and the search index following an admin edit."""

import datetime

import pytest
from django.urls import reverse

from projects.models import Outcome, Project, TargetGroup
from projects.search import search_projects
from tests.test_admin_permissions import SLUG, form_data, post_change, staff_user

pytestmark = pytest.mark.django_db


@pytest.fixture
def editor(client):
    client.force_login(staff_user("eero", "editor"))
    return client


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
