"""Logging in to the admin: lock-out after repeated failures, and cookies a script cannot read."""

import pytest
from django.conf import settings

from tests.test_admin_permissions import staff_user

pytestmark = pytest.mark.django_db

LOGIN = "/admin/login/?next=/admin/"


@pytest.fixture
def eero(client):
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    return staff_user("eero", "editor")


def log_in(client, password, username="eero", address="127.0.0.1"):
    return client.post(LOGIN, {"username": username, "password": password}, REMOTE_ADDR=address)


def test_an_editor_logs_in_with_the_right_password(client, eero):
    response = log_in(client, "pw")
    assert response.status_code == 302
    assert client.get("/admin/").status_code == 200


def test_five_failed_logins_lock_the_username_out_for_15_minutes_even_with_the_right_password(
    client, eero
):
    for _attempt in range(4):
        assert log_in(client, "wrong").status_code == 200
    fifth = log_in(client, "wrong")
    sixth = log_in(client, "pw")

    for response in (fifth, sixth):
        assert response.status_code == 429
        assert "Logging in failed 5 times in a row" in response.text
        assert "blocked for 15 minutes" in response.text
    assert client.get("/admin/").status_code == 302


def test_a_lock_out_concerns_one_username_from_one_address(client, eero):
    staff_user("vera", "viewer")
    for _attempt in range(5):
        log_in(client, "wrong")
    assert log_in(client, "pw", address="192.0.2.7").status_code == 302
    assert log_in(client, "pw", username="vera").status_code == 302


def test_the_session_cookie_is_http_only_same_site_and_secure_outside_debug(client, eero):
    response = log_in(client, "pw")
    cookie = response.cookies[settings.SESSION_COOKIE_NAME]
    assert cookie["httponly"] and cookie["secure"]
    assert cookie["samesite"] == "Lax"
    assert cookie["max-age"] == 8 * 60 * 60
