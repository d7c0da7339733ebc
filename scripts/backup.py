"""Back up the portal's database, or restore a backup into a new database on the same server.

    .venv/bin/python scripts/backup.py dump FILE
        pg_dump --format=custom of the database into FILE
    .venv/bin/python scripts/backup.py restore FILE NAME
        create the database NAME on the same server and pg_restore FILE into it

The database is DATABASE_URL's, or the embedded server's when it is unset (as for the portal).
A restore never writes into an existing database: it creates NAME, restores in one transaction
(an error leaves NAME empty) and stops at the first error; then point DATABASE_URL at NAME.
pg_dump and pg_restore are those of the oldest PostgreSQL release installed that is not older
than the server (postgres_tool): pgserver's 18 for the embedded server, Debian's 15 for a 15.
docs/deployment.md has the restore drill; tests/test_backup_restore.py runs these commands.
"""

import argparse
import glob
import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))


def database_url() -> str:
    if os.environ.get("DATABASE_URL"):
        return os.environ["DATABASE_URL"]
    from esfportal import embedded_db

    return embedded_db.database_url()


def server_major(url: str) -> int:
    import psycopg

    with psycopg.connect(url) as connection:
        return connection.info.server_version // 10000


def postgres_tool(name: str, server_major: int) -> str:
    """Return the path of `name` (pg_dump, pg_restore) of the oldest installed release that
    is not older than the server: the PATH's, Debian's or pgserver's.

    A newer pg_dump reads an older server, but the archive it writes is newer than that
    release's pg_restore reads, and a newer pg_restore sends settings an older server lacks
    (18's `SET transaction_timeout` stops a restore into 15). Dump and restore with the same.
    """
    from pgserver._commands import POSTGRES_BIN_PATH

    candidates = {
        shutil.which(name),
        *glob.glob(f"/usr/lib/postgresql/*/bin/{name}"),
        str(POSTGRES_BIN_PATH / name),
    }
    majors = {}
    for path in filter(None, candidates):
        version = subprocess.run([path, "--version"], capture_output=True, text=True, check=True)
        majors[path] = int(re.search(r"\) (\d+)", version.stdout)[1])
    usable = {path: major for path, major in majors.items() if major >= server_major}
    if not usable:
        sys.exit(f"The server runs PostgreSQL {server_major}; no {name} here is as new.")
    return min(usable, key=usable.get)


def dump(file: Path) -> None:
    url = database_url()
    subprocess.run(
        [
            postgres_tool("pg_dump", server_major(url)),
            "--format=custom",
            f"--dbname={url}",
            f"--file={file}",
        ],
        check=True,
    )
    print(f"Backed up to {file}.")


def restore(file: Path, name: str) -> None:
    import psycopg
    from psycopg import sql
    from psycopg.conninfo import make_conninfo

    url = database_url()
    with psycopg.connect(make_conninfo(url, dbname="postgres"), autocommit=True) as connection:
        if connection.execute("SELECT 1 FROM pg_database WHERE datname = %s", [name]).fetchone():
            sys.exit(f"The database {name} exists; restore into a new one.")
        connection.execute(sql.SQL("CREATE DATABASE {}").format(sql.Identifier(name)))
    subprocess.run(
        [
            postgres_tool("pg_restore", server_major(url)),
            "--no-owner",
            "--no-privileges",
            "--single-transaction",
            "--exit-on-error",
            f"--dbname={make_conninfo(url, dbname=name)}",
            str(file),
        ],
        check=True,
    )
    print(f"Restored {file} into the new database {name}.")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    commands = parser.add_subparsers(dest="command", required=True)
    dump_command = commands.add_parser("dump", help="back the database up into FILE")
    dump_command.add_argument("file", type=Path)
    restore_command = commands.add_parser("restore", help="restore FILE into a new database")
    restore_command.add_argument("file", type=Path)
    restore_command.add_argument("name", help="the new database's name")
    arguments = parser.parse_args()
    if arguments.command == "dump":
        dump(arguments.file)
    else:
        restore(arguments.file, arguments.name)


if __name__ == "__main__":
    main()
