from django.urls import path

from projects.views import health, pages, projects, search, statistics

app_name = "projects"

urlpatterns = [
    path("", pages.HomeView.as_view(), name="home"),
    path("hankkeet/", projects.ProjectListView.as_view(), name="project-list"),
    path("hankkeet.csv", projects.project_export, name="project-export"),
    path("hankkeet/<slug:slug>/", projects.ProjectDetailView.as_view(), name="project-detail"),
    path("organisaatiot/", pages.OrganisationListView.as_view(), name="organisation-list"),
    path(
        "organisaatiot/<slug:slug>/",
        pages.OrganisationDetailView.as_view(),
        name="organisation-detail",
    ),
    path("hakukierrokset/", pages.RoundListView.as_view(), name="round-list"),
    path("hakukierrokset/<slug:slug>/", pages.RoundDetailView.as_view(), name="round-detail"),
    path("maakunnat/", pages.RegionListView.as_view(), name="region-list"),
    path("maakunnat/<slug:code>/", pages.RegionDetailView.as_view(), name="region-detail"),
    path("lahteet/", pages.SourceListView.as_view(), name="source-list"),
    path("lahteet/<slug:slug>/", pages.SourceDetailView.as_view(), name="source-detail"),
    path("haku/", search.search, name="search"),
    path("health/", health.health, name="health"),
    path("tilastot/", statistics.StatisticsView.as_view(), name="statistics"),
    path("saavutettavuus/", pages.AccessibilityView.as_view(), name="accessibility"),
]
