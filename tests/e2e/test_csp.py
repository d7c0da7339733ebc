"""Every kind of page works under the Content-Security-Policy: the browser reports no
violation on the portal's pages, the API docs and the admin."""

import pytest
from django.contrib.auth.models import User

from projects.models import Project
from tests.servers import remove_account

# The browser reads through the portal process; the mark makes pytest-django set up the test
# database that process serves.
pytestmark = [pytest.mark.django_db, pytest.mark.version_neutral]

USERNAME, PASSWORD = "e2e-csp-admin", "Sisalto-turva-2026"
SLUG = "kummin-kanssa-tyokokeiluun"
PUBLIC_PAGES = ["/", "/hankkeet/", f"/hankkeet/{SLUG}/", "/haku/?q=maahanmuuttaja", "/tilastot/"]

# Runs in each page before its own scripts, where the policy cannot stop it.
RECORD_VIOLATIONS = """
window.cspViolations = [];
document.addEventListener("securitypolicyviolation", (event) => {
  window.cspViolations.push(`${event.violatedDirective} ${event.blockedURI}`);
});
"""


@pytest.fixture
def policed_page(browser, portal_url):
    """A page in a browser context that enforces the policy (the other e2e tests bypass it),
    and the console messages that mention it."""
    context = browser.new_context(base_url=portal_url)
    # The admin's change form is a heavy page to load on a busy two-core machine.
    context.set_default_timeout(60_000)
    context.add_init_script(RECORD_VIOLATIONS)
    page = context.new_page()
    messages = []

    def keep_policy_messages(message):
        if "Content Security Policy" in message.text:
            messages.append(message.text)

    page.on("console", keep_policy_messages)
    yield page, messages
    context.close()


def violations(page, messages) -> list[str]:
    return page.evaluate("window.cspViolations") + messages


@pytest.fixture(scope="module")
def admin_account(django_db_setup, django_db_blocker):
    """A committed superuser the portal process can log in with, removed afterwards with its
    sessions and login records."""
    with django_db_blocker.unblock():
        user = User.objects.create_superuser(USERNAME, password=PASSWORD)
        project = Project.objects.get(slug=SLUG)
    yield project
    with django_db_blocker.unblock():
        remove_account(user)


@pytest.mark.parametrize("path", PUBLIC_PAGES)
def test_a_portal_page_breaks_no_rule_of_the_policy(policed_page, path):
    page, messages = policed_page
    response = page.goto(path)
    assert response.status == 200
    assert "unsafe-inline" not in response.headers["content-security-policy"]
    page.wait_for_load_state("load")
    assert violations(page, messages) == []


def test_the_browser_refuses_and_reports_an_inline_handler_the_portal_did_not_sign(
    policed_page,
):
    page, _messages = policed_page
    page.goto("/")
    refused = page.evaluate(
        """() => new Promise((resolve) => {
          document.addEventListener("securitypolicyviolation", (event) => {
            resolve(event.violatedDirective);
          });
          document.body.insertAdjacentHTML(
            "beforeend", '<img src="/missing.png" onerror="document.title = 1">'
          );
        })"""
    )
    assert refused == "script-src-attr"
    assert page.title() != "1"


def test_the_filters_still_update_the_list_under_the_policy(policed_page):
    page, messages = policed_page
    page.goto("/hankkeet/")
    assert page.locator("form.filter-form--live").count() == 1
    assert violations(page, messages) == []


def test_the_api_docs_draw_the_operations_under_the_policy(policed_page):
    page, messages = policed_page
    page.goto("/api/docs/")
    page.wait_for_selector(".opblock-summary")
    assert page.locator(".opblock-summary").count() >= 2
    assert violations(page, messages) == []


def test_the_admin_works_under_the_policy(policed_page, admin_account):
    page, messages = policed_page
    project = admin_account
    page.goto("/admin/login/")
    page.fill("#id_username", USERNAME)
    page.fill("#id_password", PASSWORD)
    page.locator('input[type="submit"]').click()
    page.wait_for_url("**/admin/")
    seen = {}
    for path in [
        "/admin/",
        "/admin/projects/project/",
        f"/admin/projects/project/{project.pk}/change/",
        f"/admin/projects/project/{project.pk}/history/",
    ]:
        assert page.goto(path).status == 200, path
        page.wait_for_load_state("load")
        seen[path] = violations(page, messages)
    assert seen == {path: [] for path in seen}
    # The admin's own scripts ran: the date widgets got their calendar buttons.
    page.goto(f"/admin/projects/project/{project.pk}/change/")
    assert page.locator(".datetimeshortcuts").count() >= 1
