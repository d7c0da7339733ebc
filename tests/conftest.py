import os
import subprocess
import sys
from pathlib import Path

import pytest
from django.conf import settings
from django.core.management import call_command
from django.utils import translation


@pytest.fixture(scope="session")
def django_db_setup(django_db_setup, django_db_blocker):
    """Load the committed fixtures once, with one loaddata call, into the test database, and
    build the search index over them as the import does after loading."""
    with django_db_blocker.unblock():
        call_command("loaddata", "places", "sources", "records", verbosity=0)
        call_command("rebuild_search_index", verbosity=0)


@pytest.fixture(scope="session")
def empty_static_root(tmp_path_factory) -> Path:
    return tmp_path_factory.mktemp("static-root")


@pytest.fixture(autouse=True)
def plain_static_files(settings, empty_static_root):
    """Serve static files by name: tests do not run collectstatic for the hashed manifest.
    WhiteNoise, which every test client's middleware scans STATIC_ROOT for, gets an empty
    one: collected_static() may be rewriting the project's in another test process, and a
    file it replaced between the scan's listing and its stat() failed a test."""
    settings.STORAGES = settings.STORAGES | {
        "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"}
    }
    settings.STATIC_ROOT = empty_static_root


@pytest.fixture(autouse=True)
def plain_http(settings):
    """Answer plain HTTP: production settings redirect it to HTTPS, and the test client speaks
    plain HTTP unless a test asks for secure=True."""
    settings.SECURE_SSL_REDIRECT = False


@pytest.fixture(scope="session")
def collected_static():
    """Build the hashed static files the production settings serve, once per session."""
    production = {"DEBUG": "0", "SECRET_KEY": os.environ.get("SECRET_KEY", "tests-only")}
    subprocess.run(
        [sys.executable, "manage.py", "collectstatic", "--no-input", "-v0"],
        cwd=Path(__file__).resolve().parent.parent,
        env=os.environ | production,
        check=True,
    )


@pytest.fixture(autouse=True)
def finnish_to_begin_with():
    """Start every test in Finnish: a request with another language cookie leaves that
    language active in the thread, and the next test would inherit it."""
    with translation.override(settings.LANGUAGE_CODE):
        yield


@pytest.fixture
def editor(client):
    """A client signed in as a member of the "editor" group."""
    from tests.test_admin_permissions import staff_user

    client.force_login(staff_user("eero", "editor"))
    return client
