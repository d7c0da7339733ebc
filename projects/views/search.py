"""The search page: one box across projects, organisations and evaluations."""

from django.shortcuts import render
from django.views.decorators.http import require_GET

from projects.search import search_everything


@require_GET
def search(request):
    results = search_everything(request.GET.get("q", ""))
    return render(request, "projects/search.html", {"results": results})
