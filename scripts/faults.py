"""Prove that the deployed portal survives two faults while requests are flowing.

Each run builds a portal of its own: an embedded PostgreSQL server in a throwaway folder
(esfportal.embedded_db with ESF_PGDATA; DATABASE_URL is unset for everything started here, so
no other server is ever touched) holding the real records, and gunicorn with production
settings and gunicorn.conf.py on loopback. Threads then request a mix of pages, one request at
a time each, while the fault happens:

db-restart   PostgreSQL is stopped (pg_ctl stop -m fast), kept down for --outage seconds and
             started again. Every answer must be 200 or the friendly 503 page (Retry-After and
             id="service-unavailable"; the health check its JSON 503): no 500, no cut-off
             connection, none slower than --timeout. Once the server is back, the same gunicorn
             master and workers (same PIDs) must answer 200 again by themselves within
             RECOVERY_LIMIT_S.
worker-kill  A gunicorn worker is killed (SIGKILL) in the middle of a request: one whose
             request line it has received and whose headers it is still waiting for, so that
             the kill certainly lands mid-request. Workers are sync (one request at a time), so
             only that request may be lost: every other request must succeed, and the master
             must replace the worker (a new PID) and keep answering.

Usage:
    .venv/bin/python scripts/faults.py db-restart [--threads 4] [--before 5] [--outage 5]
        [--after 10] [--workers 3] [--timeout 10] [--no-collectstatic]
    .venv/bin/python scripts/faults.py worker-kill [--threads 4] [--before 5] [--after 10]
        [--workers 3] [--timeout 10] [--no-collectstatic]
Prints a summary; exits with status 1 and the broken promises if the portal misbehaved.
"""

import argparse
import contextlib
import json
import os
import re
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import threading
import time
from dataclasses import dataclass
from http.client import HTTPConnection, HTTPException
from pathlib import Path

import psutil
from benchmark import (
    ROOT,
    add_collectstatic_option,
    collect_static,
    free_port,
    setup_django,
    start_gunicorn,
)

HEALTH = "/health/"
FRIENDLY_MARKER = b'id="service-unavailable"'
RECOVERY_LIMIT_S = 10
PAUSE_BETWEEN_REQUESTS_S = 0.02
PROJECT_LINK = re.compile(r'href="(/hankkeet/[^"/?#]+/)"')
ORGANISATION_LINK = re.compile(r'href="(/organisaatiot/[^"/?#]+/)"')


@dataclass
class Answer:
    path: str
    started: float
    ended: float
    status: int | None = None  # None: no HTTP answer at all
    error: str = ""  # why there was no answer (the exception's name)
    friendly: bool = False  # a 503 that is the friendly page (or the health check's JSON)

    @property
    def outcome(self) -> str:
        if self.status is None:
            return f"no answer ({self.error})"
        if self.status == 503:
            return "503 friendly" if self.friendly else "503 unfriendly"
        return str(self.status)


def ask(port: int, path: str, timeout: float) -> Answer:
    """Request one page on a connection of its own and say how it went."""
    answer = Answer(path, time.monotonic(), 0.0)
    connection = HTTPConnection("127.0.0.1", port, timeout=timeout)
    try:
        connection.request("GET", path)
        response = connection.getresponse()
        body = response.read()
        answer.status = response.status
        answer.friendly = response.status == 503 and is_friendly(path, response, body)
    except (OSError, HTTPException) as error:
        answer.error = type(error).__name__
    finally:
        connection.close()
        answer.ended = time.monotonic()
    return answer


def is_friendly(path: str, response, body: bytes) -> bool:
    if path == HEALTH:
        return json.loads(body).get("status") == "unavailable"
    return response.getheader("Retry-After") is not None and FRIENDLY_MARKER in body


class RequestStream:
    """Threads that each request the paths in turn, one request at a time, until stopped."""

    def __init__(self, port: int, paths: list[str], threads: int, timeout: float):
        self.port, self.paths, self.timeout = port, paths, timeout
        self.answers: list[Answer] = []
        self.stopping = threading.Event()
        self.threads = [threading.Thread(target=self.run, args=(i,)) for i in range(threads)]

    def run(self, offset: int) -> None:
        turn = offset
        while not self.stopping.is_set():
            self.answers.append(ask(self.port, self.paths[turn % len(self.paths)], self.timeout))
            turn += 1
            time.sleep(PAUSE_BETWEEN_REQUESTS_S)

    def __enter__(self) -> "RequestStream":
        for thread in self.threads:
            thread.start()
        return self

    def __exit__(self, *exc) -> None:
        self.stopping.set()
        for thread in self.threads:
            thread.join()


class Portal:
    """gunicorn with production settings on an embedded PostgreSQL server of its own."""

    def __init__(self, workers: int, collect_static: bool):
        self.workers, self.collect_static = workers, collect_static
        self.folder = Path(tempfile.mkdtemp(prefix="esf-faults-"))
        # This process and everything started from it (gunicorn, the database commands)
        # share this environment.
        os.environ.pop("DATABASE_URL", None)
        os.environ["ESF_PGDATA"] = str(self.folder / "pgdata")
        os.environ["GUNICORN_MAX_REQUESTS"] = "0"  # no planned worker restarts during a run
        os.environ["LOG_LEVEL"] = "WARNING"  # the outage warnings, not a line per request
        self.port = free_port()
        self.server: subprocess.Popen | None = None

    def __enter__(self) -> "Portal":
        try:
            setup_django()  # starts the embedded server in the throwaway folder
            from django.core.management import call_command
            from django.db import connection

            call_command("migrate", verbosity=0)
            call_command("loaddata", "places", "sources", "records", verbosity=0)
            call_command("rebuild_search_index", verbosity=0)
            if self.collect_static:
                collect_static()
            connection.close()
            self.server = start_gunicorn(self.port, self.workers)
            self.wait_for_workers(lambda pids: len(pids) == self.workers)
        except BaseException:
            self.__exit__()
            raise
        return self

    def __exit__(self, *exc) -> None:
        if self.server is not None:
            self.server.terminate()
            self.server.wait(timeout=30)
        self.stop_database()
        shutil.rmtree(self.folder, ignore_errors=True)

    def stop_database(self) -> None:
        """Stop PostgreSQL with pg_ctl stop -m fast, as esfportal.embedded_db does."""
        subprocess.run(
            [sys.executable, "-m", "esfportal.embedded_db", "stop"],
            cwd=ROOT,
            check=True,
            stdout=subprocess.DEVNULL,
        )

    def start_database(self) -> None:
        subprocess.run(
            [sys.executable, "-c", "from esfportal import embedded_db; embedded_db.server()"],
            cwd=ROOT,
            check=True,
        )

    @property
    def master_pid(self) -> int:
        return self.server.pid

    def worker_pids(self) -> set[int]:
        return {child.pid for child in psutil.Process(self.master_pid).children()}

    def wait_for_workers(self, condition, limit_s: float = 30) -> set[int]:
        deadline = time.monotonic() + limit_s
        while not condition(pids := self.worker_pids()):
            if time.monotonic() > deadline:
                raise SystemExit(f"gunicorn's workers did not settle: {sorted(pids)}")
            time.sleep(0.1)
        return pids

    def pages(self, timeout: float) -> list[str]:
        """Return the mix of pages to request: real addresses found by following links."""
        listing = fetch(self.port, "/hankkeet/", timeout)
        project = PROJECT_LINK.search(listing).group(1)
        organisation = ORGANISATION_LINK.search(fetch(self.port, project, timeout)).group(1)
        return ["/", "/hankkeet/", project, "/hankkeet/?q=koulutus", organisation, HEALTH]


def fetch(port: int, path: str, timeout: float) -> str:
    connection = HTTPConnection("127.0.0.1", port, timeout=timeout)
    try:
        connection.request("GET", path)
        response = connection.getresponse()
        body = response.read().decode()
    finally:
        connection.close()
    if response.status != 200:
        raise SystemExit(f"{path} answered {response.status} before any fault")
    return body


def tally(answers: list[Answer]) -> dict[str, int]:
    counts: dict[str, int] = {}
    for answer in answers:
        counts[answer.outcome] = counts.get(answer.outcome, 0) + 1
    return dict(sorted(counts.items()))


def print_phases(phases: dict[str, list[Answer]]) -> None:
    for name, answers in phases.items():
        slowest = max((a.ended - a.started for a in answers), default=0.0)
        print(f"  {name:<8} {len(answers):>5} requests  {tally(answers)}  slowest {slowest:.2f} s")


def db_restart(args) -> list[str]:
    """Stop PostgreSQL under load, start it again; return the broken promises."""
    broken = []
    with Portal(args.workers, args.collect_static) as portal:
        pages = portal.pages(args.timeout)
        master, workers = portal.master_pid, portal.worker_pids()
        with RequestStream(portal.port, pages, args.threads, args.timeout) as stream:
            time.sleep(args.before)
            stopping = time.monotonic()
            portal.stop_database()
            down = time.monotonic()
            time.sleep(args.outage)
            starting = time.monotonic()
            portal.start_database()
            up = time.monotonic()
            time.sleep(args.after)
        workers_after = portal.worker_pids()
        alive = portal.server.poll() is None

    answers = sorted(stream.answers, key=lambda a: a.started)
    phases = {
        "before": [a for a in answers if a.started < stopping],
        "outage": [a for a in answers if stopping <= a.started < up],
        "after": [a for a in answers if a.started >= up],
    }
    # Recovered: from the first request after which every request answered 200.
    last_failure = max((a.started for a in answers if a.status != 200), default=up)
    recovered = [a for a in phases["after"] if a.started > last_failure]
    recovery_s = (recovered[0].started - up) if recovered else float("inf")

    print(f"db-restart: {args.threads} threads, gunicorn {args.workers} workers")
    print(
        f"  PostgreSQL stopped in {down - stopping:.1f} s, down {starting - down:.1f} s, "
        f"started in {up - starting:.1f} s"
    )
    print_phases(phases)
    print(f"  recovered {recovery_s:.2f} s after PostgreSQL was ready")
    print(f"  master {master} -> {master if alive else 'gone'}")
    print(f"  workers {sorted(workers)} -> {sorted(workers_after)}")

    unexpected = {
        outcome: n
        for outcome, n in tally(answers).items()
        if outcome not in ("200", "503 friendly")
    }
    if unexpected:
        broken.append(f"answers other than 200 or the friendly 503: {unexpected}")
    if not any(a.status == 503 for a in phases["outage"]):
        broken.append("no request saw the outage (no 503 while PostgreSQL was down)")
    if not all(a.status == 200 for a in phases["before"] if a.ended < stopping):
        broken.append("not every request before the outage answered 200")
    if recovery_s > RECOVERY_LIMIT_S:
        broken.append(f"not recovered within {RECOVERY_LIMIT_S} s of PostgreSQL being ready")
    if not alive or workers_after != workers:
        broken.append("gunicorn's master or workers were restarted")
    return broken


def worker_kill(args) -> list[str]:
    """Kill a worker in the middle of a request under load; return the broken promises."""
    broken = []
    with Portal(args.workers, args.collect_static) as portal:
        pages = portal.pages(args.timeout)
        master, workers = portal.master_pid, portal.worker_pids()
        with RequestStream(portal.port, pages, args.threads, args.timeout) as stream:
            time.sleep(args.before)
            victim = socket.create_connection(("127.0.0.1", portal.port), timeout=args.timeout)
            victim.sendall(b"GET /hankkeet.csv HTTP/1.1\r\nHost: 127.0.0.1\r\n")
            busy = worker_serving(portal, victim, args.timeout)
            killed_at = time.monotonic()
            os.kill(busy, signal.SIGKILL)
            victim_outcome = finish_victim(victim)
            replaced = portal.wait_for_workers(
                lambda pids: busy not in pids and len(pids) == args.workers
            )
            replaced_at = time.monotonic()
            time.sleep(args.after)
        alive = portal.server.poll() is None
        workers_after = portal.worker_pids()

    answers = stream.answers
    phases = {
        "before": [a for a in answers if a.started < killed_at],
        "during": [a for a in answers if killed_at <= a.started < replaced_at],
        "after": [a for a in answers if a.started >= replaced_at],
    }
    print(f"worker-kill: {args.threads} threads, gunicorn {args.workers} sync workers")
    print(f"  killed worker {busy} in the middle of a request; that request: {victim_outcome}")
    print(f"  replaced in {replaced_at - killed_at:.2f} s by {sorted(replaced - workers)}")
    print_phases(phases)
    print(f"  master {master} -> {master if alive else 'gone'}")
    print(f"  workers {sorted(workers)} -> {sorted(workers_after)}")

    if victim_outcome == "answered":
        broken.append("the killed worker's request was answered: the kill missed it")
    failed = [a for a in answers if a.status != 200]
    if failed:
        broken.append(f"{len(failed)} other requests failed: {tally(failed)}")
    if not phases["after"]:
        broken.append("no request was answered after the worker was replaced")
    if not alive:
        broken.append("gunicorn's master stopped")
    if len(replaced - workers) != 1 or workers - replaced != {busy}:
        broken.append("the master did not replace exactly the killed worker")
    return broken


def worker_serving(portal: Portal, client: socket.socket, timeout: float) -> int:
    """Return the PID of the worker that holds the other end of this client connection."""
    port = client.getsockname()[1]
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        for pid in portal.worker_pids():
            with contextlib.suppress(psutil.Error):
                for connection in psutil.Process(pid).net_connections(kind="tcp"):
                    if connection.raddr and connection.raddr.port == port:
                        return pid
        time.sleep(0.01)
    raise SystemExit("no worker took the request")


def finish_victim(victim: socket.socket) -> str:
    """Send the rest of the killed worker's request and say whether any answer came."""
    try:
        victim.sendall(b"\r\n")
        answered = victim.recv(1024) != b""
    except OSError as error:
        return f"no answer ({type(error).__name__})"
    finally:
        victim.close()
    return "answered" if answered else "no answer (connection closed)"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("fault", choices=["db-restart", "worker-kill"])
    parser.add_argument("--threads", type=int, default=4, help="concurrent request streams")
    parser.add_argument("--workers", type=int, default=3, help="gunicorn workers")
    parser.add_argument("--before", type=float, default=5, help="seconds of load before")
    parser.add_argument("--outage", type=float, default=5, help="seconds PostgreSQL is down")
    parser.add_argument("--after", type=float, default=10, help="seconds of load after")
    parser.add_argument("--timeout", type=float, default=10, help="longest wait for an answer")
    add_collectstatic_option(parser)
    args = parser.parse_args()
    broken = (db_restart if args.fault == "db-restart" else worker_kill)(args)
    if broken:
        raise SystemExit("FAILED:\n- " + "\n- ".join(broken))
    print("OK")


if __name__ == "__main__":
    main()
