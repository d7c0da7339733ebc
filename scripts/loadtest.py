"""Load-test the deployed portal: locust visitors browsing, searching and exporting at once.

gunicorn with production settings and gunicorn.conf.py serves, on loopback, the database that
DATABASE_URL names (or the embedded one); locust runs the visitors of scripts/locustfile.py
headless for a fixed time. Any failed request (a status other than 2xx or 3xx, or no answer)
fails the run. Prints requests, failures, req/s and p50/p95/p99 per kind of request as a
markdown section for docs/performance.md.

Usage (the database must hold the data, e.g. from manage.py generate_synthetic):
    .venv/bin/python scripts/loadtest.py [--users 50] [--duration 60] [--spawn-rate 10]
        [--workers N] [--no-collectstatic]
"""

import argparse
import csv
import datetime
import json
import os
import subprocess
import sys
import tempfile
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

from benchmark import (
    DEFAULT_WORKERS,
    ROOT,
    Http,
    add_collectstatic_option,
    collect_static,
    commit,
    free_port,
    machine,
    postgres_version,
    setup_django,
    start_gunicorn,
)

# Each export keeps some thousand rows: a file people download, not a dump of everything.
EXPORT_ROWS = range(1_000, 5_001)
WARM_UP_PAGES = ["/", "/hankkeet/", "/hankkeet/?q=koulutus", "/api/projects/"]
# Users still in a request when the time is up finish it (and are counted), up to this long.
STOP_TIMEOUT_S = 30


def plan() -> dict:
    """Choose from the database the filter values and exports the visitors use."""
    from projects.models import FundingRound, Project, Region, TargetGroup

    projects = Project.objects.count()
    return {
        "projects": projects,
        "rounds": list(
            FundingRound.objects.filter(projects__isnull=False)
            .distinct()
            .values_list("slug", flat=True)
        ),
        "regions": list(Region.objects.values_list("code", flat=True)),
        "statuses": list(Project.Status.values),
        "target_groups": list(TargetGroup.objects.values_list("slug", flat=True)),
        "last_page": last_list_page(),
        "exports": exports(),
    }


def last_list_page() -> int:
    """Return the project list's last page, as its own paginator counts (it may cap it)."""
    from django.test import RequestFactory

    from projects.views.projects import ProjectListView

    view = ProjectListView()
    view.setup(RequestFactory().get("/hankkeet/"))
    return view.get_paginator(view.get_queryset(), view.paginate_by).num_pages


def exports() -> list[dict]:
    """Return funding round and region pairs whose projects number EXPORT_ROWS (else the
    largest pair below that); with fewer projects than that in all, the whole list."""
    from django.db.models import Count

    from projects.models import Project

    if Project.objects.count() < EXPORT_ROWS.stop:
        return [{}]
    pairs = list(
        Project.objects.exclude(funding_round__isnull=True)
        .exclude(regions__isnull=True)
        .values("funding_round__slug", "regions__code")
        .annotate(projects=Count("id"))
        .filter(projects__lt=EXPORT_ROWS.stop)
        .order_by("-projects")
    )
    chosen = [pair for pair in pairs if pair["projects"] in EXPORT_ROWS] or pairs[:1]
    return [
        {"round": pair["funding_round__slug"], "region": pair["regions__code"]} for pair in chosen
    ]


def warm_up(port: int, workers: int) -> None:
    """Request the main pages a few times per worker, so that no visitor waits for a worker
    to start or to compile its templates."""
    http = Http(port)
    with ThreadPoolExecutor(workers) as pool:
        for status, _body in pool.map(http.get, WARM_UP_PAGES * workers * 2):
            if status != 200:
                raise SystemExit(f"the portal answered {status} while warming up")


def run_locust(port: int, plan_file: Path, results: Path, args) -> None:
    command = [
        *[sys.executable, "-m", "locust", "-f", str(ROOT / "scripts" / "locustfile.py")],
        *["--headless", "--only-summary", "--loglevel", "WARNING"],
        *["--host", f"http://127.0.0.1:{port}", "--csv", str(results)],
        *["--users", str(args.users), "--spawn-rate", str(args.spawn_rate)],
        *["--run-time", f"{args.duration}s", "--stop-timeout", str(STOP_TIMEOUT_S)],
    ]
    # Its exit status only repeats whether some request failed, which the figures say.
    subprocess.run(command, cwd=ROOT, env=os.environ | {"LOADTEST_PLAN": str(plan_file)})


def read_figures(results: Path) -> tuple[list[dict], list[dict]]:
    """Return locust's rows per kind of request (the total last) and its failures, counting
    an exception in a visitor's code as a failure too."""
    with open(f"{results}_stats.csv", encoding="utf-8") as stats:
        rows = list(csv.DictReader(stats))
    with open(f"{results}_failures.csv", encoding="utf-8") as failures:
        failed = list(csv.DictReader(failures))
    with open(f"{results}_exceptions.csv", encoding="utf-8") as exceptions:
        for exception in csv.DictReader(exceptions):
            failed.append(
                {
                    "Name": "visitor code",
                    "Error": exception["Message"],
                    "Occurrences": exception["Count"],
                }
            )
    return rows, failed


def report(rows: list[dict], failures: list[dict], chosen: dict, args) -> str:
    total = rows[-1]
    failed = sum(int(failure["Occurrences"]) for failure in failures)
    lines = [
        f"## Load: {args.users} users for {args.duration} s, "
        + f"{chosen['projects']:,} projects".replace(",", " "),
        "",
        f"- Date: {datetime.date.today().isoformat()}; commit `{commit()}`",
        f"- Machine: {machine()}; PostgreSQL: {postgres_version()}",
        f"- gunicorn: {args.workers} workers, gunicorn.conf.py, production settings, loopback; "
        f"locust: {args.users} users started {args.spawn_rate} a second, each waiting 2-8 s "
        "between pages (scripts/locustfile.py)",
        f"- Command: `.venv/bin/python scripts/loadtest.py {' '.join(sys.argv[1:])}`",
        f"- Load average (1 min; the machine may be shared): {args.load_before:.1f} before, "
        f"{os.getloadavg()[0]:.1f} after",
        f"- Result: {int(total['Request Count']):,} requests, {failed} failed: "
        f"{'passed' if not failed else 'FAILED'} (criterion: no failed request)",
        "",
        "| request | requests | failures | req/s | p50 ms | p95 ms | p99 ms |",
        "|---|---:|---:|---:|---:|---:|---:|",
    ]
    for row in rows:
        name = "**all**" if row["Name"] == "Aggregated" else row["Name"]
        lines.append(
            f"| {name} | {row['Request Count']} | {row['Failure Count']} | "
            f"{float(row['Requests/s']):.1f} | {row['50%']} | {row['95%']} | {row['99%']} |"
        )
    lines += ["", "locust rounds times above 100 ms to two significant digits."]
    for failure in failures:
        lines.append(f"- failed: {failure['Name']}: {failure['Error']} ({failure['Occurrences']})")
    return "\n".join(lines) + "\n"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--users", type=int, default=50)
    parser.add_argument("--duration", type=int, default=60, help="seconds")
    parser.add_argument("--spawn-rate", type=float, default=10, help="users started a second")
    parser.add_argument("--workers", type=int, default=DEFAULT_WORKERS)
    add_collectstatic_option(parser)
    args = parser.parse_args()
    args.load_before = os.getloadavg()[0]

    setup_django()
    from django.db import connection

    if args.collect_static:
        collect_static()
    chosen = plan()
    connection.close()
    with tempfile.TemporaryDirectory(prefix="esf-loadtest-") as folder:
        plan_file = Path(folder) / "plan.json"
        plan_file.write_text(json.dumps(chosen), encoding="utf-8")
        port = free_port()
        server = start_gunicorn(port, args.workers)
        try:
            warm_up(port, args.workers)
            run_locust(port, plan_file, Path(folder) / "locust", args)
        finally:
            server.terminate()
            server.wait(timeout=30)
        rows, failures = read_figures(Path(folder) / "locust")
    print(report(rows, failures, chosen, args))
    total = rows[-1]
    if failures or not int(total["Request Count"]):
        raise SystemExit("FAILED: some requests failed, or none was made")


if __name__ == "__main__":
    main()
