"""Who may open and change what. Every route of the URLconf is public or staff
(esfportal.access); staff routes demand a staff login, public ones answer anyone; anonymous
visitors can post nothing but a login and a language choice; CSRF guards every form."""

from urllib.parse import urlsplit

import pytest
from django.contrib.auth.models import User
from django.contrib.contenttypes.models import ContentType
from django.db import connection
from django.test import Client
from django.urls import resolve, reverse
from django.utils.http import urlencode

from esfportal.access import PUBLIC_ROUTES, Access, routes
from evaluations.models import PracticeModel, Report
from projects.models import FundingRound, Organisation, Project, Region, SourceDocument

pytestmark = pytest.mark.django_db

ROUTES = list(routes())
PUBLIC = [route for route in ROUTES if route.access == Access.PUBLIC]
STAFF = [route for route in ROUTES if route.access == Access.STAFF]

# The record each public detail route shows, by the route's parameter.
DETAIL_MODELS = {
    "projects:project-detail": Project,
    "api:project-detail": Project,
    "projects:organisation-detail": Organisation,
    "projects:round-detail": FundingRound,
    "projects:region-detail": Region,
    "projects:source-detail": SourceDocument,
    "evaluations:report-detail": Report,
    "evaluations:practice-model-detail": PracticeModel,
}
ANONYMOUS_POSTS_ALLOWED = {"admin:login", "set_language"}


def route_id(route) -> str:
    return route.name or route.route


def example_path(route, *, missing: bool = False) -> str:
    """Return a path of the route filled with a real record's values, or with a missing one's."""
    model_admin = getattr(route.pattern.callback, "model_admin", None)

    def value(parameter: str) -> str:
        if missing:
            return "no-such-record"
        if route.name in DETAIL_MODELS:
            return str(getattr(DETAIL_MODELS[route.name].objects.order_by("pk")[0], parameter))
        if parameter == "app_label":
            return "projects"
        if parameter == "content_type_id":
            return str(ContentType.objects.get_for_model(Project).pk)
        if parameter == "url":
            return "no-such-page/"
        if model_admin and model_admin.model.objects.exists():
            return str(model_admin.model.objects.order_by("pk")[0].pk)
        return str(Project.objects.order_by("pk")[0].pk)

    path = route.path(value)
    assert resolve(path).func is route.pattern.callback, f"{path} is not {route.route}"
    return path


def sends_to_the_admin_login(client, response) -> bool:
    """Follow redirects (the admin's logout sends visitors to the admin index first) until the
    admin login, without rendering it."""
    for _hop in range(3):
        if response.status_code != 302:
            return False
        target = urlsplit(response["Location"]).path
        if target == reverse("admin:login"):
            return True
        response = client.get(target)
    return False


def writes_so_far() -> int:
    """Return the rows this transaction has inserted, updated or deleted (each test runs in
    one transaction, so a difference is a request's state change)."""
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT coalesce(sum(n_tup_ins + n_tup_upd + n_tup_del), 0)"
            " FROM pg_stat_xact_user_tables"
        )
        return cursor.fetchone()[0]


def test_every_route_of_the_urlconf_is_classified_public_or_staff():
    unclassified = [route.route for route in ROUTES if route.access is None]
    assert not unclassified, f"Add these to esfportal/access.py: {unclassified}"


def test_every_public_route_name_still_exists():
    assert {route.name for route in PUBLIC} == PUBLIC_ROUTES


def test_the_walk_reaches_the_admin_the_api_and_the_portal():
    names = {route.name for route in ROUTES}
    assert {"admin:index", "admin:projects_contactperson_change", "api:project-list"} <= names
    assert len(STAFF) > 100


@pytest.mark.parametrize("route", PUBLIC, ids=route_id)
def test_a_public_route_answers_an_anonymous_visitor(client, route):
    response = client.get(example_path(route))
    assert response.status_code in (200, 302), response.status_code


@pytest.mark.parametrize("route", [r for r in PUBLIC if r.parameters], ids=route_id)
def test_a_public_route_for_a_missing_record_is_a_404(client, route):
    assert client.get(example_path(route, missing=True)).status_code == 404


@pytest.mark.parametrize("signed_in", [False, True], ids=["anonymous", "signed-in-not-staff"])
@pytest.mark.parametrize("route", STAFF, ids=route_id)
def test_a_staff_route_sends_anyone_but_staff_to_the_admin_login(client, route, signed_in):
    if signed_in:
        client.force_login(User.objects.create(username="visitor"))
    response = client.get(example_path(route))
    assert response.status_code == 403 or sends_to_the_admin_login(client, response), response


@pytest.mark.parametrize("route", ROUTES, ids=route_id)
def test_an_anonymous_post_changes_nothing(client, route):
    path = example_path(route)
    writes_before = writes_so_far()
    response = client.post(path, {"name": "changed", "language": "en"})
    assert writes_so_far() == writes_before
    if route.name in ANONYMOUS_POSTS_ALLOWED:
        assert response.status_code < 400
    else:
        assert response.status_code in (403, 405) or sends_to_the_admin_login(client, response), (
            response
        )


@pytest.mark.parametrize("route", ROUTES, ids=route_id)
def test_a_post_without_a_csrf_token_is_refused(route):
    response = Client(enforce_csrf_checks=True).post(example_path(route), {"language": "en"})
    if getattr(route.pattern.callback, "csrf_exempt", False):
        # The API signs no one in (no session authentication), so a forged request gains
        # nothing; and it is read-only.
        assert route.name.startswith("api:") and response.status_code == 405
    else:
        assert response.status_code == 403


def test_a_language_choice_with_its_csrf_token_is_accepted():
    client = Client(enforce_csrf_checks=True)
    client.get(reverse("projects:home"))  # the language switcher's form sets the CSRF cookie
    token = client.cookies["csrftoken"].value
    response = client.post(
        reverse("set_language"), {"language": "en", "next": "/", "csrfmiddlewaretoken": token}
    )
    assert response.status_code == 302
    assert response.cookies["django_language"].value == "en"


def test_an_admin_login_without_a_csrf_token_is_refused():
    response = Client(enforce_csrf_checks=True).post(
        reverse("admin:login") + "?" + urlencode({"next": "/admin/"}),
        {"username": "root", "password": "pw"},
    )
    assert response.status_code == 403
