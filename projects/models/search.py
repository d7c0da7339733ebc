"""The search index: narrow tables that the search reads instead of the records themselves.

Filled by projects.search.rebuild_search_index() and refresh_search_index(), never by save():
see docs/adr/0003-search.md.
"""

from collections import Counter
from itertools import batched

from django.contrib.postgres.fields import ArrayField
from django.contrib.postgres.indexes import GinIndex
from django.contrib.postgres.search import SearchVectorField
from django.db import models
from django.db.models import Prefetch, Q
from django.db.models.expressions import RawSQL
from django.db.models.lookups import LessThan
from django.urls import reverse
from django.utils.text import Truncator
from django.utils.translation import gettext_lazy as _

from projects.parsing.finnish import fold, is_vocabulary, lemmas_and_parts_of, name_key, words

from .organisations import Organisation
from .parts import Implementation
from .projects import SAMPLE_LEVELS, Project, sample_key

BATCH_SIZE = 500
# PostgreSQL keeps word positions up to 16383 (larger ones are stored as 16383).
MAX_POSITION = 16383


def search_document(texts: dict[str, list[str]], vocabulary: Counter) -> RawSQL:
    """Return the tsvector of a record's texts by weight ("A": [name, ...], "B": [...]): each
    weight's text through PostgreSQL's Finnish stemmer, then the Voikko lemmas and compound parts
    of all of them. Count the record's distinct words and lemmas into vocabulary."""
    joined = {weight: "\n".join(part for part in parts if part) for weight, parts in texts.items()}
    sql = [f"setweight(to_tsvector('finnish', %s), '{weight}')" for weight in joined]
    lemmas = {weight: lemmas_and_parts_of(text) for weight, text in joined.items()}
    found = {word for text in joined.values() for word in words(text)}
    found.update(*lemmas.values())
    vocabulary.update(word for word in found if is_vocabulary(word))
    return RawSQL(
        " || ".join([*sql, "%s::tsvector"]),
        [*joined.values(), lemma_vector(lemmas)],
        output_field=SearchVectorField(),
    )


def lemma_vector(lemmas: dict[str, set[str]]) -> str:
    """Return a tsvector literal of lemmas by weight, each two positions after the one before.

    A phrase matches adjacent positions only, so no phrase can match across lemmas ("alku hyvä"
    would, were the lemmas listed side by side). Lemmas are letters and digits (finnish.WORD),
    so they need no quoting beyond the quotes around them. A lemma of two weights is listed
    once for each; PostgreSQL's parser merges them. (Built for speed: the synthetic data
    calls this for each of a million projects.)
    """
    parts, position = [], 0
    for weight, found in lemmas.items():
        at = range(position + 2, position + 2 * len(found) + 1, 2)
        parts += [
            f"'{lemma}':{min(p, MAX_POSITION)}{weight}"
            for lemma, p in zip(sorted(found), at, strict=True)
        ]
        position += 2 * len(found)
    return " ".join(parts)


class BatchQuerySet(models.QuerySet):
    def create_in_batches(self, rows, **options) -> int:
        """Insert rows from an iterator BATCH_SIZE at a time, so memory stays flat at any size."""
        created = 0
        for batch in batched(rows, BATCH_SIZE):
            self.bulk_create(batch, **options)
            created += len(batch)
        return created


class ProjectSearchQuerySet(BatchQuerySet):
    def index(self, projects, vocabulary: Counter) -> int:
        """Write the search rows of projects that have none; return how many were written."""
        projects = self.model.prefetched(projects.order_by("pk"))
        return self.create_in_batches(
            self.model.for_project(project, vocabulary) for project in projects.iterator(BATCH_SIZE)
        )


class ProjectSearch(models.Model):
    """A project's words as one weighted text-search vector: name A, goals and results B, the
    rest C, each with its Voikko lemmas and compound parts; and the ids of its regions and
    target groups, which a search within them tests."""

    project = models.OneToOneField(
        Project,
        verbose_name=_("project"),
        on_delete=models.CASCADE,
        primary_key=True,
        related_name="search",
    )
    document = SearchVectorField(_("search document"))
    names = ArrayField(
        models.CharField(max_length=300),
        verbose_name=_("names"),
        default=list,
        help_text=_("Code, name and other names, folded, for ranking an exact name first."),
    )
    # A search within regions or target groups is the intersection of two indexes of this
    # table, read before any row is: joined to the link tables instead, every match's row
    # (its vector inline, a page each) was read to find its project. ProjectFilter.
    regions = ArrayField(
        models.BigIntegerField(),
        verbose_name=_("regions"),
        default=list,
        help_text=_("Ids of the project's regions, for searching within regions."),
    )
    target_groups = ArrayField(
        models.BigIntegerField(),
        verbose_name=_("target groups"),
        default=list,
        help_text=_("Ids of the project's target groups, for searching within them."),
    )

    objects = ProjectSearchQuerySet.as_manager()

    class Meta:
        verbose_name = _("project search document")
        verbose_name_plural = _("project search documents")
        indexes = [
            # search_projects(): document @@ query, for the search page, the list and the API.
            GinIndex(fields=["document"], name="project_search_document_idx"),
            # projects.overview: a search's sample at each level. Its matches are found in an
            # index of the sample's documents alone, not picked out of every match.
            *(
                GinIndex(
                    fields=["document"],
                    condition=Q(LessThan(sample_key("project_id"), per_mille)),
                    name=f"project_search_sample_{per_mille}_idx",
                )
                for per_mille in SAMPLE_LEVELS
            ),
            GinIndex(fields=["regions"], name="project_search_regions_idx"),
            GinIndex(fields=["target_groups"], name="project_search_groups_idx"),
        ]

    def __str__(self):
        return str(self.project_id)

    @staticmethod
    def prefetched(projects):
        """Return projects with the related rows that for_project() reads, fetched a batch at
        a time rather than for each project."""
        return projects.prefetch_related(
            Prefetch(
                "implementations",
                queryset=Implementation.objects.select_related("organisation").prefetch_related(
                    "organisation__names"
                ),
            ),
            "regions",
            "target_groups",
        )

    @classmethod
    def for_project(cls, project: Project, vocabulary: Counter) -> "ProjectSearch":
        names = [project.code, project.name, *project.other_names]
        implementers = [
            name
            for implementation in project.implementations.all()
            for name in (
                implementation.organisation.name,
                *(other.name for other in implementation.organisation.names.all()),
            )
        ]
        texts = {
            "A": names,
            "B": [project.goals, project.results],
            "C": [
                project.description,
                project.background,
                project.actions,
                project.dissemination,
                project.notes,
                project.target_groups_text,
                *implementers,
                *(region.name for region in project.regions.all()),
            ],
        }
        return cls(
            project=project,
            document=search_document(texts, vocabulary),
            names=[name_key(name) for name in names if name],
            regions=sorted(region.pk for region in project.regions.all()),
            target_groups=sorted(group.pk for group in project.target_groups.all()),
        )


class SearchEntryQuerySet(BatchQuerySet):
    def index(self, vocabulary: Counter) -> int:
        """Write a row for every organisation and evaluation record; return how many."""
        organisations = self.index_organisations(Organisation.objects.all(), vocabulary)
        return organisations + self.index_evaluations(vocabulary)

    def index_organisations(self, organisations, vocabulary: Counter) -> int:
        """Write the rows of some organisations that have none; return how many."""
        return self.create_in_batches(self._organisation_rows(organisations, vocabulary))

    def index_evaluations(self, vocabulary: Counter) -> int:
        """Write a row for every evaluation record; return how many."""
        return self.create_in_batches(self._evaluation_rows(vocabulary))

    def _organisation_rows(self, organisations, vocabulary: Counter):
        kind = self.model.Kind
        entry = self.model.for_record
        organisations = organisations.order_by("pk").prefetch_related("names")
        for organisation in organisations.iterator(BATCH_SIZE):
            other_names = [other.name for other in organisation.names.all()]
            names = [organisation.name, *other_names, organisation.business_id]
            yield entry(
                kind.ORGANISATION,
                organisation,
                vocabulary,
                title=organisation.name,
                slug=organisation.slug,
                text=" · ".join(other_names),
                names=names,
                texts={"A": names},
            )

    def _evaluation_rows(self, vocabulary: Counter):
        # Imported here: evaluations.models imports projects.models, which imports this module.
        from evaluations.models import PracticeModel, Recommendation, Report, Thesis

        kind = self.model.Kind
        entry = self.model.for_record
        for report in Report.objects.select_related("parent"):
            yield entry(
                kind.REPORT,
                report,
                vocabulary,
                title=report.title,
                context=report.parent.title if report.parent else "",
                slug=report.slug,
                text=report.summary,
                names=[report.title],
                texts={"A": [report.title], "B": [report.summary]},
            )
        for thesis in Thesis.objects.select_related("report"):
            yield entry(
                kind.THESIS,
                thesis,
                vocabulary,
                title=f"{thesis.number}. {thesis.title}",
                context=thesis.report.title,
                slug=thesis.report.slug,
                anchor=f"thesis-{thesis.number}",
                text=thesis.text,
                names=[thesis.title],
                texts={"A": [thesis.title], "B": [thesis.text]},
            )
        for recommendation in Recommendation.objects.select_related("report"):
            yield entry(
                kind.RECOMMENDATION,
                recommendation,
                vocabulary,
                title=f"{recommendation.number}. {Truncator(recommendation.text).words(12)}",
                context=recommendation.report.title,
                slug=recommendation.report.slug,
                anchor=f"recommendation-{recommendation.number}",
                text=recommendation.text,
                texts={"B": [recommendation.text], "C": [recommendation.addressed_to]},
            )
        models_ = PracticeModel.objects.select_related("project").prefetch_related("criteria")
        for model in models_:
            criteria = [text for c in model.criteria.all() for text in (c.name, c.assessment)]
            yield entry(
                kind.PRACTICE_MODEL,
                model,
                vocabulary,
                title=model.name,
                context=model.project.name,
                slug=model.slug,
                text=model.description,
                names=[model.name],
                texts={"A": [model.name], "B": [model.description], "C": criteria},
            )


class SearchEntry(models.Model):
    """An organisation or an evaluation record (report, thesis, recommendation, practice model)
    as the search page shows it: a title, where it links and a searchable text."""

    class Kind(models.TextChoices):
        ORGANISATION = "organisation", _("organisation")
        REPORT = "report", _("report")
        THESIS = "thesis", _("thesis")
        RECOMMENDATION = "recommendation", _("recommendation")
        PRACTICE_MODEL = "practice_model", _("practice model")

    PAGES = {
        Kind.ORGANISATION: "projects:organisation-detail",
        Kind.REPORT: "evaluations:report-detail",
        Kind.THESIS: "evaluations:report-detail",
        Kind.RECOMMENDATION: "evaluations:report-detail",
        Kind.PRACTICE_MODEL: "evaluations:practice-model-detail",
    }

    kind = models.CharField(_("kind"), max_length=20, choices=Kind)
    record_id = models.PositiveBigIntegerField(_("record ID"))
    title = models.CharField(_("title"), max_length=300)
    context = models.CharField(
        _("context"), max_length=300, blank=True, default="", help_text=_("E.g. the report.")
    )
    slug = models.SlugField(_("slug of the page"), max_length=120)
    anchor = models.CharField(_("anchor on the page"), max_length=40, blank=True, default="")
    text = models.TextField(_("text"), blank=True, default="")
    names = ArrayField(
        models.CharField(max_length=300),
        verbose_name=_("names"),
        default=list,
        help_text=_(
            "Name, other names and abbreviations, folded, for ranking an exact name first."
        ),
    )
    document = SearchVectorField(_("search document"))

    objects = SearchEntryQuerySet.as_manager()

    class Meta:
        ordering = ["kind", "title"]
        verbose_name = _("search entry")
        verbose_name_plural = _("search entries")
        constraints = [
            models.UniqueConstraint(fields=["kind", "record_id"], name="search_entry_unique"),
        ]
        indexes = [
            # search_entries(): document @@ query, on the search page.
            GinIndex(fields=["document"], name="search_entry_document_idx"),
        ]

    def __str__(self):
        return self.title

    def get_absolute_url(self):
        url = reverse(self.PAGES[self.kind], args=[self.slug])
        return f"{url}#{self.anchor}" if self.anchor else url

    @classmethod
    def for_record(cls, kind, record, vocabulary, *, texts, names=(), **shown) -> "SearchEntry":
        return cls(
            kind=kind,
            record_id=record.pk,
            names=[name_key(name) for name in names if name],
            document=search_document(texts, vocabulary),
            **shown,
        )


class SearchWordQuerySet(BatchQuerySet):
    def add(self, vocabulary: Counter) -> int:
        """Add the words not yet in the list, with the number of records holding each."""
        return self.create_in_batches(
            (
                self.model(word=word, folded=fold(word), document_count=count)
                for word, count in vocabulary.items()
            ),
            ignore_conflicts=True,
        )


class SearchWord(models.Model):
    """A distinct word or lemma of the indexed texts, for "did you mean" suggestions."""

    word = models.CharField(_("word"), max_length=50, unique=True)
    folded = models.CharField(
        _("folded"), max_length=50, help_text=_("The word without diacritics: tyollistyminen.")
    )
    document_count = models.PositiveIntegerField(
        _("documents"), default=0, help_text=_("How many records hold the word.")
    )

    objects = SearchWordQuerySet.as_manager()

    class Meta:
        ordering = ["word"]
        verbose_name = _("search word")
        verbose_name_plural = _("search words")
        indexes = [
            # suggest_queries(): folded % 'maahanmuutaja', the trigram match of a misspelt word.
            GinIndex(fields=["folded"], opclasses=["gin_trgm_ops"], name="search_word_trgm_idx"),
        ]

    def __str__(self):
        return self.word
