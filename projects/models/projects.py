import functools

from django.apps import apps
from django.contrib.postgres.expressions import ArraySubquery
from django.contrib.postgres.fields import ArrayField
from django.core.exceptions import ValidationError
from django.core.validators import RegexValidator
from django.db import connection, models
from django.db.models import Count, Exists, F, OuterRef, Prefetch, Q, Sum, prefetch_related_objects
from django.db.models.expressions import RawSQL
from django.db.models.functions import Coalesce, Mod
from django.db.models.sql.where import WhereNode
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from .base import Cited, NaturalKeyModel, NaturalKeyQuerySet, select_sql, subquery_count
from .funding import MONEY, FundingRound, Programme
from .organisations import Organisation
from .parts import Implementation, Outcome, SectionSource
from .places import Municipality, Region

validate_eura_code = RegexValidator(
    r"^[A-Z]\d{5,6}$", _("A EURA code is a capital letter and five or six digits, e.g. S21114.")
)


class Precision(models.TextChoices):
    DAY = "day", _("day")
    MONTH = "month", _("month")
    YEAR = "year", _("year")


class TargetGroup(NaturalKeyModel):
    """A target group from the portal's controlled vocabulary."""

    NATURAL_KEY = ("slug",)

    slug = models.SlugField(_("slug"), max_length=80, unique=True)
    name = models.CharField(_("name"), max_length=150)
    description = models.TextField(_("description"), blank=True, default="")

    class Meta:
        ordering = ["name"]
        verbose_name = _("target group")
        verbose_name_plural = _("target groups")

    def __str__(self):
        return self.name


COMPARABLE_OUTCOMES = ["participants", "employed", "in_education", "entrepreneurs"]
# A project's money: realised public funding where known, else the applied total.
MONEY_EXPRESSION = Coalesce("realised_public_funding", "applied_total")
# What a set's figures and facets read of each project (ProjectQuerySet.figured() and
# projects.facets.SET_COLUMNS) and the filters on its own columns test: carried in the indexes
# a set is read through, so that it is read from them alone, not from rows that carry the
# texts too (about 2.5 KB, three or four to a page).
READ_FIELDS = [
    "funding_round",
    "programme",
    "funder",
    "status",
    "start_date",
    "end_date",
    "realised_public_funding",
    "applied_total",
]
# projects.overview estimates a huge set's figures from the projects whose id modulo this is
# below a bound: one of SAMPLE_LEVELS, per mille, each a tenth of the one before.
SAMPLE_MODULUS = 1000
SAMPLE_LEVELS = (100, 10, 1)


def sample_key(id_field: str) -> Mod:
    """Return the expression the sample indexes are on. An integer: compared with a float,
    PostgreSQL would cast it and not use the index."""
    return Mod(id_field, SAMPLE_MODULUS, output_field=models.BigIntegerField())


@functools.cache
def figures_sql(projects: str) -> tuple[str, tuple]:
    """Return the SQL and parameters of the one row of ProjectQuerySet.figures() over the
    projects of the CTE named `projects` (ProjectQuerySet.figured()), for figures_of().
    Cached: building and compiling the query took 2.5 ms, a tenth of a list page's view."""
    achieved = (
        Outcome.objects.filter(
            # An array, not IN (subquery): the index is probed once per project of the set (a
            # few thousand at most), which the planner then never trades for a scan of every
            # project's outcomes hashed against the set.
            RawSQL(
                f"{Outcome._meta.db_table}.project_id = ANY(ARRAY(SELECT id FROM {projects}))",
                (),
                output_field=models.BooleanField(),
            ),
            stage=Outcome.Stage.ACHIEVED,
            unit=Outcome.Unit.PERSONS,
            kind__in=COMPARABLE_OUTCOMES,
        )
        .values("kind")
        .annotate(total=Sum("value"), projects=Count("project", distinct=True))
        .order_by()
    )
    achieved_sql, params = achieved.query.sql_with_params()
    sql = f"""SELECT * FROM (
            SELECT count(*), sum(money), min(extract(year FROM start_date))::int,
                max(extract(year FROM end_date))::int
            FROM {projects}
        ) AS summary, (
            SELECT array_agg(kind ORDER BY kind), array_agg(total ORDER BY kind),
                array_agg(projects ORDER BY kind)
            FROM ({achieved_sql}) AS by_kind
        ) AS achieved"""
    return sql, tuple(params)


def linked_values(model, field: str) -> ArraySubquery:
    """Return the `field` of each project's records of `model` (a region, a municipality or
    a target group, linked to it through `projects`) as an array, in the order of their names."""
    return ArraySubquery(
        model.objects.filter(projects=OuterRef("pk")).order_by("name").values(field)
    )


# What a list row shows of a project itself (components/project_card.html; its money is
# with_money()'s). The long texts, several KB a project, stay in the database: reading them
# took about 1.5 of the 21 ms of the list's first page at 10k.
LISTED_FIELDS = (
    "name",
    "code",
    "slug",
    "status",
    "start_date",
    "start_precision",
    "end_date",
    "end_precision",
    "is_national",
)


def listed_names_sql() -> str:
    """Return the SQL of a project's `listed` names (ProjectQuerySet.for_list()): {"implementer":
    the name of its first implementer or null, "implementers": how many it has, "regions":
    [name] by name}. Prefetching the implementations with their organisations and the
    regions took 4.4 ms of a list page of 25 projects, 1 of them in PostgreSQL."""
    project = Project._meta.db_table
    implementations = Implementation._meta.db_table
    region_links = Project.regions.through._meta.db_table
    return f"""SELECT jsonb_build_object(
        'implementer', (
            SELECT organisation.name FROM {implementations} AS implementation
            JOIN {Organisation._meta.db_table} AS organisation
                ON organisation.id = implementation.organisation_id
            WHERE implementation.project_id = {project}.id
            ORDER BY implementation.position LIMIT 1),
        'implementers', (
            SELECT count(*) FROM {implementations} AS implementation
            WHERE implementation.project_id = {project}.id),
        'regions', ARRAY(
            SELECT region.name FROM {Region._meta.db_table} AS region
            JOIN {region_links} AS link ON link.region_id = region.id
            WHERE link.project_id = {project}.id ORDER BY region.name))"""


def api_records_sql(relation: str) -> str:
    """Return the SQL of a project's implementers or outcomes as the API writes them
    (ProjectQuerySet.for_api()): a JSON array in their order, of {"name", "slug", "role"} or
    {"kind", "planned_or_achieved", "value", "unit", "label"}, each value a string. As text of
    `json`, which keeps the keys in the order written, where `jsonb` sorts them. Prefetching
    the two and writing them out through nested serializers took two queries and 6 of the
    18 ms of a page of 25 at 10k."""
    project = Project._meta.db_table
    records = {
        "implementations": f"""
            SELECT json_agg(json_build_object(
                'name', organisation.name, 'slug', organisation.slug, 'role', record.role)
                ORDER BY record.position, record.id)
            FROM {Implementation._meta.db_table} AS record
            JOIN {Organisation._meta.db_table} AS organisation
                ON organisation.id = record.organisation_id""",
        "outcomes": f"""
            SELECT json_agg(json_build_object(
                'kind', record.kind, 'planned_or_achieved', record.stage,
                'value', record.value::text, 'unit', record.unit, 'label', record.label)
                ORDER BY record.position)
            FROM {Outcome._meta.db_table} AS record""",
    }[relation]
    return f"COALESCE(({records} WHERE record.project_id = {project}.id), '[]')::text"


def named_records_sql() -> str:
    """Return the SQL of a project's `named` records (ProjectQuerySet.for_detail()): {"regions":
    [{"code", "name"}], "municipalities": [name], "target_groups": [name], "parent": {"slug",
    "name"} or null, "subprojects": [{"slug", "name"}]}, each list by name, and "implementers":
    [{"slug", "name", "role"}] in their order. Written out, not built from subquery
    expressions: Django took 3 ms to compile five, half the time of the page's main query.
    Each joined table instead made PostgreSQL plan the query for longer than it ran (6 ms with
    eight), and prefetching the implementers took a query of its own."""
    project = Project._meta.db_table
    region_links = Project.regions.through._meta.db_table
    municipality_links = Project.municipalities.through._meta.db_table
    target_group_links = Project.target_groups.through._meta.db_table
    return f"""SELECT jsonb_build_object(
        'regions', ARRAY(
            SELECT jsonb_build_object('code', region.code, 'name', region.name)
            FROM {Region._meta.db_table} AS region
            JOIN {region_links} AS link ON link.region_id = region.id
            WHERE link.project_id = {project}.id ORDER BY region.name),
        'municipalities', ARRAY(
            SELECT municipality.name FROM {Municipality._meta.db_table} AS municipality
            JOIN {municipality_links} AS link ON link.municipality_id = municipality.id
            WHERE link.project_id = {project}.id ORDER BY municipality.name),
        'target_groups', ARRAY(
            SELECT target_group.name FROM {TargetGroup._meta.db_table} AS target_group
            JOIN {target_group_links} AS link ON link.targetgroup_id = target_group.id
            WHERE link.project_id = {project}.id ORDER BY target_group.name),
        'parent', (
            SELECT jsonb_build_object('slug', parent.slug, 'name', parent.name)
            FROM {project} AS parent WHERE parent.id = {project}.parent_id),
        'subprojects', ARRAY(
            SELECT jsonb_build_object('slug', subproject.slug, 'name', subproject.name)
            FROM {project} AS subproject WHERE subproject.parent_id = {project}.id
            ORDER BY subproject.name),
        'implementers', ARRAY(
            SELECT jsonb_build_object(
                'slug', organisation.slug, 'name', organisation.name, 'role', implementation.role)
            FROM {Implementation._meta.db_table} AS implementation
            JOIN {Organisation._meta.db_table} AS organisation
                ON organisation.id = implementation.organisation_id
            WHERE implementation.project_id = {project}.id ORDER BY implementation.position))"""


# The relations whose records a project page cites, each record with its source passage.
CITED_RELATIONS = ["outputs", "outcomes", "sources", "mentions", "practice_models"]


def cited_relations_sql() -> str:
    """Return the SQL of a project's `cited` (ProjectQuerySet.for_detail()): whether it has
    records in each of CITED_RELATIONS, {"outputs": true, ...}."""
    project = Project._meta.db_table
    exists = []
    for name in CITED_RELATIONS:
        relation = Project._meta.get_field(name)
        records, column = relation.related_model._meta.db_table, relation.field.column
        exists.append(f"'{name}', EXISTS(SELECT 1 FROM {records} WHERE {column} = {project}.id)")
    return f"SELECT jsonb_build_object({', '.join(exists)})"


def prefetch_cited(project: "Project") -> dict[str, list]:
    """Return the project's records of each of CITED_RELATIONS (for_detail()'s `cited` says
    which it has any of): those it has are prefetched, a query for each relation; those it
    has none of are empty without asking. Most projects have records in one or two of the
    five, and each query took about a millisecond; prefetching none() for the others, which
    asks nothing, still took 1.7 ms of Python for four."""
    mention = apps.get_model("evaluations", "ProjectMention")  # evaluations imports this
    lookups = {
        "mentions": [
            Prefetch(
                "mentions",
                queryset=mention.objects.select_related("report").order_by(
                    "-report__year", "report__title"
                ),
            ),
            "mentions__report__recommendations",
        ]
    }
    had = [name for name in CITED_RELATIONS if project.cited[name]]
    prefetch_related_objects(
        [project], *[lookup for name in had for lookup in lookups.get(name, [name])]
    )
    return {
        name: list(getattr(project, name).all()) if name in had else [] for name in CITED_RELATIONS
    }


FIGURES_COLUMNS = 7  # of a row of figures_sql()


def figures_of(row) -> tuple[dict, list[dict]]:
    """Return the summary and the achieved totals of a row of figures_sql()."""
    count, money, first_year, last_year, kinds, totals, projects = row
    summary = dict(count=count, money=money, first_year=first_year, last_year=last_year)
    achieved = [
        dict(kind=kind, total=total, projects=projects)
        for kind, total, projects in zip(kinds or [], totals or [], projects or [], strict=True)
    ]
    return summary, achieved


class ProjectQuerySet(NaturalKeyQuerySet):
    def among(self, ids):
        """Return these projects, their annotations and joins kept, limited to `ids`, a
        subquery of them that holds their filters: the filters are not run again for each
        row (a search's text match, say, which reads the row's whole search document)."""
        projects = self.all()
        projects.query.where = WhereNode()
        return projects.filter(pk__in=ids)

    def with_money(self):
        """Annotate `money`: realised public funding where known, else the applied total."""
        return self.annotate(money=MONEY_EXPRESSION)

    def figures(self) -> tuple[dict, list[dict]]:
        """Return the summary of these projects (count, money, first and last year) and the
        sums of their comparable achieved figures (persons) by kind, in one statement that
        reads the projects once: a search's matches are found once, not twice."""
        projects_sql, params = select_sql(self.figured())
        sql, figures_params = figures_sql("figured")
        with connection.cursor() as cursor:
            cursor.execute(
                f"WITH figured AS MATERIALIZED ({projects_sql}) {sql}", [*params, *figures_params]
            )
            return figures_of(cursor.fetchone())

    def figured(self, *columns: str):
        """Return the values of each project that figures_sql() reads, and `columns`."""
        return self.order_by().values(
            "id", *columns, "start_date", "end_date", money=MONEY_EXPRESSION
        )

    def for_list(self):
        """Return projects with what a list row shows, in one query: the names it only prints
        (its implementers and regions) come as `listed`, one JSON value (listed_names_sql())."""
        return (
            self.select_related("funding_round")
            .only(*LISTED_FIELDS, "funding_round__name")
            .annotate(listed=RawSQL(listed_names_sql(), (), output_field=models.JSONField()))
        )

    def for_api(self):
        """Return projects with the records the API writes out of each, in one query: of the
        places and target groups, which it writes out by name or slug only, those as arrays;
        the implementers and outcomes as JSON (api_records_sql())."""
        return self.select_related("funding_round", "programme", "funder", "decision").annotate(
            region_names=linked_values(Region, "name"),
            municipality_names=linked_values(Municipality, "name"),
            target_group_slugs=linked_values(TargetGroup, "slug"),
            implementer_records=RawSQL(
                api_records_sql("implementations"), (), output_field=models.JSONField()
            ),
            outcome_records=RawSQL(
                api_records_sql("outcomes"), (), output_field=models.JSONField()
            ),
        )

    def for_detail(self):
        """Return projects with what a project page shows but its cited records, which
        prefetch_cited() adds once the project is found. The records the page only names (its
        places, target groups, implementers, umbrella project and subprojects) come as `named`,
        one JSON value of the project's own query (named_records_sql()); `cited` says which
        cited relations have rows (cited_relations_sql())."""
        return (
            self.select_related("funding_round", "programme", "funder", "administrator", "decision")
            .annotate(
                named=RawSQL(named_records_sql(), (), output_field=models.JSONField()),
                cited=RawSQL(cited_relations_sql(), (), output_field=models.JSONField()),
            )
            .prefetch_related("decision__stages", "decision__money_lines")
        )

    def in_region(self, region, per_mille: int = SAMPLE_MODULUS):
        """Return the projects working in the region, named directly or through a
        municipality, collected from the region's links: of the sample of `per_mille` only
        (see projects.overview), read through the links' own sample indexes. For a set of
        the region's projects to read whole; to walk a big region's projects in some order,
        probed_in_region()."""
        links = self._region_links(region)
        if per_mille < SAMPLE_MODULUS:
            links = [
                link.alias(sample_key=sample_key("project_id")).filter(sample_key__lt=per_mille)
                for link in links
            ]
        named, through_municipality = (link.values("project") for link in links)
        return self.filter(pk__in=named.union(through_municipality))

    def probed_in_region(self, region):
        """Return the projects of in_region(), each project looked up in both of its links:
        the first 50 by name of a region of most of the projects are then found among the
        first few hundred names. An OR of two lookups, PostgreSQL answers by hashing all of
        the region's links first (0.5 s at a million projects); one lookup of a UNION ALL it
        runs for each project."""
        named, through_municipality = (
            link.filter(project=OuterRef("pk")).values("project")
            for link in self._region_links(region)
        )
        return self.filter(Exists(named.union(through_municipality, all=True)))

    def _region_links(self, region):
        """Return the links of projects to the region and to its municipalities."""
        return [
            self.model.regions.through.objects.filter(region=region),
            self.model.municipalities.through.objects.filter(municipality__region=region),
        ]

    def citing(self, document):
        """Return the projects whose record, a section or a figure cites the document, each
        with `cited_outcome_count`, the figures read from it."""
        sections = SectionSource.objects.filter(document=document).values("project")
        outcomes = Outcome.objects.filter(document=document, project=OuterRef("pk"))
        return self.filter(Q(document=document) | Q(pk__in=sections) | Exists(outcomes)).annotate(
            cited_outcome_count=subquery_count(outcomes)
        )


class Project(NaturalKeyModel, Cited):
    """A project: applied for, rejected, running or ended."""

    class Status(models.TextChoices):
        APPLIED = "applied", _("applied")
        REJECTED = "rejected", _("rejected")
        ONGOING = "ongoing", _("ongoing")
        ENDED = "ended", _("ended")

    NATURAL_KEY = ("slug",)
    # The orders the list sorts by, each matched by an index below; "money" is with_money()'s.
    ORDERINGS = {
        "name": ["name", "id"],
        "newest": ["-start_date", "name", "id"],
        "oldest": ["start_date", "name", "id"],
        "most_money": ["-money", "name", "id"],
        "least_money": ["money", "name", "id"],
    }

    objects = ProjectQuerySet.as_manager()

    code = models.CharField(
        _("EURA code"),
        max_length=7,
        blank=True,
        default="",
        validators=[validate_eura_code],
        help_text=_("The project's code in EURA 2014/2021, e.g. S21114. Empty when unknown."),
    )
    name = models.CharField(_("name"), max_length=300)
    other_names = ArrayField(
        models.CharField(max_length=300),
        verbose_name=_("other names"),
        blank=True,
        default=list,
        help_text=_("Other names and abbreviations the documents use, separated by commas."),
    )
    slug = models.SlugField(_("slug"), max_length=120, unique=True)
    status = models.CharField(_("status"), max_length=20, choices=Status, blank=True, default="")
    start_date = models.DateField(_("start date"), null=True, blank=True)
    start_precision = models.CharField(
        _("start date precision"), max_length=5, choices=Precision, default=Precision.DAY
    )
    end_date = models.DateField(_("end date"), null=True, blank=True)
    end_precision = models.CharField(
        _("end date precision"), max_length=5, choices=Precision, default=Precision.DAY
    )
    parent = models.ForeignKey(
        "self",
        verbose_name=_("umbrella project"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="subprojects",
    )
    funding_round = models.ForeignKey(
        FundingRound,
        verbose_name=_("funding round"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="projects",
        db_index=False,  # project_round_sample_idx
    )
    programme = models.ForeignKey(
        Programme,
        verbose_name=_("programme"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="projects",
        db_index=False,  # project_programme_sample_idx
    )
    funder = models.ForeignKey(
        Organisation,
        verbose_name=_("funder"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="funded_projects",
        db_index=False,  # project_funder_sample_idx
        help_text=_("The authority that granted or refused the funding, e.g. an ELY centre."),
    )
    administrator = models.ForeignKey(
        Organisation,
        verbose_name=_("administering authority"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="administered_projects",
    )
    realised_public_funding = models.DecimalField(
        _("realised public funding €"), **MONEY, null=True, blank=True
    )
    applied_total = models.DecimalField(_("applied total €"), **MONEY, null=True, blank=True)
    approved_total = models.DecimalField(_("approved total €"), **MONEY, null=True, blank=True)
    is_national = models.BooleanField(
        _("national"), default=False, help_text=_("The project works across the whole country.")
    )
    regions = models.ManyToManyField(
        Region, verbose_name=_("regions"), blank=True, related_name="projects"
    )
    municipalities = models.ManyToManyField(
        Municipality, verbose_name=_("municipalities"), blank=True, related_name="projects"
    )
    target_groups = models.ManyToManyField(
        TargetGroup, verbose_name=_("target groups"), blank=True, related_name="projects"
    )
    target_groups_text = models.TextField(
        _("target groups in the document's words"), blank=True, default=""
    )
    description = models.TextField(_("description"), blank=True, default="")
    background = models.TextField(_("background"), blank=True, default="")
    goals = models.TextField(_("goals"), blank=True, default="")
    actions = models.TextField(_("actions"), blank=True, default="")
    results = models.TextField(_("results"), blank=True, default="")
    dissemination = models.TextField(_("dissemination"), blank=True, default="")
    notes = models.TextField(_("notes"), blank=True, default="")

    SECTIONS = (
        "description",
        "background",
        "goals",
        "actions",
        "results",
        "dissemination",
        "notes",
    )

    class Meta:
        ordering = ["name"]
        verbose_name = _("project")
        verbose_name_plural = _("projects")
        constraints = [
            *Cited.Meta.constraints,
            models.UniqueConstraint(
                fields=["code"], condition=~Q(code=""), name="project_unique_code"
            ),
            models.CheckConstraint(
                condition=Q(end_date__gte=F("start_date")), name="project_ends_after_start"
            ),
            models.CheckConstraint(
                condition=Q(realised_public_funding__gte=0)
                & Q(applied_total__gte=0)
                & Q(approved_total__gte=0),
                name="project_money_not_negative",
            ),
        ]
        indexes = [
            # The list's year filter: projects whose period overlaps the chosen years.
            models.Index(fields=["start_date", "end_date"], name="project_period_idx"),
            # The filters on a column of the project's, each with the sample key after the
            # column: a filter's sample (projects.overview) is then one range of one index,
            # where combining the column's index with the sample's read ~100,000 entries.
            models.Index("funding_round", sample_key("id"), name="project_round_sample_idx"),
            models.Index("programme", sample_key("id"), name="project_programme_sample_idx"),
            # With the id, so that an organisation's funded projects are read from the index
            # alone: without it PostgreSQL, counting every organisation of a page of the list
            # as a funder of ~50,000 (the mean), read the whole project_read_idx for each
            # (the organisation list at a million projects: 2.8 s).
            models.Index(
                "funder", sample_key("id"), include=["id"], name="project_funder_sample_idx"
            ),
            models.Index("status", sample_key("id"), name="project_status_sample_idx"),
            # ORDERINGS: a page of a million projects in any order reads only that page. The
            # list's own order, by name, also holds what the filters on the project's columns
            # test: a filtered list walks it without visiting the rows it passes over (a round
            # and a target group at a million projects: its rows' statement 69 ms -> 7).
            models.Index(fields=["name", "id"], include=READ_FIELDS, name="project_name_order_idx"),
            models.Index(fields=["-start_date", "name", "id"], name="project_newest_order_idx"),
            models.Index(fields=["start_date", "name", "id"], name="project_oldest_order_idx"),
            models.Index(
                MONEY_EXPRESSION.desc(), "name", "id", name="project_most_money_order_idx"
            ),
            models.Index(MONEY_EXPRESSION, "name", "id", name="project_least_money_order_idx"),
            # projects.overview: the sample that estimates the figures of a huge set.
            models.Index(sample_key("id"), name="project_sample_idx"),
            # A set read whole: the projects of a search's matches or of a region's links.
            models.Index(fields=["id"], include=READ_FIELDS, name="project_read_idx"),
        ]

    def __str__(self):
        return f"{self.code} {self.name}" if self.code else self.name

    def get_absolute_url(self):
        return reverse("projects:project-detail", args=[self.slug])

    def clean(self):
        super().clean()
        if self.start_date and self.end_date and self.end_date < self.start_date:
            raise ValidationError(
                {"end_date": _("The end date cannot be before the start date.")},
                code="ends_before_start",
            )
