"""Facet counts for the project list: for each option of a filter, how many projects it gives.

A facet's counts are taken with every other filter applied but not its own, so that choosing
round 1 still shows what round 2 would add (several values of one filter combine with "or").
All facets are counted in one SQL statement (UNION ALL of one GROUP BY per facet), which also
sums up the figures of the filtered set. A facet whose projects are too many to count is
counted in the sample of projects.overview, scaled.
"""

from dataclasses import dataclass

from django.db import connection
from django.db.models import Model

from projects import overview
from projects.models import FundingRound, Organisation, Programme, Project, Region, TargetGroup
from projects.models.base import select_sql
from projects.models.funding import Decision
from projects.models.projects import FIGURES_COLUMNS, figures_of, figures_sql
from projects.overview import Size, scaled, sizes


@dataclass
class FacetOption:
    value: str
    label: str
    count: int
    selected: bool
    estimated: bool = False


@dataclass
class Facet:
    name: str
    label: str
    options: list[FacetOption]


@dataclass(frozen=True)
class _Counting:
    """How a facet's options are counted over a set of projects: by `key`, a column of the
    set's (SET_COLUMNS) or of `link`, a table with a row per project and key; each key's
    value and label are the `value` and `label` of its `options` row, or the key itself."""

    key: str
    options: type[Model] | None = None
    value: str = ""
    label: str = ""
    link: type[Model] | None = None

    def sql(self, projects: str) -> str:
        """Return the SQL of rows (facet, value, label, count) over the CTE named `projects`;
        the facet's name is its one parameter."""
        source, key = projects, f"{projects}.{self.key}"
        if self.link:
            source += f" JOIN {self.link._meta.db_table} AS link ON link.project_id = {projects}.id"
            key = f"link.{self.key}"
        if self.options is None:  # a text naming itself; blank names nothing
            counted = f"SELECT {key} AS key, count(*) AS n FROM {source} WHERE {key} <> ''"
            return f"SELECT %s, key::varchar, key::varchar, n FROM ({counted} GROUP BY {key}) AS c"
        counted = f"SELECT {key} AS key, count(*) AS n FROM {source} WHERE {key} IS NOT NULL"
        return (
            f"SELECT %s, option.{self.value}::varchar, option.{self.label}::varchar, n "
            f"FROM ({counted} GROUP BY {key}) AS c "
            f"JOIN {self.options._meta.db_table} AS option ON option.id = c.key"
        )


# The columns of a counted set: the facets read the set once, not once per facet.
SET_COLUMNS = ["id", "funding_round_id", "programme_id", "funder_id", "status"]
COUNTING = {
    "round": _Counting("funding_round_id", FundingRound, "slug", "name"),
    "programme": _Counting("programme_id", Programme, "slug", "name"),
    "funder": _Counting("funder_id", Organisation, "slug", "name"),
    "status": _Counting("status"),
    "decision": _Counting("decision", link=Decision),
    "region": _Counting("region_id", Region, "code", "name", link=Project.regions.through),
    "target_group": _Counting(
        "targetgroup_id", TargetGroup, "slug", "name", link=Project.target_groups.through
    ),
}


def _counted(filterset, filtered, sets: dict) -> tuple[tuple, list[tuple]]:
    """Return the row of figures_sql() over `filtered` (the projects of the filtered set that
    its size reads) and the rows (facet, value, label, count) of every facet, in one
    statement. Each set of projects read (sets: facet name -> queryset) is read once, into a
    materialised CTE with the columns the figures and the facets read: a search's matches
    are found once, not once for the figures and once per facet."""
    ctes, params = {}, []
    for projects in (filtered, *sets.values()):
        if id(projects) not in ctes:
            if projects is filtered:
                columns = projects.figured(*SET_COLUMNS[1:])
            else:
                columns = projects.order_by().values(*SET_COLUMNS)
            sql, cte_params = select_sql(columns)
            ctes[id(projects)] = (f"facet_set_{len(ctes)}", sql)
            params += cte_params
    figures, figures_params = figures_sql(ctes[id(filtered)][0])
    params += figures_params
    counted = []
    for name in filterset.FACETS:
        counted.append(f"({COUNTING[name].sql(ctes[id(sets[name])][0])})")
        params.append(name)
    with_sql = ", ".join(f"{name} AS MATERIALIZED ({sql})" for name, sql in ctes.values())
    with connection.cursor() as cursor:
        cursor.execute(
            f"""WITH {with_sql} SELECT * FROM ({figures}) AS figures, (
                SELECT array_agg(facet), array_agg(value), array_agg(label), array_agg(n)
                FROM ({" UNION ALL ".join(counted)}) AS counted (facet, value, label, n)
            ) AS facets""",
            params,
        )
        row = cursor.fetchone()
    facet_columns = (column or [] for column in row[FIGURES_COLUMNS:])
    return row[:FIGURES_COLUMNS], list(zip(*facet_columns, strict=True))


def facets_and_figures(filterset, size: Size) -> tuple[list[Facet], dict, list[dict]]:
    """Return the facets of a bound ProjectFilter, options by count, selected ones first, and
    the summary and achieved totals of its projects (overview.figures()). `size` is that of
    filterset.qs; a facet whose own filter is chosen counts a larger set, which is sized
    here."""
    searched = filterset.has_query()
    own_filter_chosen = [name for name in filterset.FACETS if name in filterset.data]
    bases = {name: filterset.without(name) for name in own_filter_chosen}
    base_sizes = {}
    if bases:
        # Exact only up to READ_AT_MOST: a larger base is read in a sample of at most that many
        # projects, as its options' counts need no more than two significant digits.
        counted = sizes(
            *bases.values(), searched=searched, within=size, exact_up_to=overview.READ_AT_MOST
        )
        base_sizes = dict(zip(bases, counted, strict=True))
    if size.count or bases:
        every_filter = size.read(filterset.qs, searched)
        sets = {
            name: base_sizes[name].read(bases[name], searched) if name in bases else every_filter
            for name in filterset.FACETS
        }
        figures_row, rows = _counted(filterset, every_filter, sets)
    else:
        # An empty set has no figures or options to read. A phrase whose words many projects
        # hold, none of them together, read every one of their documents again (ESR-hanke,
        # 80 ms at a million projects).
        figures_row, rows = (0, *[None] * (FIGURES_COLUMNS - 1)), []
    labels = {
        "status": dict(Project.Status.choices),
        "decision": dict(Decision.Outcome.choices),
    }
    options: dict[str, list[FacetOption]] = {name: [] for name in filterset.FACETS}
    for facet, value, label, count in rows:
        chosen = (
            value in filterset.data.getlist(facet) if hasattr(filterset.data, "getlist") else False
        )
        facet_size = base_sizes.get(facet, size)
        options[facet].append(
            FacetOption(
                value,
                str(labels.get(facet, {}).get(value, label)),
                facet_size.scaled(count),
                chosen,
                facet_size.estimated,
            )
        )
    facets = [
        Facet(
            name,
            filterset.filters[name].label,
            sorted(options[name], key=lambda o: (not o.selected, -o.count, o.label)),
        )
        for name in filterset.FACETS
    ]
    return facets, *scaled(*figures_of(figures_row), size)
