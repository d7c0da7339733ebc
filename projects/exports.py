"""CSV export of a filtered project list: the columns one may choose, and the rows streamed.

Rows come from one server-side cursor (QuerySet.iterator) read as they are written, with
places, implementers and target groups gathered per row by array subqueries, so memory stays
flat at any row count.
Every cell comes from PostgreSQL as csv.writer writes it (lists joined, the address built):
converting each of a million cells in Python took half the export's time.
"""

import csv
import datetime
from collections.abc import Iterator
from itertools import batched

from django.contrib.postgres.expressions import ArraySubquery
from django.db import transaction
from django.db.models import F, Func, OuterRef, TextField, Value
from django.db.models.functions import Concat
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from projects.models import Implementation, Municipality, Region, TargetGroup
from projects.models.projects import linked_values

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

# Per-row lists, each an array of a correlated subquery joined into one text: no GROUP BY over
# the whole export.
LISTS = {
    "implementers": ArraySubquery(
        Implementation.objects.filter(project=OuterRef("pk"))
        .order_by("position")
        .values(label=Concat(F("organisation__name"), Value(" ("), F("role"), Value(")")))
    ),
    "regions": linked_values(Region, "name"),
    "municipalities": linked_values(Municipality, "name"),
    "target_groups": linked_values(TargetGroup, "name"),
}
FIELDS = {
    "funding_round": "funding_round__name",
    "programme": "programme__name",
    "funder": "funder__name",
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
    ROWS_PER_PIECE rows at a time: a piece per row cost the server a write per row. Dates
    are written as ISO dates and no value as an empty cell, as csv.writer does."""
    writer = csv.writer(Echo())
    yield "\ufeff" + writer.writerow([str(COLUMNS[name]) for name in columns])
    prefix, suffix = (base_url + reverse("projects:project-detail", args=["SLUG"])).split("SLUG")
    cells = {
        "url": Concat(Value(prefix), F("slug"), Value(suffix), output_field=TextField()),
        **{
            name: Func(items, Value("; "), function="array_to_string", output_field=TextField())
            for name, items in LISTS.items()
        },
    }
    rows = queryset.annotate(
        **{f"cell_{name}": cells[name] for name in columns if name in cells}
    ).values_list(
        *(f"cell_{name}" if name in cells else FIELDS.get(name, name) for name in columns)
    )
    # In a transaction of its own: outside one Django declares the cursor WITH HOLD, which
    # PostgreSQL fills with every row before the first can be fetched (18 s and a 289 MB
    # temporary file at a million projects, before the export wrote a row).
    with transaction.atomic(using=rows.db):
        lines = (writer.writerow(row) for row in rows.iterator(chunk_size=ROWS_PER_PIECE))
        for piece in batched(lines, ROWS_PER_PIECE):
            yield "".join(piece)


def file_name(today: datetime.date) -> str:
    return f"esr-hankkeet-{today.isoformat()}.csv"
