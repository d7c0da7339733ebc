"""The statistics page: overview charts of all projects and of each funding round."""

from django.views.generic import TemplateView

from projects import stats
from projects.models import FundingRound, Project
from projects.overview import sizes
from projects.views.pages import SHOWN


class StatisticsView(TemplateView):
    template_name = "projects/statistics.html"

    def get_context_data(self, **kwargs):
        (size,) = sizes(Project.objects.all())
        rounds = stats.rounds_with_projects(FundingRound.objects.with_project_sizes(within=size))
        return super().get_context_data(
            projects_per_round_chart=stats.projects_per_round_chart(rounds),
            projects_per_region_chart=stats.projects_per_region_chart(stats.projects_per_region()),
            money_per_round_chart=stats.money_per_round_chart(size),
            # As many projects of each round as the round's page charts and lists.
            round_outcome_charts=stats.outcomes_per_round_charts(rounds, first=SHOWN),
            **kwargs,
        )
