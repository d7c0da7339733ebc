import os
import re
import secrets
import subprocess
import sys
from pathlib import Path

import pytest
from django.core.exceptions import ImproperlyConfigured
from django.core.management import call_command
from django.db import connection

from esfportal.env import env_bool, env_int, env_list, env_str

ROOT = Path(__file__).resolve().parent.parent


def test_env_bool_reads_yes_and_no(monkeypatch):
    monkeypatch.setenv("FLAG", "yes")
    assert env_bool("FLAG", False) is True
    monkeypatch.setenv("FLAG", "0")
    assert env_bool("FLAG", True) is False


def test_env_bool_refuses_a_value_that_is_not_a_boolean(monkeypatch):
    monkeypatch.setenv("FLAG", "maybe")
    with pytest.raises(ImproperlyConfigured, match="FLAG must be one of"):
        env_bool("FLAG", False)


def test_env_int_refuses_words(monkeypatch):
    monkeypatch.setenv("COUNT", "ten")
    with pytest.raises(ImproperlyConfigured, match="COUNT must be a whole number"):
        env_int("COUNT", 1)


def test_env_list_splits_on_commas(monkeypatch):
    monkeypatch.setenv("HOSTS", "a.example, b.example,")
    assert env_list("HOSTS", []) == ["a.example", "b.example"]


def test_a_missing_required_value_names_the_variable(monkeypatch):
    monkeypatch.delenv("SECRET_KEY_FOR_TEST", raising=False)
    with pytest.raises(
        ImproperlyConfigured, match="Set the environment variable SECRET_KEY_FOR_TEST"
    ):
        env_str("SECRET_KEY_FOR_TEST")


PRODUCTION_ENV = {
    "DEBUG": "0",
    "SECRET_KEY": secrets.token_urlsafe(50),
    "ALLOWED_HOSTS": "example.org",
}
# Settings a developer's or CI's shell may hold that would make the check about them; the
# browser tests set DJANGO_ALLOW_ASYNC_UNSAFE for the whole test process.
LEFT_OUT = {
    "DJANGO_ALLOW_ASYNC_UNSAFE",
    "SECURE_SSL_REDIRECT",
    "SECURE_HSTS_SECONDS",
    "SECURE_HSTS_PRELOAD",
    "SESSION_COOKIE_SECURE",
}


def test_the_deployment_check_finds_nothing_to_warn_about_in_production():
    env = {k: v for k, v in os.environ.items() if k not in LEFT_OUT} | PRODUCTION_ENV
    result = subprocess.run(
        [sys.executable, "manage.py", "check", "--deploy", "--fail-level", "WARNING"],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
    )
    assert result.stderr == ""
    assert result.stdout.strip() == "System check identified no issues (0 silenced)."
    assert result.returncode == 0


@pytest.mark.django_db
def test_the_pages_link_hashed_static_files_that_browsers_keep_for_a_year(
    client, settings, tmp_path
):
    # Only the portal's own folder, so that compressing the admin's and the API docs' files
    # does not slow the test; the storage and WhiteNoise are production's.
    settings.STATICFILES_FINDERS = ["django.contrib.staticfiles.finders.FileSystemFinder"]
    settings.STATIC_ROOT = tmp_path
    settings.STORAGES = settings.STORAGES | {
        "staticfiles": {"BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"}
    }
    call_command("collectstatic", interactive=False, verbosity=0)

    page = client.get("/saavutettavuus/").content.decode()
    stylesheet = re.search(r'href="(/static/css/portal\.[0-9a-f]{12}\.css)"', page)[1]
    response = client.get(stylesheet, HTTP_ACCEPT_ENCODING="gzip, br")
    assert response.status_code == 200
    assert response["Cache-Control"] == "max-age=315360000, public, immutable"
    assert response["Content-Encoding"] in {"br", "gzip"}
    assert response["Content-Type"] == 'text/css; charset="utf-8"'


@pytest.mark.django_db
def test_every_connection_plans_cursors_for_their_whole_result_with_room_for_exact_bitmaps():
    # and without parallel workers
    with connection.cursor() as cursor:
        cursor.execute("SHOW cursor_tuple_fraction")
        assert cursor.fetchone() == ("1",)
        cursor.execute("SHOW work_mem")
        assert cursor.fetchone() == ("32MB",)
        cursor.execute("SHOW random_page_cost")
        assert cursor.fetchone() == ("1.1",)
        cursor.execute("SHOW max_parallel_workers_per_gather")
        assert cursor.fetchone() == ("0",)
