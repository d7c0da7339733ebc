"""The back office for projects, organisations, places, funding and source documents.

Every record keeps its change history with revert (RecordAdmin); lists stay quick at a million
projects: related names joined in the list's one query, counts bounded (admin_base).
"""

from django.contrib import admin
from django.contrib.admin.views.main import ChangeList
from django.db.models import OuterRef, Q, Subquery
from django.urls import reverse
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _

from projects.admin_base import (
    EXACT_COUNT_LIMIT,
    EstimatedCountPaginator,
    Inline,
    ProjectChildAdmin,
    RecordAdmin,
    SearchedByProject,
    found_projects,
)
from projects.admin_forms import MoneyLineFormSet
from projects.models import (
    ContactPerson,
    Decision,
    DecisionStage,
    FundingRound,
    Implementation,
    ImportRecord,
    MoneyLine,
    Municipality,
    Organisation,
    OrganisationName,
    Outcome,
    Output,
    Programme,
    Project,
    Region,
    SectionSource,
    SourceDocument,
    TargetGroup,
)
from projects.search import implemented_projects

SOURCE_FIELDS = ("document", "first_line", "last_line")
# The lists of projects' rows are searched through their project (admin_base.SearchedByProject).
PROJECT_ROWS_SEARCH = _(
    "Search by the project's EURA code, name, implementer or any word of its texts."
)

admin.site.site_header = admin.site.site_title = _("ESR-hankkeet administration")
admin.site.index_title = _("Records")


# -- Places, vocabularies, programmes ------------------------------------------------------


@admin.register(Region)
class RegionAdmin(RecordAdmin):
    list_display = ("name", "code", "name_sv")
    search_fields = ("name", "name_sv", "code")


@admin.register(Municipality)
class MunicipalityAdmin(RecordAdmin):
    list_display = ("name", "code", "name_sv", "region")
    list_filter = ("region",)
    list_select_related = ("region",)
    search_fields = ("name", "name_sv", "code")


@admin.register(TargetGroup)
class TargetGroupAdmin(RecordAdmin):
    list_display = ("name", "slug")
    search_fields = ("name", "slug", "description")
    prepopulated_fields = {"slug": ("name",)}


@admin.register(Programme)
class ProgrammeAdmin(RecordAdmin):
    list_display = ("name", "fund", "detail")
    list_filter = ("fund",)
    search_fields = ("name", "slug", "detail")
    prepopulated_fields = {"slug": ("name",)}


@admin.register(FundingRound)
class FundingRoundAdmin(RecordAdmin):
    list_display = ("name", "number", "programme", "coordinator", "call_year", "first_year")
    list_filter = ("programme", "call_year")
    list_select_related = ("programme", "coordinator")
    search_fields = ("name", "slug", "theme", "coordinator__name", "coordinator__code")
    autocomplete_fields = ("coordinator",)
    prepopulated_fields = {"slug": ("name",)}


# -- Organisations -------------------------------------------------------------------------


class OrganisationNameInline(Inline):
    model = OrganisationName


def organisations_reindex_command(organisations) -> str:
    chosen = " ".join(f"--organisation {slug}" for slug in sorted({o.slug for o in organisations}))
    return f"manage.py rebuild_search_index {chosen}"


@admin.register(Organisation)
class OrganisationAdmin(RecordAdmin):
    list_display = ("name", "kind", "business_id", "other_names")
    list_filter = ("kind",)
    search_fields = ("name", "slug", "business_id", "names__name")
    search_help_text = _("Search by name, abbreviation or business ID.")
    prepopulated_fields = {"slug": ("name",)}
    inlines = (OrganisationNameInline,)

    def get_queryset(self, request):
        return super().get_queryset(request).prefetch_related("names")

    @admin.display(description=_("other names"))
    def other_names(self, organisation):
        return ", ".join(name.name for name in organisation.names.all())

    def search_projects(self, objs):
        return implemented_projects([obj.pk for obj in objs])

    def search_organisations(self, objs):
        return {obj.pk for obj in objs}

    def reindex_command(self, objs):
        return organisations_reindex_command(objs)


@admin.register(OrganisationName)
class OrganisationNameAdmin(RecordAdmin):
    list_display = ("name", "kind", "organisation")
    list_filter = ("kind",)
    list_select_related = ("organisation",)
    search_fields = ("name", "organisation__name")
    autocomplete_fields = ("organisation",)

    def search_projects(self, objs):
        return implemented_projects([obj.organisation_id for obj in objs])

    def search_organisations(self, objs):
        return {obj.organisation_id for obj in objs}

    def reindex_command(self, objs):
        return organisations_reindex_command([obj.organisation for obj in objs])


# -- Projects ------------------------------------------------------------------------------


class ImplementationInline(Inline):
    model = Implementation
    autocomplete_fields = ("organisation",)
    fields = ("organisation", "role", "position")


class OutcomeInline(Inline):
    model = Outcome
    fields = ("position", "kind", "stage", "value", "unit", "label", "phrase", *SOURCE_FIELDS)


class OutputInline(Inline):
    model = Output
    fields = ("position", "kind", "title", "url", *SOURCE_FIELDS)


class ContactPersonInline(Inline):
    """Personal data: shown to staff here, never on the public pages."""

    model = ContactPerson
    fields = ("name", "organisation", "title", "email", "phone", *SOURCE_FIELDS)


class SectionSourceInline(Inline):
    model = SectionSource
    fields = ("section", *SOURCE_FIELDS)
    verbose_name_plural = _("sources of the texts")


@admin.register(Project)
class ProjectAdmin(RecordAdmin):
    list_display = (
        "name",
        "code",
        "status",
        "funding_round",
        "main_implementer",
        "funder",
        "start_date",
        "end_date",
    )
    list_filter = (
        "status",
        "funding_round",
        "programme",
        ("funder", admin.RelatedOnlyFieldListFilter),
        "regions",
        "is_national",
    )
    list_select_related = ("funding_round", "funder")
    # Newest first, along the primary key: the name has no index to sort a million rows by.
    # No date_hierarchy: its list of years reads every row's start date.
    ordering = ("-pk",)
    # Searched through the search index, not with these fields: see get_search_results().
    search_fields = ("code", "name")
    search_help_text = _(
        "Search by EURA code, name, implementer or its abbreviation, or any word of the texts."
    )
    autocomplete_fields = (
        "parent",
        "funder",
        "administrator",
        "regions",
        "municipalities",
        "target_groups",
    )
    prepopulated_fields = {"slug": ("name",)}
    readonly_fields = ("decision_link",)
    fieldsets = (
        (None, {"fields": ("code", "name", "other_names", "slug", "status", "parent")}),
        (
            _("Period"),
            {"fields": (("start_date", "start_precision"), ("end_date", "end_precision"))},
        ),
        (
            _("Funding"),
            {
                "fields": (
                    "funding_round",
                    "programme",
                    "funder",
                    "administrator",
                    "realised_public_funding",
                    "applied_total",
                    "approved_total",
                    "decision_link",
                )
            },
        ),
        (
            _("Where and for whom"),
            {
                "fields": (
                    "is_national",
                    "regions",
                    "municipalities",
                    "target_groups",
                    "target_groups_text",
                )
            },
        ),
        (_("Texts"), {"fields": Project.SECTIONS}),
        (_("Source"), {"fields": SOURCE_FIELDS, "classes": ("collapse",)}),
    )
    inlines = (
        ImplementationInline,
        OutcomeInline,
        OutputInline,
        ContactPersonInline,
        SectionSourceInline,
    )

    def get_queryset(self, request):
        main = Implementation.objects.filter(
            project=OuterRef("pk"), role=Implementation.Role.MAIN
        ).order_by("position")
        # A correlated subquery, run for the rows of the page only: no query per row.
        return (
            super()
            .get_queryset(request)
            .annotate(main_implementer=Subquery(main.values("organisation__name")[:1]))
        )

    @admin.display(description=_("main implementer"), ordering="main_implementer")
    def main_implementer(self, project):
        return project.main_implementer

    @admin.display(description=_("funder decision"))
    def decision_link(self, project):
        decision = Decision.objects.filter(project=project).first() if project.pk else None
        if decision is None:
            return "–"
        url = reverse("admin:projects_decision_change", args=[decision.pk])
        return format_html('<a href="{}">{}</a>', url, decision.get_decision_display())

    def get_search_results(self, request, queryset, search_term):
        term = search_term.strip()
        return (queryset.filter(found_projects(term, queryset)) if term else queryset), False

    def search_projects(self, objs):
        return {obj.pk for obj in objs}


@admin.register(Implementation)
class ImplementationAdmin(ProjectChildAdmin):
    list_display = ("project", "organisation", "role", "position")
    list_filter = ("role",)
    list_select_related = ("project", "organisation")
    search_help_text = _(
        "Search by the project's EURA code, name or any word of its texts, or by the "
        "organisation's name or abbreviation."
    )
    autocomplete_fields = ("project", "organisation")

    def own_matches(self, term):
        """The rows of the organisations of that name, fetched first when at most
        EXACT_COUNT_LIMIT: PostgreSQL then finds the rows of the OR through the index of each
        side, where with a subquery it read every row (0.8 s for a code at a million)."""
        named = Organisation.objects.filter(
            Q(name__icontains=term) | Q(names__name__icontains=term)
        )
        ids = list(named.values_list("pk", flat=True)[: EXACT_COUNT_LIMIT + 1])
        return Q(organisation__in=ids if len(ids) <= EXACT_COUNT_LIMIT else named.values("pk"))


@admin.register(Outcome)
class OutcomeAdmin(ProjectChildAdmin):
    list_display = ("project", "position", "kind", "stage", "value", "unit", "label")
    list_filter = ("kind", "stage", "unit")
    list_select_related = ("project",)
    search_help_text = PROJECT_ROWS_SEARCH
    autocomplete_fields = ("project",)


@admin.register(Output)
class OutputAdmin(ProjectChildAdmin):
    list_display = ("title", "project", "kind", "url")
    list_filter = ("kind",)
    list_select_related = ("project",)
    search_help_text = _(
        "Search by title or address, or by the project's EURA code, name or any word of its texts."
    )
    autocomplete_fields = ("project",)

    def own_matches(self, term):
        return Q(title__icontains=term) | Q(url__icontains=term)


@admin.register(ContactPerson)
class ContactPersonAdmin(ProjectChildAdmin):
    """Personal data: shown to staff here, never on the public pages."""

    list_display = ("name", "project", "organisation", "title", "email", "phone")
    list_select_related = ("project",)
    search_help_text = _(
        "Search by name, e-mail or organisation, or by the project's EURA code, name or any "
        "word of its texts."
    )
    autocomplete_fields = ("project",)

    def own_matches(self, term):
        return Q(name__icontains=term) | Q(email__icontains=term) | Q(organisation__icontains=term)


@admin.register(SectionSource)
class SectionSourceAdmin(ProjectChildAdmin):
    list_display = ("project", "section", "document", "first_line", "last_line")
    list_filter = ("section",)
    list_select_related = ("project", "document")
    search_help_text = PROJECT_ROWS_SEARCH
    autocomplete_fields = ("project",)

    def get_queryset(self, request):
        return super().get_queryset(request).defer("document__text")


# -- Decisions -----------------------------------------------------------------------------


class DecisionStageInline(Inline):
    model = DecisionStage
    fields = ("position", "date", "body", *SOURCE_FIELDS)


class MoneyLineInline(Inline):
    model = MoneyLine
    formset = MoneyLineFormSet
    fields = (
        "section",
        "position",
        "label",
        "applied",
        "approved",
        "rejected",
        "share_percent",
        "is_total",
    )


@admin.register(Decision)
class DecisionAdmin(SearchedByProject, RecordAdmin):
    list_display = ("project", "decision", "score", "max_score")
    list_filter = ("decision",)
    list_select_related = ("project",)
    search_help_text = PROJECT_ROWS_SEARCH
    autocomplete_fields = ("project",)
    inlines = (DecisionStageInline, MoneyLineInline)


@admin.register(DecisionStage)
class DecisionStageAdmin(SearchedByProject, RecordAdmin):
    list_display = ("date", "body", "decision")
    list_filter = ("date",)
    list_select_related = ("decision__project",)
    # No date_hierarchy: its years and bounds read every listed row (1.1 s each for a common
    # word's stages at a million projects); the date filter's choices read none.
    search_help_text = PROJECT_ROWS_SEARCH
    project_path = "decision__project"
    autocomplete_fields = ("decision",)


@admin.register(MoneyLine)
class MoneyLineAdmin(SearchedByProject, RecordAdmin):
    """Read-only on its own: budget lines are edited together on their decision's page, where
    the lines of a section are checked to add up to its total line."""

    list_display = ("label", "decision", "section", "applied", "approved", "rejected", "is_total")
    list_filter = ("section", "is_total")
    list_select_related = ("decision__project",)
    search_help_text = PROJECT_ROWS_SEARCH
    project_path = "decision__project"

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


# -- Sources and the import ----------------------------------------------------------------


class DocumentChangeList(ChangeList):
    """The list of documents, without their texts (hundreds of kilobytes each)."""

    def get_queryset(self, request, exclude_parameters=None):
        return super().get_queryset(request, exclude_parameters).defer("text")


@admin.register(SourceDocument)
class SourceDocumentAdmin(RecordAdmin):
    list_display = ("title", "kind", "file_name")
    list_filter = ("kind",)
    search_fields = ("title", "slug", "file_name")
    readonly_fields = ("sha256",)

    def get_changelist(self, request, **kwargs):
        return DocumentChangeList


@admin.register(ImportRecord)
class ImportRecordAdmin(admin.ModelAdmin):
    """What the last import wrote into each row: read-only, kept by the import itself."""

    list_display = ("model", "natural_key", "imported_at")
    list_filter = ("model",)
    search_fields = ("model",)
    paginator = EstimatedCountPaginator
    show_full_result_count = False

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False
