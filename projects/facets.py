"""Facet counts for the project list: for each option of a filter, how many projects it gives.

A facet's counts are taken with every other filter applied but not its own, so that choosing
round 1 still shows what round 2 would add (several values of one filter combine with "or").
All facets are counted in one SQL statement (UNION ALL of one GROUP BY per facet).
"""

from dataclasses import dataclass

from django.db.models import CharField, Count, F, Value
from django.db.models.functions import Cast

from projects.models import Implementation, Project


@dataclass
class FacetOption:
    value: str
    label: str
    count: int
    selected: bool


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


def _facet_rows(name: str, projects):
    """Return the grouped rows of facet `name` over the projects queryset."""
    ids = projects.order_by().values("id")
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
        through = Project.regions.through.objects.filter(project__in=ids)
        return _grouped(through, name, F("region__code"), F("region__name"))
    if name == "target_group":
        through = Project.target_groups.through.objects.filter(project__in=ids)
        return _grouped(through, name, F("targetgroup__slug"), F("targetgroup__name"))
    if name == "implementer":
        through = Implementation.objects.filter(project__in=ids)
        return _grouped(through, name, F("organisation__slug"), F("organisation__name"))
    raise ValueError(f"no facet called {name!r}")


def facet_counts(filterset) -> list[Facet]:
    """Return the facets of a bound ProjectFilter, options by count, selected ones first."""
    parts = []
    for name in filterset.FACETS:
        base = filterset.without(name) if name in filterset.data else filterset.qs
        parts.append(_facet_rows(name, base))
    rows = parts[0].union(*parts[1:], all=True).order_by("facet")
    labels = {
        "status": dict(Project.Status.choices),
        "decision": dict(Project._meta.get_field("decision").related_model.Outcome.choices),
    }
    options: dict[str, list[FacetOption]] = {name: [] for name in filterset.FACETS}
    for facet, value, label, count in rows:
        chosen = (
            value in filterset.data.getlist(facet) if hasattr(filterset.data, "getlist") else False
        )
        options[facet].append(
            FacetOption(value, str(labels.get(facet, {}).get(value, label)), count, chosen)
        )
    return [
        Facet(
            name,
            filterset.filters[name].label,
            sorted(options[name], key=lambda o: (not o.selected, -o.count, o.label)),
        )
        for name in filterset.FACETS
    ]
