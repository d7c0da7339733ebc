"""The load test in a reduced form: ten locust visitors for fifteen seconds against gunicorn
with production settings on the test database (the real records), with no failed request."""

import os
import subprocess
import sys
from pathlib import Path

import pytest
from django.db import connection

from tests.servers import database_url

pytestmark = pytest.mark.stack

ROOT = Path(__file__).resolve().parent.parent


@pytest.mark.django_db
def test_ten_visitors_for_fifteen_seconds_meet_no_failed_request(collected_static):
    result = subprocess.run(
        [
            *[sys.executable, "scripts/loadtest.py", "--no-collectstatic"],
            *["--users", "10", "--duration", "15", "--workers", "3"],
        ],
        cwd=ROOT,
        env=os.environ | {"DATABASE_URL": database_url(connection.settings_dict)},
        capture_output=True,
        text=True,
        timeout=600,
    )
    assert result.returncode == 0, f"{result.stdout[-4000:]}\n{result.stderr[-4000:]}"
    total = next(line for line in result.stdout.splitlines() if line.startswith("| **all** |"))
    requests, failures = total.split("|")[2:4]
    assert int(requests) > 0
    assert int(failures) == 0
