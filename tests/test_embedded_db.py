"""The embedded server's traps, handled: a socket path too long for a unix socket, no
application database, and a server that must be stopped explicitly."""

import psycopg

from esfportal import embedded_db


def test_a_data_folder_with_a_long_path_still_gives_a_working_database(tmp_path, monkeypatch):
    folder = tmp_path / ("x" * 60) / ("y" * 60) / "pgdata"
    assert len(str(folder / ".s.PGSQL.5432")) > 107
    monkeypatch.setenv("ESF_PGDATA", str(folder))
    try:
        url = embedded_db.database_url()
        with psycopg.connect(url) as connection:
            name = connection.execute("SELECT current_database()").fetchone()[0]
            trgm = connection.execute(
                "SELECT 1 FROM pg_available_extensions WHERE name = 'pg_trgm'"
            ).fetchone()
        assert name == "esfportal"
        assert trgm == (1,)
    finally:
        message = embedded_db.stop()
    assert message.startswith("Stopped the embedded PostgreSQL server")
    assert embedded_db.stop().endswith("is not running.")
