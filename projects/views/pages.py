"""Pages about the things projects link to: organisations, rounds, regions, source documents."""

from django.views.generic import DetailView, ListView, TemplateView

from projects.models import FundingRound, Organisation, Region, SourceDocument


class HomeView(TemplateView):
    template_name = "projects/home.html"


class AccessibilityView(TemplateView):
    template_name = "projects/accessibility.html"


class OrganisationListView(ListView):
    model = Organisation
    paginate_by = 50


class OrganisationDetailView(DetailView):
    model = Organisation


class RoundListView(ListView):
    model = FundingRound


class RoundDetailView(DetailView):
    model = FundingRound


class RegionListView(ListView):
    model = Region


class RegionDetailView(DetailView):
    model = Region
    slug_field = "code"
    slug_url_kwarg = "code"


class SourceListView(ListView):
    model = SourceDocument

    def get_queryset(self):
        return super().get_queryset().defer("text")


class SourceDetailView(DetailView):
    model = SourceDocument
