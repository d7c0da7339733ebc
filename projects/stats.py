"""The figures behind the overview charts, each summed in the database in one query.

The `…_chart()` functions give a page a chart ready for `components/chart.html`.
"""

from collections import defaultdict

from django.db.models import F, OuterRef, Q, Sum
from django.urls import reverse
from django.utils.text import capfirst
from django.utils.translation import get_language
from django.utils.translation import gettext as _

from projects.charts import Chart, Group, bar_chart, grouped_bar_chart
from projects.models import FundingRound, Outcome, Project, Region
from projects.models.base import subquery_count
from projects.overview import Size, sizes

# Counted in persons by every project that reports them, so they compare across projects.
OUTCOME_KINDS = (Outcome.Kind.PARTICIPANTS, Outcome.Kind.EMPLOYED, Outcome.Kind.IN_EDUCATION)

ROUND_ORDER = (
    F("funding_round__coordinator_id").asc(nulls_last=True),
    F("funding_round__number").asc(nulls_last=True),
    "funding_round__name",
)


def projects_per_round(rounds: list[FundingRound]) -> tuple[list[Group], bool]:
    """Return how many projects each of the rounds (rounds_with_projects()) has, and how many
    projects belong to none; and whether any of those counts is an estimate."""
    groups = [
        Group(round_.name, (round_.project_size.count,), round_.get_absolute_url())
        for round_ in rounds
    ]
    (outside,) = sizes(Project.objects.filter(funding_round=None))
    if outside.count:
        groups.append(Group(_("Not in a funding round"), (outside.count,)))
    estimated = outside.estimated or any(round_.project_size.estimated for round_ in rounds)
    return groups, estimated


def rounds_with_projects(rounds: list[FundingRound]) -> list[FundingRound]:
    """Return those of the rounds (FundingRound.objects.with_project_sizes()) that have
    projects, in their order."""
    return [funding_round for funding_round in rounds if funding_round.project_size.count]


def projects_per_region() -> list[Group]:
    """Return how many projects work in each region that has any, the most first; counted
    exactly from the index of the projects each region names (33 ms at a million projects;
    sized from samples, as the region list is, they would take the home page past ten
    queries)."""
    swedish = (get_language() or "").startswith("sv")
    named = Project.regions.through.objects.filter(region=OuterRef("pk"))
    regions = Region.objects.annotate(project_count=subquery_count(named)).order_by(
        "-project_count", "name_sv" if swedish else "name"
    )
    return [
        Group(
            (swedish and region.name_sv) or region.name,
            (region.project_count,),
            region.get_absolute_url(),
        )
        for region in regions
        if region.project_count  # filtered here, or PostgreSQL counts each region twice
    ]


def money_per_round(size: Size) -> tuple[list[Group], bool]:
    """Return for each round the realised public funding of its projects and, apart, the
    applied totals of the projects whose realised funding is not known (None when no project
    has the figure); and whether the sums are estimates: too many projects to sum quickly
    (0.6 s at a million) are summed in their sample and scaled, as the project list's figures
    are (projects.overview). `size` is that of all projects."""
    projects = Project.objects.all()
    rows = (
        size.read(projects)
        .values("funding_round__slug", "funding_round__name")
        .annotate(
            realised=Sum("realised_public_funding"),
            applied=Sum("applied_total", filter=Q(realised_public_funding=None)),
        )
        .order_by(*ROUND_ORDER)
    )
    groups = [
        _round_group(row, size.scaled(row["realised"]), size.scaled(row["applied"])) for row in rows
    ]
    return groups, size.estimated


def round_outcomes(funding_round: FundingRound, first: int | None = None):
    """Return the outcome kinds a round's projects achieved and, per project, the persons of
    each kind (None where the project gives no such figure); of the `first` projects by name
    only, when given."""
    projects = funding_round.projects.order_by("name", "id").values("id")[:first]
    return _outcome_groups(_achieved_persons(project__in=projects))


def outcomes_per_round(
    rounds: list[FundingRound], first: int
) -> list[tuple[str, list[str], list[Group], bool]]:
    """Return the name and `round_outcomes` of each of the rounds (rounds_with_projects())
    whose projects achieved any, of its `first` projects by name only (a bar per project does
    not scale to a round of thousands), and whether the round has more projects than those;
    in one query."""
    if not rounds:
        return []
    firsts = [
        funding_round.projects.order_by("name", "id").values("id")[:first]
        for funding_round in rounds
    ]
    rows_by_round = defaultdict(list)
    for row in _achieved_persons(project__in=firsts[0].union(*firsts[1:], all=True)):
        rows_by_round[row["project__funding_round_id"]].append(row)
    return [
        (
            funding_round.name,
            *_outcome_groups(rows_by_round[funding_round.pk]),
            funding_round.project_size.count > first,
        )
        for funding_round in rounds
        if rows_by_round[funding_round.pk]
    ]


def projects_per_round_chart(rounds: list[FundingRound]) -> Chart:
    """Return the bar chart of projects per funding round (rounds_with_projects())."""
    groups, estimated = projects_per_round(rounds)
    return bar_chart(
        _("Projects per funding round"),
        groups,
        label_heading=_("Funding round"),
        value_heading=_("Projects"),
        note=_noted(
            _("Counted from the projects in these records; a round may have had more."),
            estimated,
        ),
    )


def projects_per_region_chart(regions: list[Group]) -> Chart:
    """Return the bar chart of projects per region (projects_per_region())."""
    return bar_chart(
        _("Projects per region"),
        regions,
        label_heading=_("Region"),
        value_heading=_("Projects"),
        note=_(
            "A project is counted in each region it works in. Projects that work across the "
            "whole country or name no region are not counted."
        ),
    )


def money_per_round_chart(size: Size) -> Chart:
    """Return the chart of realised and applied money per funding round; `size` is that of
    all projects."""
    groups, estimated = money_per_round(size)
    note = _(
        "Realised public funding is what was paid to the projects. An applied total is "
        "what a project applied for, not what it was granted; it is shown only for the "
        "projects whose realised funding is not known. “No figure” means the records give "
        "no sum for the projects of that row."
    )
    return grouped_bar_chart(
        _("Money per funding round"),
        groups,
        [_("Realised public funding"), _("Applied total")],
        unit="money",
        axis_label=_("Euros"),
        label_heading=_("Funding round"),
        note=_noted(note, estimated),
    )


def _noted(note: str, estimated: bool) -> str:
    """Return a chart's note, with a word on its figures when they are estimated."""
    if estimated:
        note += " " + _(
            "There are too many projects to count quickly: the figures are estimated from a "
            "sample of them (≈)."
        )
    return note


def round_outcomes_chart(funding_round: FundingRound, first: int | None = None) -> Chart:
    """Return the chart of what the round's projects achieved, side by side: of its `first`
    projects by name only, when given, as one bar per project does not scale to thousands."""
    kinds, groups = round_outcomes(funding_round, first)
    only_first = (
        _("Only the first %(shown)s projects by name, as listed below.") % {"shown": first}
        if first is not None
        else ""
    )
    return _outcomes_chart(funding_round.name, kinds, groups, only_first)


def outcomes_per_round_charts(rounds: list[FundingRound], first: int) -> list[Chart]:
    """Return a `round_outcomes_chart` for each of the rounds (rounds_with_projects()) with
    achieved figures, of its `first` projects by name only."""
    only_first = _("Only the first %(shown)s projects by name; the round’s page lists them.")
    return [
        _outcomes_chart(round_name, kinds, groups, only_first % {"shown": first} if more else "")
        for round_name, kinds, groups, more in outcomes_per_round(rounds, first)
    ]


def _outcomes_chart(round_name, kinds, groups, more_note="") -> Chart:
    note = _(
        "Only figures the projects achieved, counted in persons. Where a project gives "
        "several figures of one kind (e.g. employed during and after training), they are "
        "added up. Projects without such figures are left out."
    )
    return grouped_bar_chart(
        _("Achieved outcomes in %(round)s") % {"round": round_name},
        groups,
        kinds,
        axis_label=_("Persons"),
        label_heading=_("Project"),
        note=f"{note} {more_note}" if more_note else note,
    )


def _round_group(row, *values) -> Group:
    slug = row["funding_round__slug"]
    if slug is None:
        return Group(_("Not in a funding round"), values)
    return Group(row["funding_round__name"], values, reverse("projects:round-detail", args=[slug]))


def _achieved_persons(**project_filter):
    """Return achieved figures in persons summed by project and kind, rounds and projects in
    order."""
    return (
        Outcome.objects.filter(
            stage=Outcome.Stage.ACHIEVED,
            unit=Outcome.Unit.PERSONS,
            kind__in=OUTCOME_KINDS,
            **project_filter,
        )
        .values(
            "project__funding_round_id",
            "project__funding_round__name",
            "project__slug",
            "project__name",
            "kind",
        )
        .annotate(persons=Sum("value"))
        .order_by(
            "project__funding_round__coordinator_id",
            "project__funding_round__number",
            "project__funding_round__name",
            "project__name",
        )
    )


def _outcome_groups(rows) -> tuple[list[str], list[Group]]:
    """Pivot (project, kind, persons) rows into one group per project, keeping only the kinds
    some project reports."""
    persons = defaultdict(dict)
    for row in rows:
        persons[(row["project__slug"], row["project__name"])][row["kind"]] = row["persons"]
    kinds = [kind for kind in OUTCOME_KINDS if any(kind in by_kind for by_kind in persons.values())]
    groups = [
        Group(
            name,
            tuple(by_kind.get(kind) for kind in kinds),
            reverse("projects:project-detail", args=[slug]),
        )
        for (slug, name), by_kind in persons.items()
    ]
    return [capfirst(str(kind.label)) for kind in kinds], groups
