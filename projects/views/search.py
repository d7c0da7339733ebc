"""The search page: one box across projects, organisations and evaluations."""

from django.contrib.postgres.search import SearchQuery, SearchRank, SearchVector
from django.shortcuts import render

from projects.models import Project


def search(request):
    query = request.GET.get("q", "").strip()[:200]
    projects = []
    if query:
        vector = SearchVector("name", weight="A", config="finnish") + SearchVector(
            "goals", "results", weight="B", config="finnish"
        )
        search_query = SearchQuery(query, search_type="websearch", config="finnish")
        projects = (
            Project.objects.for_list()
            .annotate(rank=SearchRank(vector, search_query))
            .filter(rank__gt=0)
            .order_by("-rank", "name")[:50]
        )
    return render(request, "projects/search.html", {"query": query, "projects": projects})
