"""What every admin page of the portal shares: change history with revert, conflict checks,
counts that stay cheap at a million rows, and the search index kept up to date."""

from django.conf import settings
from django.contrib import admin, messages
from django.contrib.admin import actions as admin_actions
from django.contrib.admin.utils import flatten_fieldsets, unquote
from django.core.exceptions import PermissionDenied
from django.db import connection, models, router, transaction
from django.db.models.deletion import get_candidate_relations_to_delete
from django.forms import Textarea
from django.forms.models import _get_foreign_key
from django.shortcuts import render
from django.urls import reverse
from django.utils.formats import number_format
from django.utils.functional import cached_property
from django.utils.html import format_html
from django.utils.text import capfirst
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop
from simple_history.admin import SimpleHistoryAdmin

from projects.admin_forms import HISTORY_FIELD, ConflictCheckingForm
from projects.models import Project, SourceDocument
from projects.models.base import table_estimate
from projects.paging import IdsFirstPaginator
from projects.search import (
    refresh_evaluation_entries,
    refresh_organisation_entries,
    refresh_search_index,
    search_projects,
    text_match,
)

# Up to this many rows a list counts exactly; past it PostgreSQL's estimate is close enough and
# counting a million rows exactly would take longer than the rest of the page.
EXACT_COUNT_LIMIT = 10_000
# A change re-indexes the projects it touches before it answers, up to this many: about 6 s,
# at some 340 projects a second (an organisation's name is in each of its projects' search
# rows, and the busiest of a million implements 133,000).
REINDEXED_IN_REQUEST_AT_MOST = 2_000
# The delete page lists, row by row, what a deletion takes or is stopped by, when at most this
# many rows refer to the records; past it, it counts them by kind. Listing a round's 32,627
# projects at a million took 5.8 s and 4 MB, a target group's 200,656 links 5.1 s and 16 MB.
DELETION_LISTED_AT_MOST = 1_000
# Of each kind of row too many to list there, the delete page names this many.
NAMED_AT_MOST = 10
# The list's delete action takes at most this many records at once.
DELETED_AT_ONCE_AT_MOST = 1_000
# The change reason of the history row that keeps a record's state before its first admin edit.
BASELINE_REASON = gettext_noop("As imported, before the first edit in the admin")


def plan_estimate(queryset) -> int:
    """Return the planner's estimate of the rows a queryset returns."""
    sql, params = queryset.order_by().query.sql_with_params()
    with connection.cursor() as cursor:
        cursor.execute(f"EXPLAIN (FORMAT JSON) {sql}", params)
        plan = cursor.fetchone()[0]
    return int(plan[0]["Plan"]["Plan Rows"])


def found_projects(term: str, projects, path: str = "") -> models.Q:
    """Return the condition on rows that keeps those of the projects of `projects` that a staff
    search for `term` finds, `path` leading from a row to its project ("" for projects): the
    project whose slug it is, and those the search index matches (the public site's Finnish
    search, whose index holds codes, names and implementers' names and abbreviations, and
    stays quick at a million projects where icontains over the fields would scan them all).

    A search that matches at most EXACT_COUNT_LIMIT of them keeps their ids, fetched first:
    PostgreSQL cannot tell from a text query how many projects it matches, and listing them
    newest first through the index it walked the whole table for a code's one project (3 s at
    a million). One that matches more is matched through the index row by row, as walking the
    table in the list's order then finds a page at once; as a subquery of the index, its
    matches were all read first (5–6 s for a common word)."""
    by_slug = list(projects.filter(slug=term).values_list("pk", flat=True))
    matching = search_projects(projects, term)
    found = list(matching.order_by().values_list("pk", flat=True)[: EXACT_COUNT_LIMIT + 1])
    if len(found) <= EXACT_COUNT_LIMIT:
        return models.Q(**{f"{path}pk__in": [*found, *by_slug]})
    condition = models.Q(**{f"{path}search__document": text_match(term)})
    # Or'ed with the slug only when it names a project: the OR joins the index to every row.
    return condition | models.Q(**{f"{path}pk__in": by_slug}) if by_slug else condition


class EstimatedCountPaginator(IdsFirstPaginator):
    """Count a list exactly up to EXACT_COUNT_LIMIT rows, and estimate it beyond (as
    healthchecks' PingsPaginator does): the whole table from pg_class, a filtered list from
    the query plan. Pages past an estimated end are simply empty. A page's rows are found by
    id first: the 2,000th page of the project list at a million projects read 200,000 whole
    rows to skip them (585 ms)."""

    @cached_property
    def count(self):
        queryset = self.object_list
        if not queryset.query.where:
            estimate = table_estimate(queryset.model)
            if estimate > EXACT_COUNT_LIMIT:
                return estimate
            return queryset.count()
        # Only the keys: annotations such as a main implementer need not run for each row.
        bounded = queryset.order_by().values("pk")[: EXACT_COUNT_LIMIT + 1].count()
        if bounded <= EXACT_COUNT_LIMIT:
            return bounded
        return max(bounded, plan_estimate(queryset))


def locked_out(request, original_response=None, credentials=None):
    """Answer a login that django-axes refused (AXES_LOCKOUT_CALLABLE): the admin's own page,
    saying how long the lock-out lasts."""
    context = admin.site.each_context(request) | {
        "title": _("Too many failed logins"),
        "failure_limit": settings.AXES_FAILURE_LIMIT,
        "minutes": int(settings.AXES_COOLOFF_TIME.total_seconds() // 60),
    }
    return render(request, "admin/locked_out.html", context, status=429)


def record_baseline(model, pks) -> None:
    """Give the records that have no history yet (the import saves raw, which simple-history
    does not record) a first history row with their state as it stands in the database, so
    that their first edit can be reverted."""
    pks = set(pks)
    pk_name = model._meta.pk.attname
    recorded = set(model.history.filter(**{f"{pk_name}__in": pks}).values_list(pk_name, flat=True))
    missing = list(model._default_manager.filter(pk__in=pks - recorded))
    for record in missing:
        record._history_user = None
    model.history.bulk_history_create(missing, default_change_reason=BASELINE_REASON)


class DocumentTitlesOnly:
    """Offer source documents by title, without loading their texts (hundreds of kilobytes
    each) into every choice list of a form."""

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        if db_field.related_model is SourceDocument:
            kwargs["queryset"] = SourceDocument.objects.only("pk", "title")
        return super().formfield_for_foreignkey(db_field, request, **kwargs)


class Inline(DocumentTitlesOnly, admin.TabularInline):
    extra = 0
    formfield_overrides = {models.TextField: {"widget": Textarea(attrs={"rows": 2, "cols": 50})}}


class RecordAdmin(DocumentTitlesOnly, SimpleHistoryAdmin):
    """The admin of a record: its history with revert, a change form that refuses to overwrite
    newer changes, cheap counts, and the search index refreshed after each change.

    Subclasses say which search rows a change touches: `search_projects(objs)` and
    `search_organisations(objs)` return the ids of projects and organisations to re-index,
    and `search_evaluations = True` re-indexes the evaluation records' entries. Past
    REINDEXED_IN_REQUEST_AT_MOST projects the change leaves them to `reindex_command(objs)`.
    """

    form = ConflictCheckingForm
    paginator = EstimatedCountPaginator
    actions = ["delete_selected"]
    show_full_result_count = False
    search_evaluations = False
    object_history_template = "admin/history/object_history.html"
    object_history_form_template = "admin/history/object_history_form.html"

    def search_projects(self, objs) -> set[int]:
        return set()

    def search_organisations(self, objs) -> set[int]:
        return set()

    def reindex_command(self, objs) -> str:
        return "manage.py rebuild_search_index"

    # -- The change form and its conflict check --------------------------------------------

    def get_form(self, request, obj=None, change=False, **kwargs):
        form = super().get_form(request, obj, change, **kwargs)
        form.history_children = tuple(self.history_children())
        return form

    def history_children(self):
        """Yield (model, foreign key attname) for each inline whose rows keep history."""
        for inline in self.inlines:
            if hasattr(inline.model, "history"):
                fk = _get_foreign_key(self.model, inline.model, fk_name=inline.fk_name)
                yield inline.model, fk.attname

    def get_fields(self, request, obj=None):
        fields = list(super().get_fields(request, obj))
        # Only a change the user may save needs to know what it was opened at.
        if HISTORY_FIELD in fields and (
            obj is None or not self.has_change_permission(request, obj)
        ):
            fields.remove(HISTORY_FIELD)
        return fields

    def get_fieldsets(self, request, obj=None):
        fieldsets = list(super().get_fieldsets(request, obj))
        if (
            obj is not None
            and HISTORY_FIELD not in flatten_fieldsets(fieldsets)
            and self.has_change_permission(request, obj)
        ):
            name, options = fieldsets[0]
            fieldsets[0] = (name, {**options, "fields": [*options["fields"], HISTORY_FIELD]})
        return fieldsets

    # -- Saving: history baseline and search index -----------------------------------------

    def save_model(self, request, obj, form, change):
        if change:
            record_baseline(self.model, [obj.pk])
        super().save_model(request, obj, form, change)
        self._refresh_search_after_commit(request, [obj])

    def save_formset(self, request, form, formset, change):
        changed = [f.instance.pk for f in formset.initial_forms if f.has_changed()]
        if changed and hasattr(formset.model, "history"):
            record_baseline(formset.model, changed)
        super().save_formset(request, form, formset, change)

    def delete_model(self, request, obj):
        self._refresh_search_after_commit(request, [obj])
        super().delete_model(request, obj)

    def delete_queryset(self, request, queryset):
        self._refresh_search_after_commit(request, list(queryset))
        super().delete_queryset(request, queryset)

    def _refresh_search_after_commit(self, request, objs):
        # Computed now: a deleted record no longer knows its project afterwards.
        project_ids = self.search_projects(objs)
        organisation_ids = self.search_organisations(objs)
        if len(project_ids) > REINDEXED_IN_REQUEST_AT_MOST:
            message = _(
                "The search finds the %(count)s projects of this change by their earlier texts "
                "until they are re-indexed: too many for one request. An operator re-indexes "
                "them with: %(command)s"
            )
            count = number_format(len(project_ids), force_grouping=True)
            messages.warning(
                request, message % {"count": count, "command": self.reindex_command(objs)}
            )
            project_ids = set()

        def refresh():
            if project_ids:
                refresh_search_index(project_ids)
            if organisation_ids:
                refresh_organisation_entries(organisation_ids)
            if self.search_evaluations:
                refresh_evaluation_entries()

        # After the commit, so that the index reads the record with its inline rows saved.
        transaction.on_commit(refresh, using=router.db_for_write(self.model))

    # -- The delete page ------------------------------------------------------------------

    @admin.action(
        permissions=["delete"], description=admin_actions.delete_selected.short_description
    )
    def delete_selected(self, request, queryset):
        """Django's action, for at most DELETED_AT_ONCE_AT_MOST records. Its confirmation page
        carries the id of each record chosen, and the deletion reads each with the rows that
        refer to it: asking to delete all million projects took 84 s and 70 MB."""
        if queryset[: DELETED_AT_ONCE_AT_MOST + 1].count() > DELETED_AT_ONCE_AT_MOST:
            message = _(
                "%(kind)s: at most %(limit)s can be deleted at once. Narrow the list with its "
                "filters or search first."
            )
            counts = {
                "kind": capfirst(self.model._meta.verbose_name_plural),
                "limit": number_format(DELETED_AT_ONCE_AT_MOST, force_grouping=True),
            }
            self.message_user(request, message % counts, messages.ERROR)
            return None
        return admin_actions.delete_selected(self, request, queryset)

    def get_deleted_objects(self, objs, request):
        """Django's list of what deleting `objs` takes with it or is stopped by, unless they
        and the rows referring to them are more than DELETION_LISTED_AT_MOST: then they are
        counted, the rows a deletion takes by kind, and the first NAMED_AT_MOST of the records
        and of each kind of row that stops it are named, so that the page stays quick at a
        million projects (also for the list's action on all of them)."""
        chosen = objs.count() if isinstance(objs, models.QuerySet) else len(objs)
        referring = [
            (
                relation,
                relation.related_model._base_manager.filter(**{f"{relation.field.name}__in": objs}),
            )
            for relation in get_candidate_relations_to_delete(self.model._meta)
        ]
        capped = [rows[: DELETION_LISTED_AT_MOST + 1].count() for _relation, rows in referring]
        if chosen + sum(capped) <= DELETION_LISTED_AT_MOST:
            return super().get_deleted_objects(objs, request)
        deleted, protected, perms_needed = [], [], set()
        model_count = {self.model._meta.verbose_name_plural: chosen}
        for (relation, rows), some in zip(referring, capped, strict=True):
            if not some:
                continue
            opts, count = relation.related_model._meta, rows.count()
            if relation.field.remote_field.on_delete in (models.PROTECT, models.RESTRICT):
                protected += self._named(rows, count)
            elif relation.field.remote_field.on_delete is models.CASCADE:
                kind = capfirst(opts.verbose_name_plural)
                shown = number_format(count, force_grouping=True)
                if any(get_candidate_relations_to_delete(opts)):
                    phrase = _("%(kind)s: %(count)s, with the rows referring to them")
                    deleted.append(phrase % {"kind": kind, "count": shown})
                else:
                    deleted.append(f"{kind}: {shown}")
                model_count[opts.verbose_name_plural] = count
                if self.admin_site.is_registered(relation.related_model) and not (
                    self.admin_site.get_model_admin(relation.related_model)
                ).has_delete_permission(request):
                    perms_needed.add(opts.verbose_name)
        return [*self._named(objs, chosen), *deleted], model_count, perms_needed, protected

    def _named(self, rows, count: int) -> list:
        """Return links to the first NAMED_AT_MOST rows, and how many more there are."""
        first = list(rows[:NAMED_AT_MOST])
        named = [self._deleted_object_link(row) for row in first]
        if count > NAMED_AT_MOST:
            kind = capfirst(first[0]._meta.verbose_name_plural)
            more = number_format(count - NAMED_AT_MOST, force_grouping=True)
            named.append(_("%(kind)s: %(count)s more") % {"kind": kind, "count": more})
        return named

    def _deleted_object_link(self, obj):
        opts = obj._meta
        if not self.admin_site.is_registered(obj.__class__):
            return f"{capfirst(opts.verbose_name)}: {obj}"
        url = reverse(f"admin:{opts.app_label}_{opts.model_name}_change", args=[obj.pk])
        return format_html('{}: <a href="{}">{}</a>', capfirst(opts.verbose_name), url, obj)

    # -- History views ---------------------------------------------------------------------

    def history_view_title(self, request, obj):
        return _("Change history: %s") % obj

    def history_form_view_title(self, request, obj):
        if self.revert_disabled(request, obj):
            return _("Earlier version of %s") % obj
        return _("Revert %s") % obj

    def history_form_view(self, request, object_id, version_id, extra_context=None):
        # simple-history checks only the view permission here, also for the POST that reverts.
        if request.method == "POST":
            obj = self.get_object(request, unquote(object_id))
            if obj is None or not self.has_change_permission(request, obj):
                raise PermissionDenied
        with transaction.atomic(using=router.db_for_write(self.model)):
            return super().history_form_view(request, object_id, version_id, extra_context)


class SearchedByProject:
    """The search of a list of projects' rows (millions of them at a million projects): the
    rows of the projects that the project list's search finds (found_projects()), and those
    that `own_matches()` finds. Django's search, icontains over the rows' own texts and their
    project's name and code, read every row: 2.3 s for the decisions, 5.3 s for the
    implementations and 9.5 s for the outcomes at a million projects. So the rows' long or
    many texts (an outcome's label and phrase, a decision's reasoning) are not searched."""

    # Only shows the search box (and lets other lists pick these rows by autocomplete): the
    # search is get_search_results()'s.
    search_fields = ("project",)
    project_path = "project"

    def own_matches(self, term: str) -> models.Q | None:
        """Return the condition of the rows that the search finds by their own fields."""
        return None

    def get_search_results(self, request, queryset, search_term):
        term = search_term.strip()
        if not term:
            return queryset, False
        matches = found_projects(term, Project.objects.all(), f"{self.project_path}__")
        if (own := self.own_matches(term)) is not None:
            matches |= own
        return queryset.filter(matches), False


class ProjectChildAdmin(SearchedByProject, RecordAdmin):
    """The admin of rows that belong to one project: a change re-indexes that project."""

    def search_projects(self, objs):
        return {obj.project_id for obj in objs}


class EvaluationAdmin(RecordAdmin):
    """The admin of evaluation records, which the search lists as entries."""

    search_evaluations = True
