"""The fault scripts in a reduced form: PostgreSQL restarted and a gunicorn worker killed
while requests flow. scripts/faults.py builds a portal of its own (gunicorn with production
settings on its own embedded PostgreSQL server with the real records), so neither the test
database nor DATABASE_URL's server is touched; it exits non-zero if the portal misbehaved."""

import subprocess
import sys
from pathlib import Path

import pytest

pytestmark = pytest.mark.stack

ROOT = Path(__file__).resolve().parent.parent


def run_fault(*arguments: str) -> subprocess.CompletedProcess:
    result = subprocess.run(
        [sys.executable, "scripts/faults.py", *arguments, "--no-collectstatic"],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=600,
    )
    assert result.returncode == 0, f"{result.stdout[-4000:]}\n{result.stderr[-4000:]}"
    return result


def test_postgresql_restarted_under_load_gives_the_friendly_503_then_200_from_the_same_workers(
    collected_static,
):
    result = run_fault(
        "db-restart", "--threads", "3", "--before", "2", "--outage", "3", "--after", "4"
    )
    outage = next(line for line in result.stdout.splitlines() if line.strip().startswith("outage"))
    assert "'503 friendly'" in outage
    assert result.stdout.rstrip().endswith("OK")


def test_a_worker_killed_mid_request_loses_only_that_request_and_is_replaced(collected_static):
    result = run_fault("worker-kill", "--threads", "3", "--before", "2", "--after", "3")
    assert "that request: no answer" in result.stdout
    assert result.stdout.rstrip().endswith("OK")
