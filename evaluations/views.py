"""Evaluation reports and the practice models they assess."""

from django.views.generic import DetailView, ListView

from evaluations.models import PracticeModel, Report


class ReportListView(ListView):
    model = Report


class ReportDetailView(DetailView):
    model = Report


class PracticeModelDetailView(DetailView):
    model = PracticeModel
