"""gunicorn.conf.py: what it does to each worker beyond gunicorn's own settings."""

import gc
import importlib.util
import multiprocessing
import subprocess
import sys
from types import SimpleNamespace

import pytest
from django.conf import settings
from django.core import signals
from django.db import close_old_connections
from django.http import HttpResponse, StreamingHttpResponse

CONF = settings.BASE_DIR / "gunicorn.conf.py"


def load_conf():
    spec = importlib.util.spec_from_file_location("gunicorn_conf", CONF)
    gunicorn_conf = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(gunicorn_conf)
    return gunicorn_conf


@pytest.mark.parametrize(
    ("database_url", "on_this_machine"),
    [
        (None, True),  # the embedded server
        ("postgres://esf@localhost/esf", True),
        ("postgres://esf@127.0.0.1:5433/esf", True),
        ("postgres:///esf?host=/var/run/postgresql", True),
        ("postgres://%2Fvar%2Frun%2Fpostgresql/esf", True),
        ("postgres://esf@db.internal:5432/esf", False),
        ("postgres://esf@10.0.0.5/esf", False),
    ],
)
def test_one_worker_a_core_when_the_database_shares_the_machine(
    monkeypatch, database_url, on_this_machine
):
    monkeypatch.delenv("GUNICORN_WORKERS", raising=False)
    if database_url is None:
        monkeypatch.delenv("DATABASE_URL", raising=False)
    else:
        monkeypatch.setenv("DATABASE_URL", database_url)
    cores = multiprocessing.cpu_count()
    assert load_conf().workers == (cores if on_this_machine else 2 * cores + 1)


def test_the_environment_sets_the_workers(monkeypatch):
    monkeypatch.setenv("GUNICORN_WORKERS", "7")
    assert load_conf().workers == 7


def test_the_loaded_application_is_frozen_before_a_worker_is_forked():
    gunicorn_conf = load_conf()
    frozen_before = gc.get_freeze_count()
    try:
        gunicorn_conf.pre_fork(server=None, worker=None)
        # Django and the portal's modules at least
        assert gc.get_freeze_count() > frozen_before + 10_000
    finally:
        gc.unfreeze()


def test_the_master_loads_the_urlconf_and_templates_before_forking_a_worker():
    # In a process of its own, as this one has long imported the URLconf and every view.
    script = f"""
import importlib.util, sys
import django
django.setup()
from django.db import connection
from django.template import engines
spec = importlib.util.spec_from_file_location("gunicorn_conf", {str(CONF)!r})
gunicorn_conf = importlib.util.module_from_spec(spec)
spec.loader.exec_module(gunicorn_conf)
loader = engines["django"].engine.template_loaders[0]
before = "esfportal.urls" in sys.modules, len(loader.get_template_cache)
gunicorn_conf.when_ready(server=None)
after = "esfportal.urls" in sys.modules, "drf_spectacular.views" in sys.modules
cached = "projects/project_detail.html" in loader.get_template_cache
# no connection that the forked workers would share
print(before, after, cached, connection.connection is None)
"""
    result = subprocess.run(
        [sys.executable, "-c", script], capture_output=True, text=True, cwd=settings.BASE_DIR
    )
    assert result.stdout.split("\n")[0] == "(False, 0) (True, True) True True", result.stderr


def test_a_worker_streaming_a_response_tells_the_master_it_is_alive_before_each_piece():
    # A sync worker's master restarts a worker silent for `timeout`, and a worker writing a
    # long export is busy in one request all the while.
    written, told, closed = [], [], []

    def export():
        try:
            yield from ["header", "rows 1-2000", "rows 2001-4000"]
        finally:
            closed.append(True)

    responses = {"/hankkeet.csv": StreamingHttpResponse(export()), "/": HttpResponse("page")}
    worker = SimpleNamespace(
        wsgi=lambda environ, start_response: responses[environ["PATH_INFO"]],
        notify=lambda: told.append(len(written)),
    )
    load_conf().post_worker_init(worker)

    streamed = worker.wsgi({"PATH_INFO": "/hankkeet.csv"}, None)
    for piece in streamed:
        written.append(piece)
        if len(written) == 2:
            break  # the client went away
    # As Django's test client does: the response's close() would close this process's
    # connections (close_old_connections), which tests may not touch here.
    signals.request_finished.disconnect(close_old_connections)
    try:
        streamed.close()
    finally:
        signals.request_finished.connect(close_old_connections)
    assert written == [b"header", b"rows 1-2000"]
    assert told == [0, 1]  # before each piece written
    assert closed == [True]  # the export's own generator closed with the response
    assert worker.wsgi({"PATH_INFO": "/"}, None) is responses["/"]
