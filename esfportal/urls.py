from django.contrib import admin
from django.urls import include, path
from drf_spectacular.views import SpectacularAPIView, SpectacularSwaggerView
from rest_framework.routers import SimpleRouter

from projects.api import ProjectViewSet

router = SimpleRouter()
router.register("projects", ProjectViewSet, basename="project")

api_patterns = [
    *router.urls,
    path("schema/", SpectacularAPIView.as_view(), name="schema"),
    path("docs/", SpectacularSwaggerView.as_view(url_name="api:schema"), name="docs"),
]

urlpatterns = [
    path("admin/", admin.site.urls),
    path("i18n/", include("django.conf.urls.i18n")),
    path("api/", include((api_patterns, "api"))),
    path("", include("projects.urls")),
    path("", include("evaluations.urls")),
]
