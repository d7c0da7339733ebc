"""Time the admin's lists in process at the size of the configured database: the project list
and the lists of projects' rows, each unsearched and searched for a project's code, a common
word and a rarer one (those of scripts/benchmark.py's mix). Prints a markdown table of the
best and the median of a few requests each; docs/adr/0004-admin-history.md gives its figures.

Usage (the database named by DATABASE_URL, or the embedded one, must hold the data):
    .venv/bin/python scripts/admin_benchmark.py [--repeat 3] [--no-collectstatic]
"""

import argparse
import statistics
import time
import uuid

LISTS = ["project", "implementation", "outcome", "decision", "decisionstage", "moneyline"]
WORDS = ["maahanmuuttajat", "kielisalkku"]


def searches() -> list[str]:
    """Return the searches timed: none, the code of the newest project that has one, WORDS."""
    from projects.models import Project

    codes = Project.objects.exclude(code="").order_by("-pk").values_list("code", flat=True)
    return ["", *codes[:1], *WORDS]


def timings(client, repeat: int) -> list[tuple[str, str, int, float, float]]:
    """Return (list, search, HTTP status, best ms, median ms) for each list and search, with a
    client signed in as a superuser."""
    from django.urls import reverse

    rows = []
    for model in LISTS:
        url = reverse(f"admin:projects_{model}_changelist")
        for term in searches():
            times = []
            for _ in range(repeat):
                start = time.perf_counter()
                response = client.get(url, {"q": term} if term else {})
                times.append((time.perf_counter() - start) * 1000)
            rows.append((model, term, response.status_code, min(times), statistics.median(times)))
    return rows


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=3, help="requests per list and search")
    # Here, not at the top: the tests import this module as scripts.admin_benchmark, where
    # "benchmark" is no top-level module.
    from benchmark import add_collectstatic_option, collect_static, setup_django

    add_collectstatic_option(parser)
    args = parser.parse_args()
    if args.collect_static:
        collect_static()
    setup_django()
    from django.contrib.auth import get_user_model
    from django.test import Client

    user = get_user_model().objects.create_superuser(f"admin-benchmark-{uuid.uuid4().hex[:8]}")
    client = Client()
    client.force_login(user)
    try:
        rows = timings(client, args.repeat)
    finally:
        client.logout()
        user.delete()
    print("| list | search | status | best ms | median ms |")
    print("|---|---|---:|---:|---:|")
    for model, term, status, best, median in rows:
        print(f"| {model} | {term or '–'} | {status} | {best:,.0f} | {median:,.0f} |")


if __name__ == "__main__":
    main()
