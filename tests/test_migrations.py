"""Migrations applied to a copy of the real records, and from and back to zero.

Every migration after projects 0001 and evaluations 0001 adds tables beside the records or
indexes on them and changes no record column: projects 0002 the search tables (derived:
rebuild_search_index fills them from the records), projects 0003 and evaluations 0002 the
change history (django-simple-history), projects 0004 indexes for scale. So a database as a
deployment held it before them is the record tables at projects 0001 and evaluations 0001, with
real rows in them. The first test builds one in a scratch database on the tests' server:
migrates it to that state, copies the rows of the test database (conftest loads the real
records) with `pg_dump --data-only` of exactly the tables that state has, runs `migrate` forward
to the latest, and asserts that every row and every id sequence is as it was and that the
schema is the one the test database got by migrating from zero. The second test migrates an
empty database forward from zero and back to zero.
"""

import copy
import importlib
import re
import subprocess
from contextlib import contextmanager

import psycopg
import pytest
from django.core.management import call_command
from django.db import connection, connections
from django.db.migrations.executor import MigrationExecutor
from django.db.utils import load_backend
from psycopg import sql
from psycopg.conninfo import make_conninfo

from projects.models import ProjectSearch
from scripts.backup import postgres_tool

pytestmark = pytest.mark.django_db

ALIAS = "migrations_scratch"
# auth first: the projects app creates the staff groups after every migrate.
BEFORE_LATEST = [("auth", None), ("projects", "0001_initial"), ("evaluations", "0001_initial")]
APP_TABLES = re.compile(r"^(projects|evaluations)_")


def conninfo(database: str) -> str:
    """Return the connection string of `database` on the server the tests use."""
    params = connection.get_connection_params()
    keys = ("host", "port", "user", "password")
    return make_conninfo(**{key: params[key] for key in keys if params.get(key)}, dbname=database)


def tool(name: str) -> str:
    return postgres_tool(name, connection.pg_version // 10000)


def run(program: str, *arguments: str) -> None:
    subprocess.run([tool(program), *arguments], check=True, capture_output=True, timeout=60)


@contextmanager
def scratch_database():
    """Create an empty database beside the test database, reachable as ALIAS; drop it after."""
    name = f"{connection.settings_dict['NAME']}_migrations"
    with psycopg.connect(conninfo("postgres"), autocommit=True) as server:
        server.execute(sql.SQL("CREATE DATABASE {}").format(sql.Identifier(name)))
    # Set on this thread only, not in the settings: Django's test case then lets it connect.
    scratch = copy.deepcopy(connection.settings_dict) | {"NAME": name}
    connections[ALIAS] = load_backend(scratch["ENGINE"]).DatabaseWrapper(scratch, ALIAS)
    try:
        yield name
    finally:
        connections[ALIAS].close()
        del connections[ALIAS]
        with psycopg.connect(conninfo("postgres"), autocommit=True) as server:
            server.execute(sql.SQL("DROP DATABASE {} WITH (FORCE)").format(sql.Identifier(name)))


def app_tables(database: str) -> list[str]:
    with psycopg.connect(conninfo(database)) as db:
        tables = db.execute(
            "SELECT table_name FROM information_schema.tables"
            " WHERE table_schema = 'public' AND table_type = 'BASE TABLE' ORDER BY table_name"
        )
        return [table for (table,) in tables if APP_TABLES.match(table)]


def rows_and_sequences(database: str, tables: list[str]) -> dict:
    """Return each table's row count and rows' md5, and its id sequence's position."""
    digest = "SELECT count(*), md5(coalesce(string_agg(t::text, E'\\n' ORDER BY t::text), ''))"
    with psycopg.connect(conninfo(database)) as db:
        rows = {
            table: db.execute(
                sql.SQL(digest + " FROM {} AS t").format(sql.Identifier(table))
            ).fetchone()
            for table in tables
        }
        sequences = db.execute(
            "SELECT sequencename, last_value FROM pg_sequences"
            " WHERE sequencename = ANY(%s) ORDER BY sequencename",
            [[f"{table}_id_seq" for table in tables]],
        ).fetchall()
    return {"rows": rows, "sequences": sequences}


def schema(database: str) -> str:
    """Return the schema as pg_dump prints it, without its per-dump random \\restrict key."""
    dump = subprocess.run(
        [tool("pg_dump"), "--schema-only", f"--dbname={conninfo(database)}"],
        check=True,
        capture_output=True,
        text=True,
        timeout=60,
    ).stdout
    return re.sub(r"^\\(un)?restrict .*$", "", dump, flags=re.MULTILINE)


def migrate(*target: str) -> None:
    call_command("migrate", *target, database=ALIAS, verbosity=0)


def test_the_real_records_survive_every_migration_after_the_first_unchanged(tmp_path):
    test_database = connection.settings_dict["NAME"]
    with scratch_database() as scratch:
        for target in BEFORE_LATEST:
            migrate(*filter(None, target))
        record_tables = app_tables(scratch)
        data = tmp_path / "records.dump"
        tables = [f"--table={table}" for table in record_tables]
        run("pg_dump", "--data-only", "-Fc", f"--file={data}", *tables, conninfo(test_database))
        run(
            "pg_restore", "--data-only", "--disable-triggers", "--single-transaction",
            "--exit-on-error", f"--dbname={conninfo(scratch)}", str(data),
        )  # fmt: skip
        copied = rows_and_sequences(scratch, record_tables)

        migrate()

        assert record_tables and set(record_tables) < set(app_tables(scratch))
        assert copied["rows"]["projects_project"][0] == 30 and copied["sequences"]
        assert rows_and_sequences(scratch, record_tables) == copied
        assert copied == rows_and_sequences(test_database, record_tables)
        assert schema(scratch) == schema(test_database)


def test_an_empty_database_migrates_forward_from_zero_and_back_to_zero():
    with scratch_database() as scratch:
        migrate()
        assert app_tables(scratch) == app_tables(connection.settings_dict["NAME"])
        executor = MigrationExecutor(connections[ALIAS])
        assert executor.migration_plan(executor.loader.graph.leaf_nodes()) == []

        migrate("projects", "zero")

        assert app_tables(scratch) == []


def test_the_search_rows_get_their_projects_regions_and_target_groups_when_migrated():
    backfill = importlib.import_module(
        "projects.migrations.0013_search_rows_hold_places_and_groups"
    )
    built = {
        row.project_id: (row.regions, row.target_groups) for row in ProjectSearch.objects.all()
    }
    ProjectSearch.objects.update(regions=[], target_groups=[])

    with connection.cursor() as cursor:
        cursor.execute(backfill.BACKFILL)

    migrated = {
        row.project_id: (row.regions, row.target_groups) for row in ProjectSearch.objects.all()
    }
    assert migrated == built
    assert sum(len(groups) for _regions, groups in migrated.values()) == 67
