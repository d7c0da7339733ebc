"""gunicorn settings for the portal; every value can be overridden from the environment.

Run: gunicorn esfportal.wsgi (from the project folder; this file is read automatically).
"""

import gc
import multiprocessing
import os
from pathlib import Path

import dj_database_url

bind = os.environ.get("GUNICORN_BIND", "127.0.0.1:8000")


def database_is_local() -> bool:
    """The embedded server (no DATABASE_URL), a Unix socket or a loopback address; the URL
    read as settings.py reads it."""
    url = os.environ.get("DATABASE_URL")
    host = dj_database_url.parse(url)["HOST"] if url else ""
    return host in ("", "localhost", "127.0.0.1", "::1") or host.startswith("/")


# A worker's request is CPU work, its own or its PostgreSQL backend's. With the database on
# this machine there is nothing to overlap, so one worker a core: each then stays warm in its
# core's caches. With five workers on two cores, each request spent 25 % more CPU in its
# worker (15.5 ms against 12.4 for the list at 10,000 projects) and took 40 % longer under
# two concurrent requests; see docs/performance.md. A remote database leaves the cores free
# while a worker waits on the network: gunicorn's usual 2 × cores + 1.
cores = multiprocessing.cpu_count()
workers = int(os.environ.get("GUNICORN_WORKERS", cores if database_is_local() else 2 * cores + 1))
threads = int(os.environ.get("GUNICORN_THREADS", "1"))
# A worker silent this long on one request is restarted; one streaming a response is not
# silent (post_worker_init).
timeout = int(os.environ.get("GUNICORN_TIMEOUT", "60"))
graceful_timeout = 30
keepalive = 5
# Recycle workers now and then so that no slow leak grows for ever.
max_requests = int(os.environ.get("GUNICORN_MAX_REQUESTS", "2000"))
max_requests_jitter = 200
# Load the application once in the master so workers share its memory (the Finnish
# morphology that search needs is over 200 MB) and start fast.
preload_app = True
# The portal logs each request itself, as JSON (esfportal.middleware.RequestLogMiddleware), so
# gunicorn's access log is off unless GUNICORN_ACCESS_LOG names a file ("-" for stdout).
accesslog = os.environ.get("GUNICORN_ACCESS_LOG") or None
errorlog = "-"
loglevel = os.environ.get("LOG_LEVEL", "info").lower()
forwarded_allow_ips = os.environ.get("FORWARDED_ALLOW_IPS", "127.0.0.1")


def pre_fork(server, worker):
    """Freeze what the master loaded (preload_app) before a worker is forked from it: the
    application lives as long as the worker, and frozen its objects are left out of the
    worker's garbage collections. A full collection walked them (88,000 of 130,000 objects) in
    30 of its 58 ms, and about one search request in 25 ran one; now it takes about 6 ms."""
    gc.freeze()


def when_ready(server):
    """Load in the master (preload_app), before it forks the workers, what Django would
    otherwise load on each worker's first requests: the URLconf and every view it imports,
    the translations, the number and date formats and the compiled templates. A worker, and
    each that replaces a recycled one (max_requests), then answers its first request in
    tens of ms, not 0.7 s (0.5 s of it importing the API's schema views)."""
    from django.conf import settings
    from django.template.loader import get_template
    from django.urls import get_resolver
    from django.utils import formats, translation

    for language, _name in settings.LANGUAGES:
        with translation.override(language):
            get_resolver().reverse_dict  # noqa: B018 (imports the URLconf, then indexes it)
            formats.get_format("DATE_FORMAT")
    for folder in settings.TEMPLATES[0]["DIRS"]:
        for template in Path(folder).rglob("*.html"):
            get_template(template.relative_to(folder).as_posix())


def post_worker_init(worker):
    """Keep a worker alive while it streams a response. A sync worker tells the master it is
    alive only between requests, so the master took one writing a long CSV export for hung
    after `timeout` and killed it mid-file: the export of a million projects takes 23 s at
    loopback speed, and a client reading 2 MB/s got 451,508 of its rows in 60 s, then an
    error. Now the worker tells the master before each piece it writes (that client got all
    of them, in 144 s); a request that writes nothing is still restarted after `timeout`."""
    application = worker.wsgi

    def telling_while_streaming(environ, start_response):
        response = application(environ, start_response)
        if getattr(response, "streaming", False):
            return StreamTellingTheMaster(response, worker.notify)
        return response

    worker.wsgi = telling_while_streaming


class StreamTellingTheMaster:
    """A streaming response's pieces, each written after telling gunicorn's master that the
    worker is alive; closed as the response is (Django's request_finished signal)."""

    def __init__(self, response, notify):
        self.response, self.notify = response, notify

    def __iter__(self):
        for piece in self.response:
            self.notify()
            yield piece

    def close(self):
        self.response.close()
