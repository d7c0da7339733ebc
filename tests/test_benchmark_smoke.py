"""The benchmark (scripts/benchmark.py) as a smoke test: every page of its mix and the CSV
export, served by gunicorn with production settings, on 20,000 synthetic projects in a
throwaway embedded PostgreSQL server of its own. It fails if any request errs; it times
nothing that could fail the test."""

import os
import re
import subprocess
import sys
from pathlib import Path

import pytest

from scripts import benchmark

ROOT = Path(__file__).resolve().parent.parent

pytestmark = pytest.mark.stack


def test_every_page_of_the_benchmark_answers_on_20000_synthetic_projects(
    collected_static, tmp_path
):
    env = {**os.environ, "ESF_PGDATA": str(tmp_path / "pgdata"), "DEBUG": "1"}
    env.pop("DATABASE_URL", None)

    def run(*command: str) -> str:
        result = subprocess.run(
            [sys.executable, *command], cwd=ROOT, env=env, capture_output=True, text=True
        )
        assert result.returncode == 0, (
            f"{command}:\n{result.stdout[-3000:]}\n{result.stderr[-3000:]}"
        )
        return result.stdout

    try:
        run("manage.py", "migrate", "--no-input", "-v0")
        run("manage.py", "generate_synthetic", "--projects", "20000")
        report = run(
            "scripts/benchmark.py",
            "--label",
            "smoke",
            "--smoke",
            "--no-collectstatic",
            "--workers",
            "2",
        )
    finally:
        subprocess.run([sys.executable, "-m", "esfportal.embedded_db", "stop"], cwd=ROOT, env=env)

    assert "## smoke: 20 000 projects" in report
    assert "| list (`/hankkeet/`) |" in report
    assert f"Python: CPython {sys.version.split()[0]} (" in report
    assert re.search(
        r"Host speed: a fixed template render took \d+\.\d ms before the load and \d+\.\d ms",
        report,
    )


@pytest.mark.parametrize(
    ("configured", "named"),
    [
        ("'--prefix=/opt/py' '--enable-optimizations' '--with-lto'", "(PGO + LTO)"),
        ("'--prefix=/root/.pyenv/versions/3.12.1' '--enable-shared'", "(no PGO or LTO)"),
    ],
)
def test_the_report_says_whether_the_interpreter_is_an_optimized_build(
    monkeypatch, configured, named
):
    monkeypatch.setattr(benchmark.sysconfig, "get_config_var", lambda name: configured)
    assert benchmark.interpreter() == f"CPython {sys.version.split()[0]} {named}"
