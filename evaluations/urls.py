from django.urls import path

from evaluations import views

app_name = "evaluations"

urlpatterns = [
    path("arvioinnit/", views.ReportListView.as_view(), name="report-list"),
    path("arvioinnit/<slug:slug>/", views.ReportDetailView.as_view(), name="report-detail"),
    path(
        "toimintamallit/<slug:slug>/",
        views.PracticeModelDetailView.as_view(),
        name="practice-model-detail",
    ),
]
