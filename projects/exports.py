"""CSV export of a filtered project list: the columns one may choose, and the rows streamed.

Rows come from one server-side cursor (QuerySet.iterator), with places, implementers and
target groups gathered per row by array subqueries, so memory stays flat at any row count.
"""

import csv
import datetime
from collections.abc import Iterator
from itertools import batched

from django.contrib.postgres.expressions import ArraySubquery
from django.db.models import F, OuterRef, Value
from django.db.models.functions import Concat
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from projects.models import Implementation, Municipality, Region, TargetGroup

COLUMNS = {
    "code": _("EURA code"),
    "name": _("Name"),
    "status": _("Status"),
    "funding_round": _("Funding round"),
    "programme": _("Programme"),
    "funder": _("Funder"),
    "implementers": _("Implementers"),
    "regions": _("Regions"),
    "municipalities": _("Municipalities"),
    "target_groups": _("Target groups"),
    "start_date": _("Start date"),
    "end_date": _("End date"),
    "realised_public_funding": _("Realised public funding (€)"),
    "applied_total": _("Applied total (€)"),
    "approved_total": _("Approved total (€)"),
    "url": _("Address"),
}
DEFAULT_COLUMNS = [
    "code",
    "name",
    "status",
    "funding_round",
    "funder",
    "implementers",
    "regions",
    "start_date",
    "end_date",
    "realised_public_funding",
    "applied_total",
    "url",
]

# Per-row lists, each a correlated subquery: no GROUP BY over the whole export.
LISTS = {
    "implementers": ArraySubquery(
        Implementation.objects.filter(project=OuterRef("pk"))
        .order_by("position")
        .values(label=Concat(F("organisation__name"), Value(" ("), F("role"), Value(")")))
    ),
    "regions": ArraySubquery(
        Region.objects.filter(projects=OuterRef("pk")).order_by("name").values("name")
    ),
    "municipalities": ArraySubquery(
        Municipality.objects.filter(projects=OuterRef("pk")).order_by("name").values("name")
    ),
    "target_groups": ArraySubquery(
        TargetGroup.objects.filter(projects=OuterRef("pk")).order_by("name").values("name")
    ),
}
FIELDS = {
    "funding_round": "funding_round__name",
    "programme": "programme__name",
    "funder": "funder__name",
    "url": "slug",
}


ROWS_PER_PIECE = 2000


class Echo:
    """A file-like object whose write() returns the line, for csv.writer in a generator."""

    def write(self, value):
        return value


def parse_columns(values: list[str]) -> list[str]:
    """Return the chosen columns in their canonical order; raise ValueError on an unknown one."""
    unknown = [value for value in values if value not in COLUMNS]
    if unknown:
        raise ValueError(", ".join(unknown))
    chosen = set(values) or set(DEFAULT_COLUMNS)
    return [name for name in COLUMNS if name in chosen]


def csv_lines(queryset, columns: list[str], base_url: str) -> Iterator[str]:
    """Yield the CSV text of the projects: a byte-order mark for Excel, a header, the rows,
    ROWS_PER_PIECE rows at a time: a piece per row cost the server a write per row."""
    writer = csv.writer(Echo())
    yield "\ufeff" + writer.writerow([str(COLUMNS[name]) for name in columns])
    annotations = {f"list_{name}": LISTS[name] for name in columns if name in LISTS}
    fields = [f"list_{name}" if name in LISTS else FIELDS.get(name, name) for name in columns]
    rows = queryset.annotate(**annotations).values_list(*fields)
    project_url = base_url + reverse("projects:project-detail", args=["SLUG"])
    lines = (
        writer.writerow(
            [cell(name, value, project_url) for name, value in zip(columns, row, strict=True)]
        )
        for row in rows.iterator(chunk_size=ROWS_PER_PIECE)
    )
    for piece in batched(lines, ROWS_PER_PIECE):
        yield "".join(piece)


def cell(column: str, value, project_url: str):
    if value is None:
        return ""
    if column == "url":
        return project_url.replace("SLUG", value)
    if isinstance(value, list):
        return "; ".join(value)
    if isinstance(value, datetime.date):
        return value.isoformat()
    return value


def file_name(today: datetime.date) -> str:
    return f"esr-hankkeet-{today.isoformat()}.csv"
