"""Backup and restore with scripts/backup.py, the commands docs/deployment.md gives: a pg_dump
of the test database (the real records, loaded by conftest) restored into a new database on the
same server holds identical rows in every table and the same sequence positions."""

import os
import subprocess
import sys
from pathlib import Path
from urllib.parse import quote, urlencode

import psycopg
import pytest
from django.db import connection
from psycopg import sql

from projects.models import Project

pytestmark = pytest.mark.django_db

ROOT = Path(__file__).resolve().parent.parent

# Every table's rows, hashed in a stable order, and every sequence's position.
TABLES = """
    SELECT table_name FROM information_schema.tables
    WHERE table_schema = 'public' AND table_type = 'BASE TABLE' ORDER BY table_name
"""
SEQUENCES = "SELECT sequencename, last_value FROM pg_sequences ORDER BY sequencename"


def database_url(name: str) -> str:
    """Return a URL for the database `name` on the server the tests use."""
    server = connection.get_connection_params()
    address = {key: server[key] for key in ("host", "port") if server.get(key)}
    return (
        f"postgresql://{quote(server.get('user', ''))}:{quote(server.get('password', ''))}"
        f"@/{quote(name)}?{urlencode(address)}"
    )


def backup(*arguments: str, database: str) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "scripts/backup.py", *arguments],
        cwd=ROOT,
        env=os.environ | {"DATABASE_URL": database_url(database)},
        capture_output=True,
        text=True,
        timeout=120,
    )


def contents(name: str) -> dict:
    """Return each table's row count and rows' md5, and each sequence's position."""
    with psycopg.connect(database_url(name)) as database:
        tables = [row[0] for row in database.execute(TABLES)]
        rows = {
            table: database.execute(
                sql.SQL(
                    "SELECT count(*), md5(coalesce(string_agg(t::text, E'\\n' ORDER BY t::text),"
                    " '')) FROM {} AS t"
                ).format(sql.Identifier(table))
            ).fetchone()
            for table in tables
        }
        return {"tables": rows, "sequences": database.execute(SEQUENCES).fetchall()}


@pytest.fixture
def restored_name():
    """The name of the database a test restores into; dropped afterwards."""
    name = f"{connection.settings_dict['NAME']}_restored"
    yield name
    with psycopg.connect(database_url("postgres"), autocommit=True) as server:
        server.execute(
            sql.SQL("DROP DATABASE IF EXISTS {} WITH (FORCE)").format(sql.Identifier(name))
        )


def test_a_restored_backup_holds_identical_records_in_every_table(tmp_path, restored_name):
    test_database = connection.settings_dict["NAME"]
    dump_file = tmp_path / "esfportal.dump"

    dumped = backup("dump", str(dump_file), database=test_database)
    assert dumped.returncode == 0, dumped.stderr
    restored = backup("restore", str(dump_file), restored_name, database=test_database)
    assert restored.returncode == 0, restored.stderr

    original, copy = contents(test_database), contents(restored_name)
    assert copy == original
    assert copy["tables"]["projects_project"][0] == Project.objects.count() == 30


def test_a_restore_refuses_to_write_into_an_existing_database(tmp_path):
    test_database = connection.settings_dict["NAME"]
    dump_file = tmp_path / "esfportal.dump"
    assert backup("dump", str(dump_file), database=test_database).returncode == 0

    refused = backup("restore", str(dump_file), test_database, database=test_database)

    assert refused.returncode != 0
    assert f"The database {test_database} exists" in refused.stderr
