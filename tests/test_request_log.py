"""Each request leaves one JSON line: what was asked, the answer, how long it took and for whom,
and nothing a visitor typed or a cookie held."""

import json
import logging

import pytest
from django.contrib.auth.models import User

from esfportal.logs import JsonFormatter

pytestmark = pytest.mark.django_db

SECRET_WORDS = "matti.meikalainen@example.fi"


def request_records(caplog) -> list[logging.LogRecord]:
    return [record for record in caplog.records if record.name == "esfportal.requests"]


def test_a_request_leaves_one_record_with_the_fields_of_the_request(client, caplog):
    caplog.set_level(logging.INFO, logger="esfportal.requests")
    response = client.get(
        "/hankkeet/?q=koulutus", REMOTE_ADDR="192.0.2.7", HTTP_X_REQUEST_ID="req-42"
    )
    [record] = request_records(caplog)
    assert record.method == "GET"
    assert record.path == "/hankkeet/"
    assert record.query_length == len("q=koulutus")
    assert record.status == 200
    assert record.duration_ms > 0
    assert record.bytes == len(response.content)
    assert record.user == "anonymous"
    assert record.remote_addr == "192.0.2.7"
    assert record.request_id == "req-42"


def test_the_record_has_the_status_that_was_sent(client, caplog):
    caplog.set_level(logging.INFO, logger="esfportal.requests")
    client.get("/hankkeet/no-such-project/")
    [record] = request_records(caplog)
    assert record.status == 404


def test_a_streamed_export_is_logged_without_a_size(client, caplog):
    caplog.set_level(logging.INFO, logger="esfportal.requests")
    client.get("/hankkeet.csv")
    [record] = request_records(caplog)
    assert (record.status, record.bytes) == (200, None)


def test_a_signed_in_user_is_logged_by_id_only(client, caplog):
    user = User.objects.create_user("logged-editor", email=SECRET_WORDS, is_staff=True)
    client.force_login(user)
    caplog.set_level(logging.INFO, logger="esfportal.requests")
    client.get("/")
    [record] = request_records(caplog)
    assert record.user == user.pk


def test_no_query_text_cookie_or_address_of_a_person_reaches_the_log(client, caplog):
    user = User.objects.create_user("logged-viewer", email=SECRET_WORDS)
    client.force_login(user)
    session_id = client.cookies["sessionid"].value
    caplog.set_level(logging.DEBUG)
    client.get("/haku/", {"q": SECRET_WORDS}, HTTP_COOKIE=f"sessionid={session_id}")
    written = "\n".join(JsonFormatter().format(record) for record in caplog.records)
    assert "esfportal.requests" in written
    assert SECRET_WORDS not in written
    assert "meikalainen" not in written
    assert session_id not in written


def test_a_record_is_formatted_as_one_json_line(client, caplog):
    caplog.set_level(logging.INFO, logger="esfportal.requests")
    client.get("/tilastot/")
    [record] = request_records(caplog)
    line = JsonFormatter().format(record)
    assert "\n" not in line
    entry = json.loads(line)
    assert entry["level"] == "INFO"
    assert entry["logger"] == "esfportal.requests"
    assert entry["message"] == "GET /tilastot/ 200"
    assert entry["time"].endswith("+00:00")
    assert {"method", "path", "query_length", "status", "duration_ms", "bytes", "user"} <= set(
        entry
    )


def test_a_server_error_is_logged_as_json_with_its_traceback(client, caplog, monkeypatch):
    def broken(*args, **kwargs):
        raise RuntimeError("the list broke")

    monkeypatch.setattr("django.db.backends.utils.CursorWrapper.execute", broken)
    client.raise_request_exception = False
    assert client.get("/hankkeet/").status_code == 500
    [error] = [record for record in caplog.records if record.name == "django.request"]
    entry = json.loads(JsonFormatter().format(error))
    assert entry["level"] == "ERROR"
    assert entry["message"] == "Internal Server Error: /hankkeet/"
    assert entry["status_code"] == 500
    assert "request" not in entry
    assert entry["traceback"].startswith("Traceback (most recent call last):")
    assert entry["traceback"].endswith("RuntimeError: the list broke")
    assert request_records(caplog)[0].status == 500
