"""Benchmark the portal as deployed: gunicorn with production settings on loopback.

For a fixed mix of pages it measures latency (p50/p95/p99) and throughput under concurrent
load, the number of SQL queries each page makes, and the time those same queries take run
alone in PostgreSQL, so the share that is Django's shows. It also times a CSV export of
100,000 rows (rows/s) and samples the serving worker's memory while it streams, and times a
fixed template render before and after the load (the host's speed at the hour). The results
go into a markdown section of docs/performance.md, with the machine, the commit and the size.

Usage (the database named by DATABASE_URL, or the embedded one, must hold the data):
    .venv/bin/python scripts/benchmark.py --label "1M" [--requests 200] [--concurrency 4]
        [--smoke] [--no-collectstatic] [--output docs/performance.md]
--smoke: a few requests per page, fails on any error status; used by CI at a small size.
"""

import argparse
import contextlib
import datetime
import os
import platform
import runpy
import socket
import statistics
import subprocess
import sys
import sysconfig
import threading
import time
import timeit
import urllib.parse
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from http.client import HTTPConnection
from pathlib import Path

import psutil

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
PRODUCTION_ENV = {
    "DEBUG": "0",
    "SECRET_KEY": os.environ.get("SECRET_KEY", "benchmark-only-not-a-secret"),
    "ALLOWED_HOSTS": "127.0.0.1,localhost,testserver",
    "GUNICORN_ACCESS_LOG": "/dev/null",
    "SECURE_SSL_REDIRECT": "0",
}
EXPORT_ROWS = 100_000
WARM_UP_ROUNDS = 3
# As many as production starts on this machine (gunicorn.conf.py reads the same environment).
DEFAULT_WORKERS = runpy.run_path(str(ROOT / "gunicorn.conf.py"))["workers"]
TARGET_P95_MS = {"detail": 30}
TARGET_P95_DEFAULT_MS = 200
# Up to this many projects every page has the detail page's target.
SMALL_DATA = 10_000
TARGET_QUERIES = 10
TARGET_EXPORT_ROWS_PER_S = 20_000


@dataclass
class Page:
    name: str
    path: str
    kind: str = "page"
    latencies: list[float] = field(default_factory=list)
    errors: int = 0
    queries: int = 0
    sql_alone_ms: float = 0.0
    wall_s: float = 0.0

    def percentile(self, p: float) -> float:
        ordered = sorted(self.latencies)
        if not ordered:
            return float("nan")
        index = min(len(ordered) - 1, max(0, round(p / 100 * len(ordered)) - 1))
        return ordered[index] * 1000

    @property
    def throughput(self) -> float:
        return len(self.latencies) / self.wall_s if self.wall_s else 0.0


def setup_django() -> None:
    os.environ.update(PRODUCTION_ENV)
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "esfportal.settings")
    import django

    django.setup()


def choose_pages() -> list[Page]:
    """Pick the mix from the data: common values for filters, real slugs, real words."""
    from django.db.models import Count

    from projects.models import FundingRound, Organisation, Project, Region

    round_ = FundingRound.objects.annotate(n=Count("projects")).order_by("-n").first()
    region = Region.objects.annotate(n=Count("projects")).order_by("-n").first()
    organisation = Organisation.objects.annotate(n=Count("implementations")).order_by("-n").first()
    project = Project.objects.order_by("id")[Project.objects.count() // 2]
    deep_page = max(1, min(400, Project.objects.count() // 25 // 2))
    three_filters = urllib.parse.urlencode(
        {"round": round_.slug, "region": region.code, "status": "ended"}
    )
    return [
        Page("list", "/hankkeet/"),
        Page("list, three filters", f"/hankkeet/?{three_filters}"),
        Page("search, common word + facets", "/hankkeet/?q=maahanmuuttajat"),
        Page("search, rare word + facets", "/hankkeet/?q=kielisalkku"),
        Page("search, misspelling + facets", "/hankkeet/?q=tyollistyminen"),
        Page("search page", "/haku/?q=koulutus"),
        Page("deep page", f"/hankkeet/?page={deep_page}"),
        Page("project detail", project.get_absolute_url(), kind="detail"),
        Page("organisation page", organisation.get_absolute_url()),
        Page("API list", f"/api/projects/?{three_filters}"),
    ]


def measure_queries(pages: list[Page]) -> None:
    """Run each page once in-process to capture its SQL, then time that SQL alone."""
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext

    client = Client()
    for page in pages:
        with CaptureQueriesContext(connection) as captured:
            response = client.get(page.path)
            if response.streaming:
                b"".join(response.streaming_content)
        if response.status_code != 200:
            raise SystemExit(f"{page.path} answered {response.status_code}")
        statements = [q["sql"] for q in captured.captured_queries]
        page.queries = len(statements)
        page.sql_alone_ms = sql_alone_ms(connection, statements)


def sql_alone_ms(connection, statements: list[str]) -> float:
    """Return the median over three runs of running the statements one after another."""
    runs = []
    with connection.cursor() as cursor:
        for _ in range(3):
            start = time.perf_counter()
            for sql in statements:
                if sql.startswith(("DECLARE", "FETCH", "CLOSE", "SAVEPOINT", "RELEASE")):
                    continue
                cursor.execute(sql)
                if cursor.description:
                    cursor.fetchall()
            runs.append(time.perf_counter() - start)
    return statistics.median(runs) * 1000


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def add_collectstatic_option(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "--no-collectstatic",
        dest="collect_static",
        action="store_false",
        help="staticfiles/ is current (collectstatic already ran)",
    )


def collect_static() -> None:
    """Build the hashed static files the production settings serve."""
    subprocess.run(
        [sys.executable, "manage.py", "collectstatic", "--no-input", "-v0"],
        cwd=ROOT,
        env=os.environ | PRODUCTION_ENV,
        check=True,
    )


def start_gunicorn(port: int, workers: int) -> subprocess.Popen:
    env = (
        os.environ
        | PRODUCTION_ENV
        | {
            "GUNICORN_BIND": f"127.0.0.1:{port}",
            "GUNICORN_WORKERS": str(workers),
        }
    )
    server = subprocess.Popen(
        [sys.executable, "-m", "gunicorn", "esfportal.wsgi"], cwd=ROOT, env=env
    )
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        try:
            socket.create_connection(("127.0.0.1", port), timeout=0.2).close()
            return server
        except OSError:
            time.sleep(0.2)
    server.kill()
    raise SystemExit("gunicorn did not start")


class Http:
    """One keep-alive connection per thread."""

    local = threading.local()

    def __init__(self, port: int):
        self.port = port

    def get(self, path: str) -> tuple[int, bytes]:
        connection = getattr(self.local, "connection", None)
        if connection is None:
            connection = self.local.connection = HTTPConnection("127.0.0.1", self.port, timeout=120)
        try:
            connection.request("GET", path)
            response = connection.getresponse()
            return response.status, response.read()
        except (ConnectionError, OSError):
            self.local.connection = None
            raise


def load(page: Page, http: Http, requests: int, concurrency: int, workers: int) -> None:
    def one(_):
        start = time.perf_counter()
        try:
            status, _body = http.get(page.path)
        except OSError:
            status = 599
        elapsed = time.perf_counter() - start
        return status, elapsed

    # Every worker compiles its templates and opens its connection once. Sequential requests
    # may all go to the worker that was waiting first: these come as many at a time as
    # there are workers, so that each serves some.
    with ThreadPoolExecutor(workers) as pool:
        list(pool.map(lambda _: http.get(page.path), range(WARM_UP_ROUNDS * workers)))
    start = time.perf_counter()
    with ThreadPoolExecutor(concurrency) as pool:
        for status, elapsed in pool.map(one, range(requests)):
            page.latencies.append(elapsed)
            page.errors += status != 200
    page.wall_s = time.perf_counter() - start


def export_path(rows: int) -> str:
    """Return an export address whose filters give at least `rows` projects (or all of them):
    funding rounds, largest first, added until their projects reach the count."""
    from django.db.models import Count

    from projects.models import FundingRound

    chosen, total = [], 0
    for funding_round in FundingRound.objects.annotate(n=Count("projects")).order_by("-n"):
        if total >= rows:
            break
        chosen.append(funding_round.slug)
        total += funding_round.n
    return "/hankkeet.csv?" + urllib.parse.urlencode({"round": chosen, "sort": "name"}, doseq=True)


def export(port: int, server: subprocess.Popen, path: str) -> dict:
    """Download a CSV export; time it and sample the workers' memory while it streams."""
    workers = psutil.Process(server.pid).children()
    baseline = {w.pid: w.memory_info().rss for w in workers}
    peak = dict(baseline)
    done = threading.Event()

    def sample():
        while not done.is_set():
            for worker in workers:
                with contextlib.suppress(psutil.Error):
                    peak[worker.pid] = max(peak[worker.pid], worker.memory_info().rss)
            time.sleep(0.05)

    sampler = threading.Thread(target=sample)
    sampler.start()
    connection = HTTPConnection("127.0.0.1", port, timeout=600)
    start = time.perf_counter()
    connection.request("GET", path)
    response = connection.getresponse()
    counted = -1  # the header line
    pending = b""
    while chunk := response.read(1 << 16):
        pending += chunk
        *lines, pending = pending.split(b"\r\n")
        counted += len(lines)
    elapsed = time.perf_counter() - start
    done.set()
    sampler.join()
    growth = max(peak[pid] - baseline[pid] for pid in baseline)
    return {
        "path": path,
        "status": response.status,
        "rows": counted,
        "seconds": elapsed,
        "rows_per_s": counted / elapsed if elapsed else 0,
        "worker_growth_mb": growth / 2**20,
        "worker_peak_mb": max(peak.values()) / 2**20,
    }


def machine() -> str:
    cpu = platform.processor() or platform.machine()
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    memory = psutil.virtual_memory().total / 2**30
    return f"{cpu}, {os.cpu_count()} cores, {memory:.0f} GiB"


def interpreter() -> str:
    """Name the Python serving the pages and whether its build is optimized: the same pages ran
    2-9 ms faster at p95 on a PGO + LTO build than on a plain one (docs/performance.md, "The
    interpreter")."""
    configured = sysconfig.get_config_var("CONFIG_ARGS") or ""
    optimized = [
        name
        for option, name in (("--enable-optimizations", "PGO"), ("--with-lto", "LTO"))
        if option in configured
    ]
    build = " + ".join(optimized) if optimized else "no PGO or LTO"
    return f"{platform.python_implementation()} {platform.python_version()} ({build})"


def host_speed_ms() -> float:
    """Return how long a fixed template render takes in this process (the best of five): the
    same page's p95 differs by up to half between hours on a shared machine, and this tells a
    slow hour from a slow page. Lower is faster."""
    from django.template import Context, Template

    rows = Template("{% for row in rows %}<li>{{ row.name|upper }}: {{ row.n }}</li>{% endfor %}")
    context = Context({"rows": [{"name": f"project {n}", "n": n} for n in range(2000)]})
    return min(timeit.repeat(lambda: rows.render(context), number=1, repeat=5)) * 1000


def commit() -> str:
    result = subprocess.run(
        ["git", "rev-parse", "--short", "HEAD"], cwd=ROOT, capture_output=True, text=True
    )
    return result.stdout.strip() or "unknown"


def report(
    label: str, pages: list[Page], exported: dict, projects: int, host_speed: tuple, args
) -> str:
    def target(page: Page) -> float:
        if projects <= SMALL_DATA:
            return TARGET_P95_MS["detail"]
        return TARGET_P95_MS.get(page.kind, TARGET_P95_DEFAULT_MS)

    lines = [
        f"## {label}: {projects:,} projects".replace(",", " "),
        "",
        f"- Date: {datetime.date.today().isoformat()}; commit `{commit()}`",
        f"- Machine: {machine()}; PostgreSQL: {postgres_version()}; Python: {interpreter()}",
        f"- gunicorn: {args.workers} workers, production settings; load: {args.requests} "
        f"requests per page, {args.concurrency} at a time, on loopback",
        f"- Command: `.venv/bin/python scripts/benchmark.py {' '.join(sys.argv[1:])}`",
        "- Host speed: a fixed template render took {:.1f} ms before the load and {:.1f} ms "
        "after it (scripts/benchmark.py, host_speed_ms(); lower is faster)".format(*host_speed),
        "",
        "| page | p50 ms | p95 ms | p99 ms | req/s | errors | SQL queries | SQL alone ms "
        "| target p95 | met |",
        "|---|---:|---:|---:|---:|---:|---:|---:|---:|---|",
    ]
    for page in pages:
        met = page.percentile(95) <= target(page) and page.queries <= TARGET_QUERIES
        lines.append(
            f"| {page.name} (`{page.path}`) | {page.percentile(50):.0f} | "
            f"{page.percentile(95):.0f} | {page.percentile(99):.0f} | {page.throughput:.1f} | "
            f"{page.errors} | {page.queries} | {page.sql_alone_ms:.1f} | {target(page)} | "
            f"{'yes' if met and not page.errors else 'no'} |"
        )
    met = exported["rows_per_s"] >= TARGET_EXPORT_ROWS_PER_S
    lines += [
        "",
        f"CSV export of {exported['rows']:,} rows (`{exported['path']}`): "
        f"{exported['seconds']:.1f} s, "
        f"{exported['rows_per_s']:,.0f} rows/s (target ≥ {TARGET_EXPORT_ROWS_PER_S:,}: "
        f"{'met' if met else 'not met'}); the serving worker grew by "
        f"{exported['worker_growth_mb']:.1f} MB (peak {exported['worker_peak_mb']:.0f} MB).",
        "",
    ]
    return "\n".join(lines)


def postgres_version() -> str:
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute("SHOW server_version")
        return cursor.fetchone()[0]


def write(output: Path, label: str, section: str) -> None:
    """Replace the section for this label in the performance document, or append it."""
    text = output.read_text(encoding="utf-8") if output.exists() else "# Performance\n"
    heading = f"## {label}:"
    parts = text.split("\n## ")
    kept = [parts[0]] + [p for p in parts[1:] if not ("## " + p).startswith(heading)]
    text = "\n## ".join(kept).rstrip() + "\n\n" + section
    output.write_text(text, encoding="utf-8")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--label", required=True, help="name of this run's section, e.g. 1M")
    parser.add_argument("--requests", type=int, default=200)
    parser.add_argument("--concurrency", type=int, default=4)
    parser.add_argument("--workers", type=int, default=DEFAULT_WORKERS)
    parser.add_argument("--export-rows", type=int, default=EXPORT_ROWS)
    parser.add_argument("--output", type=Path, default=ROOT / "docs" / "performance.md")
    parser.add_argument("--smoke", action="store_true", help="few requests; fail on errors")
    add_collectstatic_option(parser)
    args = parser.parse_args()
    if args.smoke:
        args.requests, args.concurrency = 5, 2

    if args.collect_static:
        collect_static()
    setup_django()
    from projects.models import Project

    projects = Project.objects.count()
    pages = choose_pages()
    measure_queries(pages)
    speed_before = host_speed_ms()
    port = free_port()
    server = start_gunicorn(port, args.workers)
    try:
        http = Http(port)
        for page in pages:
            load(page, http, args.requests, args.concurrency, args.workers)
            print(f"{page.name}: p95 {page.percentile(95):.0f} ms, {page.errors} errors")
        exported = export(port, server, export_path(args.export_rows))
    finally:
        server.terminate()
        server.wait(timeout=30)
    host_speed = (speed_before, host_speed_ms())
    section = report(args.label, pages, exported, projects, host_speed, args)
    print(section)
    errors = sum(page.errors for page in pages) + (exported["status"] != 200)
    if args.smoke:
        if errors:
            raise SystemExit(f"{errors} requests failed")
        return
    write(args.output, args.label, section)


if __name__ == "__main__":
    main()
