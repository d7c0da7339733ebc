"""The read-only JSON API: the project list takes the same filters and search as the page."""

from functools import partial

from django_filters.rest_framework import DjangoFilterBackend
from drf_spectacular.utils import (
    OpenApiResponse,
    extend_schema,
    extend_schema_field,
    extend_schema_view,
)
from rest_framework import serializers, viewsets
from rest_framework.pagination import PageNumberPagination
from rest_framework.response import Response

from projects.filters import ProjectFilter
from projects.models import Implementation, Outcome, Project
from projects.overview import sizes
from projects.paging import ProjectPaginator
from projects.search import bounded_ranking


class FilterBackend(DjangoFilterBackend):
    """Keeps the view's filterset (ProjectFilter) on the view, valid once filtered, so that
    the pagination asks it how to page without validating the filters again."""

    def get_filterset(self, request, queryset, view):
        view.filterset = super().get_filterset(request, queryset, view)
        return view.filterset


class SizedPagination(PageNumberPagination):
    """`count` is exact up to projects.overview.EXACT_UP_TO projects and an estimate above,
    which `count_estimated` says; pages end after projects.paging.LISTED_AT_MOST projects, or
    a search by relevance after the RANKED_AT_MOST ranked (projects.search.bounded_ranking)."""

    def paginate_queryset(self, queryset, request, view=None):
        filterset = view.filterset
        searched = filterset.has_query()
        (size,) = sizes(queryset, searched=searched)
        queryset, listed_at_most = bounded_ranking(queryset, filterset, size.count)
        self.django_paginator_class = partial(
            ProjectPaginator, size=size, searched=searched, listed_at_most=listed_at_most
        )
        return super().paginate_queryset(queryset, request, view)

    def get_paginated_response(self, data):
        size = self.page.paginator.size
        return Response(
            {
                "count": size.count,
                "count_estimated": size.estimated,
                "next": self.get_next_link(),
                "previous": self.get_previous_link(),
                "results": data,
            }
        )

    def get_paginated_response_schema(self, schema):
        response = super().get_paginated_response_schema(schema)
        response["required"] = ["count", "count_estimated", "results"]
        response["properties"]["count_estimated"] = {
            "type": "boolean",
            "description": "Whether `count` is an estimate (two significant digits) of a set "
            "too large to count.",
        }
        return response


class NamesField(serializers.ListField):
    child = serializers.CharField()

    def __init__(self, **kwargs):
        super().__init__(read_only=True, **kwargs)


class RecordsField(serializers.Field):
    """Records the projects' query wrote out as JSON already (ProjectQuerySet.for_api()),
    described in the OpenAPI document by the serializer it is decorated with."""

    def __init__(self, **kwargs):
        super().__init__(read_only=True, **kwargs)

    def to_representation(self, value):
        return value


# The two below describe a project's implementers and outcomes in the OpenAPI document; the
# records themselves come as JSON in the API's shape (ImplementersField, OutcomesField).
class ImplementerSerializer(serializers.ModelSerializer):
    name = serializers.CharField(source="organisation.name")
    slug = serializers.CharField(source="organisation.slug")

    class Meta:
        model = Implementation
        fields = ["name", "slug", "role"]


class OutcomeSerializer(serializers.ModelSerializer):
    planned_or_achieved = serializers.CharField(source="stage")

    class Meta:
        model = Outcome
        fields = ["kind", "planned_or_achieved", "value", "unit", "label"]


@extend_schema_field(ImplementerSerializer(many=True))
class ImplementersField(RecordsField):
    pass


@extend_schema_field(OutcomeSerializer(many=True))
class OutcomesField(RecordsField):
    pass


class DecisionSerializer(serializers.Serializer):
    decision = serializers.CharField()
    score = serializers.IntegerField(allow_null=True)
    max_score = serializers.IntegerField(allow_null=True)


class ProjectSerializer(serializers.ModelSerializer):
    url = serializers.SerializerMethodField()
    funding_round = serializers.SlugRelatedField(slug_field="slug", read_only=True, allow_null=True)
    programme = serializers.SlugRelatedField(slug_field="slug", read_only=True, allow_null=True)
    funder = serializers.SlugRelatedField(slug_field="name", read_only=True, allow_null=True)
    # Read as arrays or JSON in the projects' query (ProjectQuerySet.for_api()).
    regions = NamesField(source="region_names")
    municipalities = NamesField(source="municipality_names")
    target_groups = NamesField(source="target_group_slugs")
    implementers = ImplementersField(source="implementer_records")
    outcomes = OutcomesField(source="outcome_records")
    decision = serializers.SerializerMethodField()

    class Meta:
        model = Project
        fields = [
            "code",
            "name",
            "slug",
            "url",
            "status",
            "funding_round",
            "programme",
            "funder",
            "regions",
            "municipalities",
            "is_national",
            "implementers",
            "target_groups",
            "start_date",
            "start_precision",
            "end_date",
            "end_precision",
            "realised_public_funding",
            "applied_total",
            "approved_total",
            "outcomes",
            "decision",
        ]

    def get_url(self, project) -> str:
        return self.context["request"].build_absolute_uri(project.get_absolute_url())

    @extend_schema_field(DecisionSerializer(allow_null=True))
    def get_decision(self, project):
        decision = getattr(project, "decision", None)
        if decision is None:
            return None
        return DecisionSerializer(decision).data


@extend_schema_view(
    list=extend_schema(
        responses={
            200: ProjectSerializer(many=True),
            400: OpenApiResponse(description="A filter value was not understood."),
            404: OpenApiResponse(description="The page is past the end of the list."),
        }
    ),
    retrieve=extend_schema(
        responses={200: ProjectSerializer, 404: OpenApiResponse(description="No such project.")}
    ),
)
class ProjectViewSet(viewsets.ReadOnlyModelViewSet):
    """Projects. The list takes the project list page's filters and `q` for search."""

    serializer_class = ProjectSerializer
    lookup_field = "slug"
    lookup_value_regex = "[-a-zA-Z0-9_]+"
    filter_backends = [FilterBackend]
    filterset_class = ProjectFilter
    pagination_class = SizedPagination

    def get_queryset(self):
        return Project.objects.for_api()
