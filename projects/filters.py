"""The project filters: the only place that reads filter parameters from a request.

The list page, the CSV export and the API all filter through ProjectFilter, so a URL means
the same projects everywhere.
"""

import datetime

import django_filters
from django import forms
from django.db.models import Exists, OuterRef
from django.utils.translation import gettext_lazy as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import extend_schema_field

from projects.models import (
    FundingRound,
    Implementation,
    Municipality,
    Organisation,
    Programme,
    Project,
    Region,
    TargetGroup,
)
from projects.models.funding import Decision
from projects.search import search_projects, suggest_queries

FIRST_YEAR = 1995
LAST_YEAR = 2040


class SortChoices:
    RELEVANCE = "relevance"
    NAME = "name"
    NEWEST = "-start"
    OLDEST = "start"
    MOST_MONEY = "-money"
    LEAST_MONEY = "money"

    CHOICES = [
        (RELEVANCE, _("relevance")),
        (NAME, _("name")),
        (NEWEST, _("newest first")),
        (OLDEST, _("oldest first")),
        (MOST_MONEY, _("most money first")),
        (LEAST_MONEY, _("least money first")),
    ]
    ORDERINGS = {
        NAME: Project.ORDERINGS["name"],
        NEWEST: Project.ORDERINGS["newest"],
        OLDEST: Project.ORDERINGS["oldest"],
        MOST_MONEY: Project.ORDERINGS["most_money"],
        LEAST_MONEY: Project.ORDERINGS["least_money"],
    }


def linked_through(model, project_field: str, field: str):
    """Return a filter method keeping projects linked to any chosen value, without duplicates."""

    def method(queryset, name, values):
        if not values:
            return queryset
        return queryset.filter(
            Exists(model.objects.filter(**{project_field: OuterRef("pk"), f"{field}__in": values}))
        )

    return method


def linked_or_held(model, field: str, search_field: str):
    """Return a ProjectFilter method keeping projects linked to any chosen value, as
    linked_through() does; in a search, by the value ids that each project's search row holds
    (ProjectSearch.regions, .target_groups). PostgreSQL then intersects the search row's text
    index with that array's index before it reads a row; joined to the link table, it read
    every match's search row, a page each, to find its project (a rare word within a target
    group at a million projects: 25,867 rows for 790 projects)."""
    linked = linked_through(model, "project", field)

    def method(filterset, queryset, name, values):
        if values and filterset.has_query():
            ids = [value.pk for value in values]
            return queryset.filter(**{f"search__{search_field}__overlap": ids})
        return linked(queryset, name, values)

    return method


@extend_schema_field(OpenApiTypes.STR)
class KeysFilter(django_filters.ModelMultipleChoiceFilter):
    """Choose records by one or more slugs or codes; the API schema types each as a string,
    which drf-spectacular cannot tell from a slug reached through a relation or a method.

    The records chosen, found when the filter is validated, are compared by id
    (`funding_round_id IN (...)`): compared by slug, every statement of a page that counts
    or lists the projects joined the records' table again to find them."""

    def filter(self, qs, value):
        return qs.filter(**{f"{self.field_name}__in": value}) if value else qs


class ProjectFilter(django_filters.FilterSet):
    q = django_filters.CharFilter(
        label=_("Search"), method="search", max_length=200, widget=forms.TextInput
    )
    round = KeysFilter(
        label=_("Funding round"),
        field_name="funding_round",
        to_field_name="slug",
        queryset=FundingRound.objects.all(),
    )
    programme = KeysFilter(
        label=_("Programme / fund"),
        field_name="programme",
        to_field_name="slug",
        queryset=Programme.objects.all(),
    )
    funder = KeysFilter(
        label=_("Funder"),
        field_name="funder",
        to_field_name="slug",
        queryset=Organisation.objects.all(),
    )
    region = KeysFilter(
        label=_("Region"),
        to_field_name="code",
        queryset=Region.objects.all(),
        method="in_regions",
    )
    municipality = KeysFilter(
        label=_("Municipality"),
        to_field_name="code",
        queryset=Municipality.objects.all(),
        method=linked_through(Project.municipalities.through, "project", "municipality"),
    )
    implementer = KeysFilter(
        label=_("Implementing organisation"),
        to_field_name="slug",
        queryset=Organisation.objects.all(),
        method=linked_through(Implementation, "project", "organisation"),
    )
    target_group = KeysFilter(
        label=_("Target group"),
        to_field_name="slug",
        queryset=TargetGroup.objects.all(),
        method="in_target_groups",
    )
    status = django_filters.MultipleChoiceFilter(
        label=_("Status"), choices=Project.Status, distinct=False
    )
    decision = django_filters.MultipleChoiceFilter(
        label=_("Funder decision"),
        field_name="decision__decision",
        choices=Decision.Outcome,
        distinct=False,
    )
    year_from = django_filters.NumberFilter(
        label=_("Running in or after year"),
        method="running_from",
        min_value=FIRST_YEAR,
        max_value=LAST_YEAR,
    )
    year_to = django_filters.NumberFilter(
        label=_("Running in or before year"),
        method="running_to",
        min_value=FIRST_YEAR,
        max_value=LAST_YEAR,
    )
    money_min = django_filters.NumberFilter(
        label=_("Funding at least (€)"), field_name="money", lookup_expr="gte", min_value=0
    )
    money_max = django_filters.NumberFilter(
        label=_("Funding at most (€)"), field_name="money", lookup_expr="lte", min_value=0
    )
    sort = django_filters.ChoiceFilter(
        label=_("Sort by"), choices=SortChoices.CHOICES, method="sort_by", empty_label=None
    )

    class Meta:
        model = Project
        fields = []

    # Facets: filters whose options show how many projects each gives with the other filters.
    FACETS = ["round", "programme", "region", "target_group", "status", "decision", "funder"]
    # Filters reached by links (an organisation's or a municipality's projects), not checkboxes.
    WITHOUT_CONTROLS = ["municipality", "implementer"]

    def __init__(self, data=None, *args, **kwargs):
        super().__init__(data, *args, **kwargs)
        self.queryset = self.queryset.with_money()

    in_regions = linked_or_held(Project.regions.through, "region", "regions")
    in_target_groups = linked_or_held(Project.target_groups.through, "targetgroup", "target_groups")

    def search(self, queryset, name, value):
        return search_projects(queryset, value) if value.strip() else queryset

    def running_from(self, queryset, name, year):
        first_day = datetime.date(int(year), 1, 1)
        return queryset.exclude(end_date__lt=first_day)

    def running_to(self, queryset, name, year):
        last_day = datetime.date(int(year), 12, 31)
        return queryset.exclude(start_date__gt=last_day)

    def sort_by(self, queryset, name, value):
        return queryset  # ordering is applied last, in filter_queryset

    def filter_queryset(self, queryset):
        sort = self.form.cleaned_data.get("sort") or self.default_sort()
        queryset = self.filtered(queryset)
        if self.ranks_by_relevance():
            return queryset.order_by("-search_rank", "name", "id")
        return queryset.order_by(*SortChoices.ORDERINGS.get(sort, SortChoices.ORDERINGS["name"]))

    def filtered(self, queryset, leave_out: str = ""):
        """Apply every valid filter but `leave_out`; the form must have been validated. A filter
        absent from the query is skipped: an empty choice of rows still compiles its SQL."""
        for name, value in self.form.cleaned_data.items():
            if name != leave_out and name in self.data:
                queryset = self.filters[name].filter(queryset, value)
        return queryset

    def without(self, name: str):
        """Return the projects of every filter but one: the base of that facet's counts."""
        self.is_valid()  # validates the form once; cleaned_data is reused for every facet
        return self.filtered(self.queryset.all(), leave_out=name)

    def has_query(self) -> bool:
        return bool((self.form.cleaned_data.get("q") or "").strip())

    def correction(self) -> str | None:
        """Return the search with its unknown words replaced by the nearest known ones
        ("tyollistyminen" -> "työllistyminen"), or None when it has no unknown word."""
        if not self.has_query():
            return None
        return next(iter(suggest_queries(self.form.cleaned_data["q"], limit=1)), None)

    def ranks_by_relevance(self) -> bool:
        sort = self.form.cleaned_data.get("sort") or self.default_sort()
        return sort == SortChoices.RELEVANCE and self.has_query()

    def default_sort(self) -> str:
        return SortChoices.RELEVANCE if self.has_query() else SortChoices.NAME
