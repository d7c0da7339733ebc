"""Pages about the things projects link to: organisations, rounds, regions, source documents."""

import datetime
from urllib.parse import urlencode

from django.conf import settings
from django.db.models.functions import Lower
from django.http import Http404
from django.views.generic import DetailView, ListView, TemplateView

from evaluations.models import PracticeModel, Report
from projects import stats
from projects.models import FundingRound, Organisation, Project, Region, SourceDocument, sources
from projects.overview import figures, scaled, sizes
from projects.paging import IdsFirstPaginator

# Projects a round's, a region's or an organisation's page lists before it links to the
# filtered project list for the rest.
SHOWN = 50


class HomeView(TemplateView):
    """What the portal is, a search box, the ways in with their counts, and key figures."""

    template_name = "projects/home.html"

    def get_context_data(self, **kwargs):
        projects = Project.objects.all()
        (size,) = sizes(projects)
        summary, achieved = figures(projects, size)
        rounds = FundingRound.objects.with_project_sizes(within=size)
        regions = stats.projects_per_region()
        return super().get_context_data(
            summary=summary,
            achieved=achieved,
            rounds=rounds,
            region_count=len(regions),
            organisation_count=Organisation.objects.count(),
            report_count=Report.objects.count(),
            charts=[
                stats.projects_per_round_chart(stats.rounds_with_projects(rounds)),
                stats.projects_per_region_chart(regions),
            ],
            **kwargs,
        )


class AccessibilityView(TemplateView):
    """The accessibility statement that the Act on the Provision of Digital Services (306/2019)
    asks of a public-sector service."""

    template_name = "projects/accessibility.html"
    # Update both dates whenever the statement's content changes.
    prepared = datetime.date(2026, 11, 23)
    reviewed = datetime.date(2026, 11, 23)

    def get_context_data(self, **kwargs):
        return super().get_context_data(
            prepared=self.prepared,
            reviewed=self.reviewed,
            feedback_email=settings.FEEDBACK_EMAIL,
            **kwargs,
        )


class OrganisationListView(ListView):
    paginate_by = 50
    paginator_class = IdsFirstPaginator

    def get_queryset(self):
        # Lower: "Helsingin aikuisopisto" before "Helsingin Diakonissalaitos".
        organisations = Organisation.objects.with_project_counts().prefetch_related("names")
        return organisations.order_by(Lower("name"))


class OrganisationDetailView(DetailView):
    """An organisation with the first projects of each of its roles; the project list,
    filtered by it, has them all (a large funder has tens of thousands)."""

    shown = SHOWN

    def get_queryset(self):
        return Organisation.objects.for_detail()

    def get_context_data(self, **kwargs):
        organisation, shown = self.object, self.shown
        # Only what the page shows of each project: their texts are kilobytes a project.
        named = ["name", "slug", "status"]

        def first(projects):
            return projects.only(*named).order_by("name", "id")[:shown]

        implementations = organisation.implementations.select_related("project").only(
            "role", *(f"project__{field}" for field in named)
        )
        return super().get_context_data(
            implementations=implementations.order_by("project__name", "project_id")[:shown],
            funded=first(organisation.funded_projects),
            administered=first(organisation.administered_projects),
            shown=shown,
            **kwargs,
        )


class ProjectSizesListView(ListView):
    """A list of records, each with its `project_size`; `estimated` says if any is estimated."""

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["estimated"] = any(record.project_size.estimated for record in self.object_list)
        return context


class RoundListView(ProjectSizesListView):
    template_name = "projects/fundinground_list.html"

    def get_queryset(self):
        (everything,) = sizes(Project.objects.all())
        return FundingRound.objects.with_project_sizes(within=everything)


class RoundDetailView(DetailView):
    def get_queryset(self):
        return FundingRound.objects.select_related("programme", "coordinator")

    def get_object(self, queryset=None):
        funding_round = super().get_object(queryset)
        SourceDocument.objects.attach_to([funding_round])
        return funding_round

    def get_context_data(self, **kwargs):
        projects = self.object.projects.all()
        (size,) = sizes(projects)
        summary, achieved = figures(projects, size)
        charted = SHOWN if summary["count"] > SHOWN else None
        return super().get_context_data(
            projects=projects.with_money().for_list().order_by("name", "id")[:SHOWN],
            shown=SHOWN,
            list_query=urlencode({"round": self.object.slug}),
            summary=summary,
            achieved=achieved,
            outcomes_chart=stats.round_outcomes_chart(self.object, first=charted),
            regions=self.object.projects_by_region(size),
            **kwargs,
        )


class RegionListView(ProjectSizesListView):
    template_name = "projects/region_list.html"

    def get_queryset(self):
        return Region.objects.with_project_sizes()


class RegionDetailView(DetailView):
    def get_object(self, queryset=None):
        regions = Region.objects.filter(code=self.kwargs["code"]).with_project_sizes()
        if not regions:
            raise Http404
        return regions[0]

    def get_context_data(self, **kwargs):
        region, size = self.object, self.object.project_size
        # Its sample is read from the region's links, not from Size.read()'s ids.
        summary, achieved = scaled(
            *Project.objects.in_region(region, size.per_mille).figures(), size
        )
        # A big region's first projects by name are found by walking the names; a small
        # one's by sorting its few projects.
        projects = (
            Project.objects.probed_in_region(region)
            if size.estimated
            else Project.objects.in_region(region)
        )
        return super().get_context_data(
            projects=projects.with_money().for_list().order_by("name", "id")[:SHOWN],
            shown=SHOWN,
            list_query=urlencode({"region": region.code}),
            summary=summary,
            achieved=achieved,
            **kwargs,
        )


class SourceListView(ListView):
    template_name = "projects/sourcedocument_list.html"

    def get_queryset(self):
        return SourceDocument.objects.with_public_summaries()


class SourceDetailView(DetailView):
    def get_object(self, queryset=None):
        documents = (
            SourceDocument.objects.with_record_counts()
            .filter(slug=self.kwargs["slug"])
            .with_public_lines()
        )
        if not documents:
            raise Http404
        return documents[0]

    def get_context_data(self, **kwargs):
        return super().get_context_data(
            projects=Project.objects.citing(self.object)[:SHOWN],
            shown=SHOWN,
            counted_up_to=sources.CITING_COUNTED_UP_TO,
            reports=Report.objects.filter(document=self.object),
            practice_models=PracticeModel.objects.filter(document=self.object),
            **kwargs,
        )
