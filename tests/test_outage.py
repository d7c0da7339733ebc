"""While PostgreSQL cannot be reached, every page answers the friendly 503 page; once it is
back, the same pages answer again without a restart."""

import pytest
from django.conf import settings as django_settings
from django.db import InterfaceError, OperationalError

from projects.models import Project

pytestmark = pytest.mark.django_db

PAGES = ["/", "/hankkeet/", "/haku/?q=koulutus", "/tilastot/", "/api/projects/"]

# What the portal meets when the server is down, restarting, or has dropped the connection.
FAULTS = {
    "refused": (
        "django.db.backends.base.base.BaseDatabaseWrapper.ensure_connection",
        OperationalError('connection to server at "127.0.0.1", port 5432 failed: refused'),
    ),
    "closed by the server": (
        "django.db.backends.utils.CursorWrapper.execute",
        OperationalError("server closed the connection unexpectedly"),
    ),
    "already closed": (
        "django.db.backends.utils.CursorWrapper.execute",
        InterfaceError("the connection is closed"),
    ),
}


def database_down(monkeypatch, fault: str) -> None:
    target, error = FAULTS[fault]

    def fail(*args, **kwargs):
        raise error

    monkeypatch.setattr(target, fail)


@pytest.fixture
def project_page() -> str:
    return Project.objects.order_by("code").first().get_absolute_url()


@pytest.mark.parametrize("fault", FAULTS)
@pytest.mark.parametrize("path", PAGES)
def test_a_page_answers_503_with_the_outage_page_while_the_database_is_down(
    client, monkeypatch, fault, path
):
    database_down(monkeypatch, fault)
    response = client.get(path)
    assert response.status_code == 503
    assert response["Retry-After"] == "30"
    assert "no-store" in response["Cache-Control"]
    page = response.content.decode()
    assert 'id="service-unavailable"' in page
    assert "Palvelu on tilapäisesti poissa käytöstä" in page
    assert 'href="/static/css/portal.css"' in page


def test_the_project_page_answers_503_while_the_database_is_down(client, monkeypatch, project_page):
    database_down(monkeypatch, "closed by the server")
    assert client.get(project_page).status_code == 503


def test_the_outage_page_speaks_the_chosen_language(client, monkeypatch):
    client.cookies[django_settings.LANGUAGE_COOKIE_NAME] = "sv"
    database_down(monkeypatch, "refused")
    page = client.get("/hankkeet/").content.decode()
    assert '<html lang="sv">' in page
    assert "Tjänsten är tillfälligt ur bruk" in page


def test_the_pages_answer_again_once_the_database_is_back(client, monkeypatch, project_page):
    database_down(monkeypatch, "closed by the server")
    assert client.get("/hankkeet/").status_code == 503
    monkeypatch.undo()
    for path in [*PAGES, project_page]:
        assert client.get(path).status_code == 200, path


def test_the_health_check_still_answers_json_while_the_database_is_down(client, monkeypatch):
    database_down(monkeypatch, "refused")
    response = client.get("/health/")
    assert response.status_code == 503
    assert response.json() == {"status": "unavailable", "database": "unreachable"}


def test_other_errors_are_not_passed_off_as_an_outage(client, monkeypatch):
    def broken(*args, **kwargs):
        raise ValueError("a bug")

    monkeypatch.setattr("django.db.backends.utils.CursorWrapper.execute", broken)
    with pytest.raises(ValueError, match="a bug"):
        client.get("/hankkeet/")


def test_a_kept_connection_is_checked_before_it_is_reused():
    # Without the check, the first request after a database restart would fail on the
    # connection the restart broke.
    assert django_settings.DATABASES["default"]["CONN_HEALTH_CHECKS"] is True
