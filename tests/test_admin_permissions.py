"""Who may do what in the admin: anonymous visitors, viewers, editors and superusers, on the
list, change and delete pages; and the roles created after migrate."""

import datetime

import pytest
from django.contrib import admin
from django.contrib.auth.models import Group, User
from django.urls import reverse

from projects.models import Outcome, Project

pytestmark = pytest.mark.django_db

SLUG = "kummin-kanssa-tyokokeiluun"


# -- Personas and a change form's data, shared by the other admin tests --------------------


def staff_user(username: str, role: str | None = None, *, superuser: bool = False) -> User:
    """Return a staff account in the "editor" or "viewer" group (password "pw")."""
    if superuser:
        return User.objects.create_superuser(username, f"{username}@example.fi", "pw")
    user = User.objects.create_user(username, f"{username}@example.fi", "pw", is_staff=True)
    user.groups.add(Group.objects.get(name=role))
    return user


def change_url(record) -> str:
    return reverse(
        f"admin:{record._meta.app_label}_{record._meta.model_name}_change", args=[record.pk]
    )


def form_data(response) -> dict:
    """Return what a browser would post back from an admin change form as it was shown: every
    field of the form and of its inline formsets, with their management forms."""
    data = {}
    forms = [response.context["adminform"].form]
    for inline in response.context.get("inline_admin_formsets", []):
        forms += [inline.formset.management_form, *inline.formset.forms]
    for form in forms:
        for name in form.fields:
            value = form[name].value()
            if value is None or value is False:
                continue
            if isinstance(value, list | tuple):
                value = [str(item) for item in value]
            data[form.add_prefix(name)] = value
    return data


def post_change(client, record, **changes):
    """Open a record's change page as a person would, change some fields, and save."""
    url = change_url(record)
    data = form_data(client.get(url)) | {name: str(value) for name, value in changes.items()}
    return client.post(url, data)


@pytest.fixture
def project():
    return Project.objects.get(slug=SLUG)


@pytest.fixture
def viewer(client):
    client.force_login(staff_user("vera", "viewer"))
    return client


@pytest.fixture
def superuser(client):
    client.force_login(staff_user("sanna", superuser=True))
    return client


# -- Anonymous -----------------------------------------------------------------------------


def admin_pages():
    """Yield the list page of every model in the admin."""
    for model in admin.site._registry:
        yield reverse(f"admin:{model._meta.app_label}_{model._meta.model_name}_changelist")


@pytest.mark.parametrize("url", ["/admin/", *admin_pages()])
def test_every_admin_page_sends_an_anonymous_visitor_to_the_login(client, url):
    response = client.get(url)
    assert response.status_code == 302
    assert response["Location"].startswith("/admin/login/")


def test_an_anonymous_visitor_cannot_open_or_delete_a_project(client, project):
    for url in (change_url(project), reverse("admin:projects_project_delete", args=[project.pk])):
        assert client.get(url)["Location"].startswith("/admin/login/")
        assert client.post(url, {"post": "yes"})["Location"].startswith("/admin/login/")
    assert Project.objects.filter(pk=project.pk).exists()


# -- Viewer --------------------------------------------------------------------------------


def test_a_viewer_sees_the_list_and_a_read_only_project(viewer, project):
    assert viewer.get(reverse("admin:projects_project_changelist")).status_code == 200
    response = viewer.get(change_url(project))
    assert response.status_code == 200
    assert 'name="_save"' not in response.text
    assert "Kummin kanssa työkokeiluun" in response.text


def test_a_viewer_cannot_save_delete_or_revert(viewer, project):
    response = viewer.post(change_url(project), {"name": "Muutettu"})
    assert response.status_code == 403
    delete = reverse("admin:projects_project_delete", args=[project.pk])
    assert viewer.get(delete).status_code == 403
    assert viewer.post(delete, {"post": "yes"}).status_code == 403
    version = Project.history.bulk_history_create([project])[0]
    revert = reverse("admin:projects_project_simple_history", args=[project.pk, version.pk])
    assert viewer.get(revert).status_code == 200
    assert viewer.post(revert, {"name": "Muutettu"}).status_code == 403
    assert Project.objects.get(pk=project.pk).name == "Kummin kanssa työkokeiluun"


def test_a_viewer_sees_contact_persons_in_the_admin(viewer):
    project = Project.objects.get(slug="pakolaistaustaisten-ohjaus")
    response = viewer.get(change_url(project))
    assert "Anna-Mari Väänänen" in response.text


# -- Editor --------------------------------------------------------------------------------


def test_an_editor_changes_a_project(editor, project):
    response = post_change(editor, project, end_date="2018-12-31")
    assert response.status_code == 302, response.context["adminform"].form.errors
    assert Project.objects.get(pk=project.pk).end_date == datetime.date(2018, 12, 31)


def test_an_editor_deletes_an_outcome(editor):
    outcome = Outcome.objects.first()
    url = reverse("admin:projects_outcome_delete", args=[outcome.pk])
    assert editor.post(url, {"post": "yes"}).status_code == 302
    assert not Outcome.objects.filter(pk=outcome.pk).exists()


def test_an_editor_deletes_a_project(editor, project):
    url = reverse("admin:projects_project_delete", args=[project.pk])
    assert editor.get(url).status_code == 200
    assert editor.post(url, {"post": "yes"}).status_code == 302
    assert not Project.objects.filter(pk=project.pk).exists()


def test_an_editor_cannot_manage_users(editor):
    assert editor.get(reverse("admin:auth_user_changelist")).status_code == 403


# -- Superuser -----------------------------------------------------------------------------


@pytest.mark.parametrize("url", ["/admin/", *admin_pages()])
def test_a_superuser_opens_every_admin_list(superuser, url):
    assert superuser.get(url).status_code == 200


def test_a_superuser_opens_every_kind_of_change_page(superuser):
    for model in admin.site._registry:
        record = model._default_manager.first()
        if record is not None:
            assert superuser.get(change_url(record)).status_code == 200, model


def test_a_superuser_manages_users(superuser):
    assert superuser.get(reverse("admin:auth_user_changelist")).status_code == 200


# -- Roles ---------------------------------------------------------------------------------


def test_migrate_creates_the_editor_and_viewer_roles():
    editor = set(Group.objects.get(name="editor").permissions.values_list("codename", flat=True))
    viewer = set(Group.objects.get(name="viewer").permissions.values_list("codename", flat=True))
    assert {"view_project", "add_project", "change_project", "delete_project"} <= editor
    assert {"change_report", "delete_contactperson"} <= editor
    assert "change_user" not in editor and "view_user" not in editor
    assert "view_project" in viewer and "view_report" in viewer
    assert all(codename.startswith("view_") for codename in viewer)


@pytest.mark.parametrize(
    ("language", "log_out"), [("fi", "Kirjaudu ulos"), ("sv", "Logga ut"), ("en", "Log out")]
)
def test_the_admin_speaks_the_language_chosen_with_the_switcher(
    editor, settings, language, log_out
):
    editor.cookies[settings.LANGUAGE_COOKIE_NAME] = language
    response = editor.get(reverse("admin:projects_project_changelist"))
    assert f'<html lang="{language}"' in response.text
    assert log_out in response.text
