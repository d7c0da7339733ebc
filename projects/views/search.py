"""The search page: one box across projects, organisations and evaluations."""

from django.shortcuts import render

from projects.search import search_everything


def search(request):
    results = search_everything(request.GET.get("q", ""))
    return render(request, "projects/search.html", {"results": results})
