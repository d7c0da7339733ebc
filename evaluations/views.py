"""Evaluation reports and the practice models they assess."""

from django.views.generic import DetailView, ListView

from evaluations.models import PracticeModel, Report
from projects.models import SourceDocument


class ReportListView(ListView):
    def get_queryset(self):
        return Report.objects.for_list()

    def get_context_data(self, **kwargs):
        return super().get_context_data(
            practice_models=PracticeModel.objects.select_related("project"), **kwargs
        )


class ReportDetailView(DetailView):
    def get_queryset(self):
        return Report.objects.for_detail()

    def get_object(self, queryset=None):
        report = super().get_object(queryset)
        SourceDocument.objects.attach_to(
            [
                report,
                *report.theses.all(),
                *report.recommendations.all(),
                *report.mentions.all(),
            ]
        )
        return report


class PracticeModelDetailView(DetailView):
    def get_queryset(self):
        return PracticeModel.objects.for_detail()

    def get_object(self, queryset=None):
        practice_model = super().get_object(queryset)
        SourceDocument.objects.attach_to([practice_model, *practice_model.criteria.all()])
        return practice_model
