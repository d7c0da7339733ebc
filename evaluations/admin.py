"""The back office for evaluation reports, their theses and recommendations, the projects they
discuss, and practice models with their assessment. A change rebuilds the search entries."""

from django.contrib import admin

from evaluations.models import (
    Criterion,
    PracticeModel,
    ProjectMention,
    Recommendation,
    Report,
    Thesis,
)
from projects.admin_base import EvaluationAdmin, Inline

SOURCE_FIELDS = ("document", "first_line", "last_line")


class ThesisInline(Inline):
    model = Thesis
    fields = ("number", "title", "text", *SOURCE_FIELDS)


class RecommendationInline(Inline):
    model = Recommendation
    fields = ("number", "text", "addressed_to", *SOURCE_FIELDS)


class ProjectMentionInline(Inline):
    model = ProjectMention
    autocomplete_fields = ("project",)
    fields = ("project", "status", "end_date", "end_precision", "remark", *SOURCE_FIELDS)


class CriterionInline(Inline):
    model = Criterion
    fields = ("position", "group", "name", "assessment", *SOURCE_FIELDS)


@admin.register(Report)
class ReportAdmin(EvaluationAdmin):
    list_display = ("title", "kind", "year", "evaluator_person", "parent")
    list_filter = ("kind", "year")
    list_select_related = ("parent",)
    date_hierarchy = "published"
    search_fields = (
        "title",
        "slug",
        "evaluator_person",
        "evaluators__name",
        "evaluators__names__name",
    )
    autocomplete_fields = ("parent", "evaluators")
    prepopulated_fields = {"slug": ("title",)}
    inlines = (ThesisInline, RecommendationInline, ProjectMentionInline)


@admin.register(Thesis)
class ThesisAdmin(EvaluationAdmin):
    list_display = ("__str__", "report")
    list_select_related = ("report",)
    search_fields = ("title", "text", "report__title")
    autocomplete_fields = ("report",)


@admin.register(Recommendation)
class RecommendationAdmin(EvaluationAdmin):
    list_display = ("__str__", "addressed_to")
    list_filter = ("addressed_to",)
    list_select_related = ("report",)
    search_fields = ("text", "addressed_to", "report__title")
    autocomplete_fields = ("report",)


@admin.register(ProjectMention)
class ProjectMentionAdmin(EvaluationAdmin):
    list_display = ("project", "report", "status", "end_date")
    list_filter = ("status", "report")
    list_select_related = ("project", "report")
    search_fields = ("project__code", "project__name", "report__title", "remark")
    autocomplete_fields = ("report", "project")


@admin.register(PracticeModel)
class PracticeModelAdmin(EvaluationAdmin):
    list_display = ("name", "project", "report")
    list_select_related = ("project", "report")
    search_fields = ("name", "slug", "description", "project__code", "project__name")
    autocomplete_fields = ("project", "report")
    prepopulated_fields = {"slug": ("name",)}
    inlines = (CriterionInline,)


@admin.register(Criterion)
class CriterionAdmin(EvaluationAdmin):
    list_display = ("name", "group", "practice_model")
    list_filter = ("group",)
    list_select_related = ("practice_model",)
    search_fields = ("name", "assessment", "practice_model__name")
    autocomplete_fields = ("practice_model",)
