"""Browser tests: a real portal process on the test database, driven by Debian's Chromium."""

import os
import socket
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import pytest
from django.conf import settings as django_settings
from django.db import connection

from tests.servers import database_url

# Playwright's sync API keeps an event loop running in the test thread; the database work of
# the fixtures below is ordinary synchronous code all the same.
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")

ROOT = Path(__file__).resolve().parents[2]
AXE = ROOT / "node_modules" / "axe-core" / "axe.min.js"
CHROMIUM_FLAGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]


@pytest.fixture(scope="session")
def browser_type_launch_args(browser_type_launch_args):
    return {
        **browser_type_launch_args,
        "executable_path": os.environ.get("CHROMIUM", "/usr/bin/chromium"),
        "args": CHROMIUM_FLAGS,
    }


@pytest.fixture(scope="session")
def browser_context_args(browser_context_args):
    """Let the pages run axe-core, which Playwright injects as an inline script that the
    Content-Security-Policy refuses; test_csp.py opens its own contexts with the policy on."""
    return {**browser_context_args, "bypass_csp": True}


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


@pytest.fixture(scope="session")
def portal_url(django_db_setup, django_db_blocker):
    """Serve the portal from its own process on the test database, for the whole session.
    DEBUG=1 lets runserver serve the static files; the Content-Security-Policy is the one
    production sends."""
    with django_db_blocker.unblock():
        url = database_url(connection.settings_dict)
    port = free_port()
    # The tests' own secret key, so that the fixtures can read the sessions the portal signs.
    env = os.environ | {"DATABASE_URL": url, "DEBUG": "1", "SECRET_KEY": django_settings.SECRET_KEY}
    # A file, not a pipe: nobody reads the portal's log while it runs, and a full pipe would
    # stop it in the middle of a request.
    with tempfile.TemporaryFile() as log:
        server = subprocess.Popen(
            [sys.executable, "manage.py", "runserver", "--noreload", f"127.0.0.1:{port}"],
            cwd=ROOT,
            env=env,
            stdout=subprocess.DEVNULL,
            stderr=log,
        )
        deadline = time.monotonic() + 30
        while time.monotonic() < deadline:
            try:
                socket.create_connection(("127.0.0.1", port), timeout=0.2).close()
                break
            except OSError as error:
                if server.poll() is not None:
                    log.seek(0)
                    message = f"the portal did not start: {log.read().decode()}"
                    raise RuntimeError(message) from error
                time.sleep(0.1)
        yield f"http://127.0.0.1:{port}"
        server.terminate()
        server.wait(timeout=10)


def serious_accessibility_violations(page) -> list[str]:
    """Run axe-core on the page; return the serious and critical WCAG 2.1 AA violations."""
    page.add_script_tag(path=str(AXE))
    results = page.evaluate(
        "axe.run(document, {runOnly: {type: 'tag', values: "
        "['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa']}})"
    )
    return [
        f"{violation['id']} ({violation['impact']}): "
        + "; ".join(node["target"][0] for node in violation["nodes"][:5])
        for violation in results["violations"]
        if violation["impact"] in ("serious", "critical")
    ]
