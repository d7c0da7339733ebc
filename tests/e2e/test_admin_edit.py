"""An editor in a browser: logs in to the admin, changes a project's end date, sees it on the
public page and in the project's history, and reverts it from the history."""

import re

import pytest
from django.contrib.auth.models import Group, User
from playwright.sync_api import expect

from projects.models import Project
from projects.search import refresh_search_index
from tests.servers import remove_account

# The browser reads through the portal process; the mark makes pytest-django set up the test
# database that process serves.
pytestmark = [pytest.mark.django_db, pytest.mark.version_neutral]

SLUG = "kummin-kanssa-tyokokeiluun"
USERNAME, PASSWORD = "e2e-editor", "Kumina-muokkaus-2018"


@pytest.fixture(scope="module")
def editor_account(django_db_setup, django_db_blocker):
    """A committed editor account that the portal process can log in with; afterwards the
    account, its sessions and login records, and the project's new history rows are removed and
    the project is as it was, since other tests read the same records."""
    with django_db_blocker.unblock():
        project = Project.objects.get(slug=SLUG)
        last_history = Project.history.order_by("-history_id").first()
        user = User.objects.create_user(USERNAME, password=PASSWORD, is_staff=True)
        user.groups.add(Group.objects.get(name="editor"))
    yield project
    with django_db_blocker.unblock():
        Project.objects.filter(pk=project.pk).update(end_date=project.end_date)
        refresh_search_index([project.pk])
        Project.history.filter(
            history_id__gt=last_history.history_id if last_history else 0
        ).delete()
        remove_account(user)


def test_an_editor_changes_a_projects_end_date_and_reverts_it(page, portal_url, editor_account):
    project = editor_account
    change_page = f"/admin/projects/project/{project.pk}/change/"
    page.goto(f"{portal_url}/admin/login/?next={change_page}")
    page.fill("#id_username", USERNAME)
    page.fill("#id_password", PASSWORD)
    page.locator('input[type="submit"]').click()
    expect(page).to_have_url(portal_url + change_page)
    expect(page.locator("#id_end_date")).to_have_value("30.09.2018")

    page.fill("#id_end_date", "31.12.2018")
    page.locator('input[name="_save"]').click()
    expect(page.locator(".messagelist")).to_contain_text("Kummin kanssa työkokeiluun")

    page.goto(f"{portal_url}/hankkeet/{SLUG}/")
    expect(page.locator(".facts").first).to_contain_text("31.12.2018")

    page.goto(f"{portal_url}/admin/projects/project/{project.pk}/history/")
    latest = page.locator("#change-history tbody tr").first
    expect(latest).to_contain_text(USERNAME)
    expect(latest).to_contain_text(re.compile(r"2018-09-30\s*→\s*2018-12-31"))

    page.locator("#change-history tbody tr").last.get_by_role("link").click()
    expect(page.locator("#id_end_date")).to_have_value("30.09.2018")
    page.locator('input[name="_save"]').first.click()
    expect(page.locator(".messagelist")).to_be_visible()

    page.goto(f"{portal_url}/hankkeet/{SLUG}/")
    expect(page.locator(".facts").first).to_contain_text("30.9.2018")
    expect(page.locator(".facts").first).not_to_contain_text("31.12.2018")
