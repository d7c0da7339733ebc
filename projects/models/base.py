"""Pieces every imported model shares: a natural key, and a cited source passage."""

import functools
from contextlib import contextmanager
from contextvars import ContextVar

from django.core.exceptions import EmptyResultSet, ValidationError
from django.db import connection, models
from django.db.models import BooleanField, F, Func, IntegerField, Q, Subquery, Value
from django.db.models.sql.where import WhereNode
from django.utils.encoding import force_str
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

# The rows found by their natural key while remembering_natural_keys() is on: loading fixtures,
# a row is looked up once for each row that points to it, thousands of times in all.
_found_by_natural_key: ContextVar[dict | None] = ContextVar("found_by_natural_key", default=None)


@contextmanager
def remembering_natural_keys():
    """Within, a row found by its natural key is looked up once. For a load that only creates
    and updates rows: a row deleted or given another key meanwhile would still be found."""
    token = _found_by_natural_key.set({})
    try:
        yield
    finally:
        _found_by_natural_key.reset(token)


class NaturalKeyQuerySet(models.QuerySet):
    def get_by_natural_key(self, *values):
        found = _found_by_natural_key.get()
        if found is not None and (self.model, values) in found:
            return found[self.model, values]
        lookups = [path.replace(".", "__") for path in self.model.natural_key_paths()]
        row = self.get(**dict(zip(lookups, values, strict=True)))
        if found is not None:
            found[self.model, values] = row
        return row


def subquery_count(queryset) -> Subquery:
    """Return the number of rows of a correlated subquery, to annotate each outer row with.
    COUNT(*), not of a column: PostgreSQL can then count from an index alone, where a counted
    column sends it to every row (1.2 s against 25 ms for a round's 50,000 projects)."""
    counted = queryset.order_by().annotate(
        row_count=Func(template="COUNT(*)", output_field=IntegerField())
    )
    return Subquery(counted.values("row_count"))


def capped_count(queryset, up_to: int) -> Func:
    """Return the number of rows of a correlated subquery counted up to `up_to` + 1, to
    annotate each outer row with: a larger number stands for "more than `up_to`". A document
    that a million generated records cite took 0.4 s to count to the end."""
    return _row_count(queryset.order_by().values(one=Value(1))[: up_to + 1])


def union_count(union) -> Func:
    """Return the number of rows of a correlated union of subqueries (a row once, however
    many of them hold it), to annotate each outer row with."""
    return _row_count(union.order_by())


def _row_count(rows) -> Func:
    return Func(
        Subquery(rows),
        template="(SELECT COUNT(*) FROM %(expressions)s AS counted)",
        output_field=IntegerField(),
    )


def table_estimate(model) -> int:
    """Return PostgreSQL's estimate of a table's rows (-1 before the table is first analysed)."""
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT reltuples FROM pg_class WHERE oid = %s::regclass", [model._meta.db_table]
        )
        row = cursor.fetchone()
    return int(row[0]) if row else -1


def select_sql(queryset) -> tuple[str, list]:
    """Return the SQL and parameters of a values() queryset, to be embedded in a larger
    statement; one known to be empty (e.g. a search with nothing to search for) selects the
    same columns and no row."""
    try:
        return queryset.query.sql_with_params()
    except EmptyResultSet:
        nothing = queryset.all()
        # instead of the filters, of which one matches nothing
        nothing.query.where = WhereNode([Value(False, output_field=BooleanField())])
        return nothing.query.sql_with_params()


class NaturalKeyModel(models.Model):
    """A model whose rows the import finds again by the fields in NATURAL_KEY.

    A NATURAL_KEY entry naming a foreign key stands for that model's own natural key, so that
    fixtures never depend on primary keys ("project", "position" -> ("kaiku", 1)).
    """

    NATURAL_KEY: tuple[str, ...] = ()

    objects = NaturalKeyQuerySet.as_manager()
    # Every record staff can edit keeps its change history (who, when, what), for every model
    # that inherits this one: see docs/adr/0004-admin-history.md.
    history = HistoricalRecords(inherit=True)

    class Meta:
        abstract = True

    @classmethod
    def natural_key_paths(cls) -> list[str]:
        paths = []
        for name in cls.NATURAL_KEY:
            field = cls._meta.get_field(name)
            if field.is_relation:
                paths += [f"{name}.{path}" for path in field.related_model.natural_key_paths()]
            else:
                paths.append(name)
        return paths

    def natural_key(self) -> tuple:
        key = []
        for name in self.NATURAL_KEY:
            value = getattr(self, name)
            key += list(value.natural_key()) if isinstance(value, models.Model) else [value]
        return tuple(key)

    def _get_FIELD_display(self, field):
        # What get_status_display() and the like call. Django's builds a dict of the field's
        # choices on every call, translating every label to hash it: 10 µs a call, 3 ms of an
        # organisation's page of 150 projects. Here the dict is built once, its labels lazy.
        value = getattr(self, field.attname)
        return force_str(_choice_labels(field).get(value, value), strings_only=True)


@functools.cache
def _choice_labels(field) -> dict:
    return dict(field.flatchoices)


class Cited(models.Model):
    """A record, figure or passage taken from lines of a source document."""

    document = models.ForeignKey(
        "projects.SourceDocument",
        verbose_name=_("source document"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    first_line = models.PositiveIntegerField(_("first line"), null=True, blank=True)
    last_line = models.PositiveIntegerField(_("last line"), null=True, blank=True)

    class Meta:
        abstract = True
        constraints = [
            models.CheckConstraint(
                condition=Q(last_line__gte=F("first_line")),
                name="%(app_label)s_%(class)s_lines_in_order",
            ),
        ]

    def clean(self):
        super().clean()
        if self.first_line and self.last_line and self.last_line < self.first_line:
            raise ValidationError(
                {"last_line": _("The last line cannot come before the first line.")},
                code="lines_out_of_order",
            )

    def passage(self) -> str:
        """Return the cited lines of the source document, as they stand there."""
        if not (self.document_id and self.first_line):
            return ""
        return self.document.lines(self.first_line, self.last_line or self.first_line)
