"""The read replica: esfportal/routers.py sends reads to it and keeps writes on the primary.

The first tests check the routing rules in-process. The others run the portal against two real
PostgreSQL servers on loopback, started here with pgserver's binaries: a primary and a streaming
replica cloned from it with `pg_basebackup -R`. A subprocess builds its settings from
DATABASE_URL and DATABASE_REPLICA_URL as production does, loads the real records into the
primary, and reports which server each query went to (observe_routing below).
"""

import contextlib
import contextvars
import csv
import io
import json
import os
import shutil
import socket
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path

import psycopg
import pytest
from django.conf import settings
from django.test import RequestFactory
from pgserver._commands import POSTGRES_BIN_PATH

from esfportal.routers import PrimaryReplicaRouter, ReadYourWritesMiddleware
from projects.models import Project

pytestmark = pytest.mark.stack

ROOT = Path(__file__).resolve().parent.parent
PORTS = range(55431, 55440)
REPLICATION_USER = "replicator"
REPLAY_TIMEOUT_S = 30
SLUG = "kummin-kanssa-tyokokeiluun"
NEW_NAME = "Kummin kanssa työkokeiluun (päivitetty)"


# The routing rules, in-process (no replica needed: the router only names aliases).


def alias_read_by(request) -> str:
    """Return the alias a read goes to while the middleware handles the request."""

    def view(request):
        return PrimaryReplicaRouter().db_for_read(Project)

    return contextvars.Context().run(ReadYourWritesMiddleware(view), request)


def test_without_a_replica_url_there_is_no_replica_alias_and_no_router():
    assert "DATABASE_REPLICA_URL" not in os.environ
    assert list(settings.DATABASES) == ["default"]
    assert settings.DATABASE_ROUTERS == []


def test_an_anonymous_get_reads_from_the_replica():
    assert alias_read_by(RequestFactory().get("/hankkeet/")) == "replica"


def test_a_post_reads_from_the_primary():
    assert alias_read_by(RequestFactory().post("/i18n/setlang/")) == "default"


def test_the_admin_reads_from_the_primary():
    assert alias_read_by(RequestFactory().get("/admin/login/")) == "default"


def test_a_request_with_a_session_reads_from_the_primary():
    request = RequestFactory().get("/hankkeet/")
    request.COOKIES[settings.SESSION_COOKIE_NAME] = "signed-in"
    assert alias_read_by(request) == "default"


def test_a_write_keeps_the_rest_of_its_request_on_the_primary_but_not_the_next_request():
    router = PrimaryReplicaRouter()

    def write_then_read(request):
        router.db_for_write(Project)
        return router.db_for_read(Project)

    def read(request):
        return router.db_for_read(Project)

    worker_thread = contextvars.Context()
    request = RequestFactory().get("/hankkeet/")
    assert worker_thread.run(ReadYourWritesMiddleware(write_then_read), request) == "default"
    assert worker_thread.run(ReadYourWritesMiddleware(read), request) == "replica"


def test_migrations_run_on_the_primary_only():
    router = PrimaryReplicaRouter()
    assert router.allow_migrate("default", "projects")
    assert not router.allow_migrate("replica", "projects")


# Two real servers.


@dataclass
class LocalServer:
    """A PostgreSQL server of pgserver's binaries, on loopback only, in a folder of ours."""

    data: Path
    port: int
    # PostgreSQL refuses to run as root; pgserver runs its own server as this user then.
    system_user: str | None

    def run(self, program: str, *args: str) -> None:
        subprocess.run(
            [str(POSTGRES_BIN_PATH / program), *args],
            user=self.system_user,
            check=True,
            capture_output=True,
            timeout=60,
        )

    def start(self) -> None:
        log = self.data.with_suffix(".log")
        self.run(
            "pg_ctl", "-D", str(self.data), "-l", str(log), "-o", f"-p {self.port}", "-w", "start"
        )

    def stop(self) -> None:
        if (self.data / "postmaster.pid").exists():
            self.run("pg_ctl", "-D", str(self.data), "-m", "immediate", "-w", "stop")

    def url(self, database: str) -> str:
        return f"postgresql://postgres@127.0.0.1:{self.port}/{database}"

    def execute(self, sql: str) -> None:
        with psycopg.connect(self.url("postgres"), autocommit=True) as connection:
            connection.execute(sql)


def free_ports(count: int) -> list[int]:
    """Return `count` ports of this test's range that nothing listens on."""
    free = []
    for port in PORTS:
        with socket.socket() as probe, contextlib.suppress(OSError):
            probe.bind(("127.0.0.1", port))
            free.append(port)
        if len(free) == count:
            return free
    raise RuntimeError(f"Fewer than {count} free ports in {PORTS}.")


def system_user() -> str | None:
    if os.geteuid() != 0:
        return None
    from pgserver.utils import ensure_folder_permissions, ensure_user_exists

    ensure_user_exists("pgserver")
    # As pgserver does before its first start: the binaries must be readable by that user.
    ensure_folder_permissions(POSTGRES_BIN_PATH, 0o555)
    ensure_folder_permissions(POSTGRES_BIN_PATH.parent / "lib", 0o444)
    return "pgserver"


PRIMARY_CONF = """
listen_addresses = '127.0.0.1'
unix_socket_directories = ''
wal_level = replica
max_wal_senders = 4
fsync = off
"""
PRIMARY_HBA = f"""
host all postgres 127.0.0.1/32 trust
host replication {REPLICATION_USER} 127.0.0.1/32 trust
"""


@pytest.fixture(scope="module")
def primary_and_replica():
    """Start a primary and a streaming replica of it; stop both and remove them afterwards."""
    user = system_user()
    folder = Path(tempfile.mkdtemp(prefix="esf-replica-"))
    if user:
        shutil.chown(folder, user)
    primary_port, replica_port = free_ports(2)
    primary = LocalServer(folder / "primary", primary_port, user)
    replica = LocalServer(folder / "replica", replica_port, user)
    try:
        primary.run(
            "initdb", "-D", str(primary.data), "-U", "postgres", "--auth=trust", "-E", "UTF8",
            "--no-sync",
        )  # fmt: skip
        with (primary.data / "postgresql.conf").open("a") as conf:
            conf.write(PRIMARY_CONF)
        (primary.data / "pg_hba.conf").write_text(PRIMARY_HBA)
        primary.start()
        primary.execute(f"CREATE ROLE {REPLICATION_USER} WITH REPLICATION LOGIN")
        primary.execute("CREATE DATABASE esfportal")
        replica.run(
            "pg_basebackup", "-h", "127.0.0.1", "-p", str(primary_port), "-U", REPLICATION_USER,
            "-D", str(replica.data), "-R", "--wal-method=stream", "--checkpoint=fast", "--no-sync",
        )  # fmt: skip
        replica.start()
        yield primary, replica
    finally:
        for server in (replica, primary):
            with contextlib.suppress(subprocess.CalledProcessError):
                server.stop()
        shutil.rmtree(folder, ignore_errors=True)


@pytest.fixture(scope="module")
def routing(primary_and_replica):
    """What observe_routing saw, run in a portal process configured for both servers."""
    primary, replica = primary_and_replica
    env = os.environ | {
        "DATABASE_URL": primary.url("esfportal"),
        "DATABASE_REPLICA_URL": replica.url("esfportal"),
        "DEBUG": "1",
        "ALLOWED_HOSTS": "testserver",
        "DJANGO_SETTINGS_MODULE": "esfportal.settings",
    }
    code = "import django; django.setup(); import tests.test_replica as t; t.observe_routing()"
    done = subprocess.run(
        [sys.executable, "-c", code], cwd=ROOT, env=env, capture_output=True, text=True, timeout=120
    )
    assert done.returncode == 0, done.stderr
    return json.loads(done.stdout.splitlines()[-1]) | {
        "ports": {"default": primary.port, "replica": replica.port}
    }


def test_each_alias_reaches_its_own_server_and_only_the_replica_is_in_recovery(routing):
    assert routing["servers"] == {
        "default": [routing["ports"]["default"], False],
        "replica": [routing["ports"]["replica"], True],
    }


def test_a_public_page_reads_from_the_replica_only(routing):
    assert routing["public page"]["status"] == 200
    assert routing["public page"]["replica"] > 0
    assert routing["public page"]["default"] == 0


def test_the_csv_export_streams_every_project_from_the_replica(routing):
    assert routing["export"]["status"] == 200
    assert routing["export"]["rows"] == 1 + 30
    assert routing["export"]["replica"] > 0
    assert routing["export"]["default"] == 0


def test_staff_in_the_admin_read_from_the_primary_only(routing):
    assert routing["admin page"]["status"] == 200
    assert routing["admin page"]["replica"] == 0
    assert routing["admin page"]["default"] > 0


def test_a_signed_in_user_reads_public_pages_from_the_primary(routing):
    assert routing["public page, signed in"]["status"] == 200
    assert routing["public page, signed in"]["replica"] == 0


def test_a_write_goes_to_the_primary_and_later_reads_there_too(routing):
    assert routing["write"]["replica"] == 0
    assert routing["write"]["default"] == 1
    assert routing["write"]["next read goes to"] == "default"


def test_the_replica_refuses_writes(routing):
    assert "cannot execute INSERT in a read-only transaction" in routing["write on the replica"]


def test_a_record_written_on_the_primary_is_read_through_the_replica(routing):
    assert routing["read after replay"] == {
        "name": NEW_NAME,
        "replica": 1,
        "default": 0,
    }


def observe_routing() -> None:
    """Load the records into the primary, make requests, reads and writes, and print as JSON
    which server answered each. Runs in the subprocess of the `routing` fixture."""
    import django
    from django.contrib.auth.models import User
    from django.core.management import call_command
    from django.db import connections, router
    from django.test import Client
    from django.test.utils import CaptureQueriesContext

    def queries_per_alias(action):
        """Run `action` in a fresh, unpinned context; return its result and query counts."""
        with (
            CaptureQueriesContext(connections["default"]) as on_primary,
            CaptureQueriesContext(connections["replica"]) as on_replica,
        ):
            result = contextvars.Context().run(action)
        return result, {"default": len(on_primary), "replica": len(on_replica)}

    def wait_for_replay() -> None:
        """Wait, bounded, until the replica has replayed everything the primary wrote."""
        with connections["default"].cursor() as cursor:
            cursor.execute("SELECT pg_current_wal_lsn()")
            (written,) = cursor.fetchone()
        deadline = time.monotonic() + REPLAY_TIMEOUT_S
        with connections["replica"].cursor() as cursor:
            while True:
                cursor.execute("SELECT pg_last_wal_replay_lsn() >= %s::pg_lsn", [written])
                if cursor.fetchone()[0]:
                    return
                if time.monotonic() > deadline:
                    raise TimeoutError(f"The replica did not replay {written} in time.")
                time.sleep(0.05)

    def server_of(alias):
        with connections[alias].cursor() as cursor:
            cursor.execute("SELECT inet_server_port(), pg_is_in_recovery()")
            return list(cursor.fetchone())

    def get(client, path):
        response, counts = queries_per_alias(lambda: client.get(path))
        return counts | {"status": response.status_code}

    def export_rows():
        response = Client().get("/hankkeet.csv")
        text = b"".join(response.streaming_content).decode("utf-8-sig")
        return {"status": response.status_code, "rows": len(list(csv.reader(io.StringIO(text))))}

    def rename_project():
        return Project.objects.filter(slug=SLUG).update(name=NEW_NAME)

    def write_on_the_replica():
        try:
            User.objects.using("replica").create(username="not-on-a-replica")
        except django.db.Error as error:
            return str(error)
        return "written"

    def read_project_name():
        return Project.objects.get(slug=SLUG).name

    def write_then_read_alias():
        rename_project()
        return router.db_for_read(Project)

    contextvars.Context().run(call_command, "migrate", verbosity=0)
    contextvars.Context().run(call_command, "loaddata", "places", "sources", "records", verbosity=0)
    wait_for_replay()
    facts = {"servers": {alias: server_of(alias) for alias in ("default", "replica")}}
    facts["public page"] = get(Client(), Project.objects.get(slug=SLUG).get_absolute_url())

    export, counts = queries_per_alias(export_rows)
    facts["export"] = export | counts

    # Sign-in writes the session on the primary; the next request must find it at once.
    staff = Client()
    contextvars.Context().run(
        lambda: staff.force_login(User.objects.create_superuser("eija", password="x" * 12))
    )
    facts["admin page"] = get(staff, "/admin/")
    facts["public page, signed in"] = get(staff, "/hankkeet/")

    next_read, counts = queries_per_alias(write_then_read_alias)
    facts["write"] = counts | {"next read goes to": next_read}
    facts["write on the replica"] = write_on_the_replica()
    wait_for_replay()
    name, counts = queries_per_alias(read_project_name)
    facts["read after replay"] = counts | {"name": name}
    print(json.dumps(facts))
