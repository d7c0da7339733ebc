"""The project list with its filters, the project page, and the CSV export."""

import datetime

from django.http import HttpResponseBadRequest, StreamingHttpResponse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET
from django.views.generic import DetailView, ListView

from projects import exports, paging
from projects.facets import facets_and_figures
from projects.filters import ProjectFilter
from projects.models import Project, SectionSource, SourceDocument
from projects.models.projects import prefetch_cited
from projects.overview import sizes
from projects.search import annotate_headlines, bounded_ranking


class ProjectListView(ListView):
    paginate_by = 25
    template_name = "projects/project_list.html"

    def get_queryset(self):
        self.filterset = ProjectFilter(self.request.GET, queryset=Project.objects.all())
        projects = self.filterset.qs
        searched = self.filterset.has_query()
        (self.size,) = sizes(projects, searched=searched)
        # As the search page does: a search that finds nothing for a misspelt word shows what
        # its correction finds, the filters kept.
        self.nothing_found_for = None
        if searched and not self.size.count and (correction := self.filterset.correction()):
            self.nothing_found_for = self.filterset.form.cleaned_data["q"]
            corrected = self.request.GET.copy()
            corrected["q"] = correction
            self.filterset = ProjectFilter(corrected, queryset=Project.objects.all())
            projects = self.filterset.qs
            (self.size,) = sizes(projects, searched=searched)
        projects, ranked_at_most = bounded_ranking(projects, self.filterset, self.size.count)
        self.ranked_among_first_found = ranked_at_most is not None
        self.listed_at_most = ranked_at_most or paging.LISTED_AT_MOST
        projects = projects.for_list()
        if searched:
            projects = annotate_headlines(projects, self.filterset.form.cleaned_data["q"])
        return projects

    def get_paginator(self, queryset, per_page, **kwargs):
        return paging.ProjectPaginator(
            queryset, per_page, size=self.size, listed_at_most=self.listed_at_most, **kwargs
        )

    def get_context_data(self, **kwargs):
        query = self.filterset.data.copy()
        query.pop("page", None)
        context = super().get_context_data(**kwargs)
        facets, summary, achieved = facets_and_figures(self.filterset, self.size)
        return context | dict(
            filter=self.filterset,
            nothing_found_for=self.nothing_found_for,
            facets=facets,
            summary=summary,
            achieved=achieved,
            listed_at_most=self.listed_at_most if self.size.count > self.listed_at_most else None,
            ranked_among_first_found=self.ranked_among_first_found,
            query_string=query.urlencode(),
            current_query=[
                (name, value)
                for name, values in query.lists()
                if name != "columns"
                for value in values
            ],
            export_columns=[
                (name, label, name in exports.DEFAULT_COLUMNS)
                for name, label in exports.COLUMNS.items()
            ],
            active_filters=active_filters(self.filterset),
            hidden_filters=[
                (name, value)
                for name in ProjectFilter.WITHOUT_CONTROLS
                for value in self.filterset.data.getlist(name)
            ],
            current_sort=self.filterset.form.cleaned_data.get("sort")
            or self.filterset.default_sort(),
        )


def active_filters(filterset) -> list[dict]:
    """Return each chosen filter value with its label and the query string without it."""
    filterset.form.is_valid()  # validates, so cleaned_data holds the chosen rows
    cleaned = filterset.form.cleaned_data
    chosen = []
    for name, field in filterset.form.fields.items():
        if name == "sort" or not any(v.strip() for v in filterset.data.getlist(name)):
            continue
        if hasattr(field, "queryset"):  # the rows were fetched when the form was validated
            options = cleaned.get(name) or []
            labels = {str(getattr(option, field.to_field_name)): str(option) for option in options}
        else:
            labels = {str(k): str(v) for k, v in getattr(field, "choices", [])}
        for value in filterset.data.getlist(name):
            if not value.strip():
                continue
            remaining = filterset.data.copy()
            remaining.setlist(name, [v for v in filterset.data.getlist(name) if v != value])
            remaining.pop("page", None)
            chosen.append(
                {
                    "filter": field.label,
                    "value": labels.get(value, value),
                    "without": remaining.urlencode(),
                }
            )
    return chosen


class ProjectDetailView(DetailView):
    model = Project

    def get_queryset(self):
        return Project.objects.for_detail()

    def get_object(self, queryset=None):
        project = super().get_object(queryset)
        self.cited = prefetch_cited(project)
        SourceDocument.objects.attach_to(self.cited_records(project))
        return project

    def cited_records(self, project) -> list:
        """Return the project and each of its records that the page shows with its source."""
        records = [
            project,
            *self.cited["sources"],
            *self.cited["outputs"],
            *self.cited["outcomes"],
            *self.cited["practice_models"],
        ]
        for mention in self.cited["mentions"]:
            records += [mention, *mention.report.recommendations.all()]
        decision = getattr(project, "decision", None)  # a project without one raises
        if decision:
            records += [decision, *decision.stages.all(), *decision.money_lines.all()]
        return records

    def get_context_data(self, **kwargs):
        sources = {}
        for source in self.cited["sources"]:
            sources.setdefault(source.section, []).append(source)
        sections = [
            {
                "name": name,
                "title": Project._meta.get_field(name).verbose_name,
                "text": getattr(self.object, name),
                "sources": sources.get(name, []),
            }
            for name in Project.SECTIONS
            if getattr(self.object, name)
        ]
        return super().get_context_data(
            cited=self.cited,
            sections=sections,
            record_sources=sources.get(SectionSource.Section.RECORD, []),
            target_group_sources=sources.get(SectionSource.Section.TARGET_GROUPS, []),
            **kwargs,
        )


@require_GET
def project_export(request):
    """Stream the projects of the current filters and search as CSV, in the list's order."""
    filterset = ProjectFilter(request.GET, queryset=Project.objects.all())
    if not filterset.is_valid():
        errors = "; ".join(f"{name}: {' '.join(e)}" for name, e in filterset.errors.items())
        return HttpResponseBadRequest(
            _("Nothing was exported: some filters were not understood (%(errors)s).")
            % {"errors": errors},
            content_type="text/plain; charset=utf-8",
        )
    try:
        columns = exports.parse_columns(request.GET.getlist("columns"))
    except ValueError as unknown:
        return HttpResponseBadRequest(
            _("Nothing was exported: unknown columns %(columns)s.") % {"columns": unknown},
            content_type="text/plain; charset=utf-8",
        )
    lines = exports.csv_lines(filterset.qs, columns, request.build_absolute_uri("/")[:-1])
    response = StreamingHttpResponse(lines, content_type="text/csv; charset=utf-8")
    name = exports.file_name(datetime.date.today())
    response["Content-Disposition"] = f'attachment; filename="{name}"'
    return response
