"""Facet counts for the project list: for each option of a filter, how many projects it gives.

A facet's counts are taken with every other filter applied but not its own, so that choosing
round 1 still shows what round 2 would add (several values of one filter combine with "or").
All facets are counted in one SQL statement (UNION ALL of one GROUP BY per facet). A facet
whose projects are too many to count is counted in the sample of projects.overview, scaled.
"""

from dataclasses import dataclass

from django.db import connection
from django.db.models import CharField, Count, F, Value
from django.db.models.expressions import RawSQL
from django.db.models.functions import Cast

from projects.models import Implementation, Project
from projects.overview import Size, select_sql, sizes


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


def _grouped(queryset, facet: str, value, label):
    """Return rows (facet, value, label, count) for one facet, ready for UNION ALL."""
    return (
        queryset.order_by()
        .annotate(
            facet=Value(facet, output_field=CharField()),
            option=Cast(value, CharField()),
            option_label=Cast(label, CharField()),
        )
        .values("facet", "option", "option_label")
        .annotate(n=Count("*"))
        .values_list("facet", "option", "option_label", "n")
    )


def _facet_rows(name: str, ids: RawSQL):
    """Return the grouped rows of facet `name` over the projects whose ids the SQL selects."""
    projects = Project.objects.filter(pk__in=ids)
    if name == "round":
        return _grouped(
            projects.filter(funding_round__isnull=False),
            name,
            F("funding_round__slug"),
            F("funding_round__name"),
        )
    if name == "programme":
        return _grouped(
            projects.filter(programme__isnull=False),
            name,
            F("programme__slug"),
            F("programme__name"),
        )
    if name == "funder":
        return _grouped(
            projects.filter(funder__isnull=False), name, F("funder__slug"), F("funder__name")
        )
    if name == "status":
        return _grouped(projects.exclude(status=""), name, F("status"), F("status"))
    if name == "decision":
        return _grouped(
            projects.filter(decision__isnull=False),
            name,
            F("decision__decision"),
            F("decision__decision"),
        )
    if name == "region":
        through = Project.regions.through.objects.filter(project_id__in=ids)
        return _grouped(through, name, F("region__code"), F("region__name"))
    if name == "target_group":
        through = Project.target_groups.through.objects.filter(project_id__in=ids)
        return _grouped(through, name, F("targetgroup__slug"), F("targetgroup__name"))
    if name == "implementer":
        through = Implementation.objects.filter(project_id__in=ids)
        return _grouped(through, name, F("organisation__slug"), F("organisation__name"))
    raise ValueError(f"no facet called {name!r}")


def _counted_rows(filterset, sets: dict) -> list[tuple]:
    """Return the rows (facet, value, label, count) of every facet in one statement. Each set of
    projects a facet counts (sets: facet name -> queryset, None for filterset.qs's) is read once,
    into a materialised CTE: a search's matches are found once, not once per facet."""
    ctes, params = {}, []
    for projects in sets.values():
        key = id(projects)
        if key not in ctes:
            sql, cte_params = select_sql(projects.order_by().values("id"))
            ctes[key] = (f"facet_set_{len(ctes)}", sql)
            params += cte_params
    parts = [
        _facet_rows(name, RawSQL(f"SELECT id FROM {ctes[id(sets[name])][0]}", ()))
        for name in filterset.FACETS
    ]
    union_sql, union_params = (
        parts[0].union(*parts[1:], all=True).order_by("facet").query.sql_with_params()
    )
    with_sql = ", ".join(f"{name} AS MATERIALIZED ({sql})" for name, sql in ctes.values())
    with connection.cursor() as cursor:
        cursor.execute(f"WITH {with_sql} {union_sql}", [*params, *union_params])
        return cursor.fetchall()


def facet_counts(filterset, size: Size) -> list[Facet]:
    """Return the facets of a bound ProjectFilter, options by count, selected ones first.
    `size` is that of filterset.qs; a facet whose own filter is chosen counts a larger set,
    which is sized here."""
    searched = filterset.has_query()
    own_filter_chosen = [name for name in filterset.FACETS if name in filterset.data]
    bases = {name: filterset.without(name) for name in own_filter_chosen}
    base_sizes = (
        dict(zip(own_filter_chosen, sizes(*bases.values(), searched=searched), strict=True))
        if bases
        else {}
    )
    every_filter = size.read(filterset.qs, searched)
    sets = {
        name: base_sizes[name].read(bases[name], searched) if name in bases else every_filter
        for name in filterset.FACETS
    }
    rows = _counted_rows(filterset, sets)
    labels = {
        "status": dict(Project.Status.choices),
        "decision": dict(Project._meta.get_field("decision").related_model.Outcome.choices),
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
    return [
        Facet(
            name,
            filterset.filters[name].label,
            sorted(options[name], key=lambda o: (not o.selected, -o.count, o.label)),
        )
        for name in filterset.FACETS
    ]
