"""CSV export of exactly the filtered list, with the chosen columns."""

import csv
import io
import os
import subprocess
import sys
from urllib.parse import quote, urlencode

import pytest
from django.conf import settings
from django.db import connection

pytestmark = pytest.mark.django_db


def export(client, query) -> tuple[object, list[list[str]]]:
    response = client.get("/hankkeet.csv", query)
    text = b"".join(response.streaming_content).decode("utf-8") if response.streaming else ""
    return response, list(csv.reader(io.StringIO(text.lstrip("\ufeff"))))


def test_the_export_has_exactly_the_filtered_projects(client):
    response, rows = export(client, {"round": "kotona-suomessa-3", "region": "01"})
    assert response.status_code == 200
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    assert response["Content-Disposition"].startswith('attachment; filename="esr-hankkeet-')
    assert len(rows) == 1 + 5
    assert rows[1][1] == "Matkalla työelämään"  # sorted by name like the list


def test_the_export_starts_with_a_byte_order_mark_for_excel(client):
    response = client.get("/hankkeet.csv", {"status": "rejected"})
    assert b"".join(response.streaming_content).startswith("\ufeff".encode())


def test_chosen_columns_come_in_their_fixed_order(client):
    _, rows = export(
        client, {"status": "rejected", "columns": ["applied_total", "name", "regions"]}
    )
    assert len(rows) == 2
    assert len(rows[0]) == 3
    assert rows[1] == ["Kaveria ei jätetä", "Etelä-Savo", "216618.00"]


def test_lists_are_joined_dates_iso_and_missing_values_empty(client):
    _, rows = export(
        client,
        {
            "q": "Kaiku",
            "columns": ["name", "municipalities", "target_groups", "start_date", "approved_total"],
        },
    )
    assert rows[1] == [
        "Kaiku",
        "Joensuu; Kontiolahti",
        "Pitkäaikaistyöttömät ja vaikeasti työllistyvät; Syrjäytymisvaarassa olevat; Työttömät",
        "2015-08-01",
        "",
    ]


def test_implementers_and_links_are_in_the_default_columns(client):
    _, rows = export(client, {"implementer": "koulutuskuntayhtyma-tavastia"})
    header, first = rows[0], rows[1]
    implementers = first[header.index(rows[0][5])]
    assert "Koulutuskuntayhtymä Tavastia (main)" in implementers
    assert first[-1] == "http://testserver/hankkeet/hyva-alku-hameessa/"


def test_bad_filters_export_nothing_and_say_why(client):
    response = client.get("/hankkeet.csv", {"round": "no-such-round"})
    assert response.status_code == 400
    assert "no-such-round" in response.content.decode()


def test_unknown_columns_export_nothing(client):
    response = client.get("/hankkeet.csv", {"columns": "password"})
    assert response.status_code == 400
    assert "password" in response.content.decode()


def test_no_contact_person_data_is_exported(client):
    _, rows = export(client, {})
    text = "\n".join(",".join(row) for row in rows)
    assert len(rows) == 31
    assert "@" not in text.replace("http://", "")


def test_the_export_reads_its_rows_as_it_writes_them():
    """A server handles a request in autocommit, where Django declares a server-side cursor
    WITH HOLD: PostgreSQL then computes every row before the first can be fetched (18 s at a
    million projects). Run the export as a server does, in a process of its own outside the
    tests' transaction, and look at its cursor after the first piece of rows."""
    params = connection.get_connection_params()
    server = urlencode({name: params[name] for name in ("host", "port") if params.get(name)})
    user, password = (quote(params.get(name) or "", safe="") for name in ("user", "password"))
    url = f"postgres://{user}:{password}@/{params['dbname']}?{server}"
    script = """
import django
django.setup()
from django.db import connection
from django.test import Client
from projects import exports
exports.ROWS_PER_PIECE = 10
response = Client().get("/hankkeet.csv")
pieces = iter(response.streaming_content)
next(pieces)  # the header
rows = next(pieces).decode().count(chr(10))
with connection.cursor() as cursor:
    cursor.execute("SELECT is_holdable FROM pg_cursors")
    print(rows, *(holdable for (holdable,) in cursor.fetchall()))
response.close()
"""
    environment = os.environ | {
        "DATABASE_URL": url,
        "DEBUG": "1",
        "ALLOWED_HOSTS": "testserver",
    }
    result = subprocess.run(
        [sys.executable, "-c", script],
        capture_output=True,
        text=True,
        cwd=settings.BASE_DIR,
        env=environment,
    )
    # a piece of 10 rows written, the cursor still open and not filled ahead
    assert result.stdout.split() == ["10", "False"], result.stderr
