"""The project list with its filters, the project page, and the CSV export."""

from django.views.generic import DetailView, ListView

from projects.models import Project


class ProjectListView(ListView):
    model = Project
    paginate_by = 25

    def get_queryset(self):
        return Project.objects.for_list()


class ProjectDetailView(DetailView):
    model = Project

    def get_queryset(self):
        return Project.objects.for_detail()
