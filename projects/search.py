"""Finnish-aware search over projects, organisations and evaluations: the queries that read the
search index, and the functions that fill it. The design and its measurements are in
docs/adr/0003-search.md.

The import calls rebuild_search_index() after loading; an edit of some projects calls
refresh_search_index(project_ids). Nothing is indexed as a side effect of save().
"""

import operator
import re
from collections import Counter
from dataclasses import dataclass, field
from functools import partial, reduce

from django.contrib.postgres.search import (
    SearchHeadline,
    SearchQuery,
    SearchQueryCombinable,
    SearchQueryField,
    SearchRank,
    TrigramSimilarity,
)
from django.db import transaction
from django.db.models import Case, Count, Exists, F, FloatField, Func, TextField, Value, When
from django.utils.html import escape, format_html, format_html_join
from django.utils.safestring import SafeString
from django.utils.translation import gettext_lazy as _

from projects.models import (
    Implementation,
    Organisation,
    Project,
    ProjectSearch,
    SearchEntry,
    SearchWord,
)
from projects.models.base import table_estimate
from projects.models.projects import SAMPLE_LEVELS, SAMPLE_MODULUS, sample_key
from projects.overview import sample, sizes
from projects.parsing.finnish import (
    MAX_QUERY_LENGTH,
    Query,
    Term,
    clean,
    fold,
    is_vocabulary,
    lemma_prefixes,
    lemmas,
    name_key,
    parse_query,
)

# Shorter words match only whole: "eu" should not find every "euro".
PREFIX_MIN_LENGTH = 4
PROJECTS_SHOWN = 20
# Ranking reads each match's whole search document (kilobytes): a common word's matches are
# ranked among the first this many found. See docs/adr/0005-scale.md.
RANKED_AT_MOST = 1000
# Of all projects, the share a search must match for its first matches to be found along the
# primary key rather than in a sample (ranked_among_first_found()). At a million projects, a
# page with them found so against found in the 1 % sample, whose projects lie spread over the
# table: koulutus (95 % of the projects) 33 and 57 ms, nuoret (24 %) 58 and 68, but nuoret
# työllistyminen (18 %) 121 and 53, as the bitmap reads the posting lists of both words.
DENSE_SHARE = 0.2
ENTRIES_SHOWN = 10
GROUP_LABELS = {
    SearchEntry.Kind.ORGANISATION: _("Organisations"),
    SearchEntry.Kind.REPORT: _("Reports"),
    SearchEntry.Kind.THESIS: _("Theses of evaluations"),
    SearchEntry.Kind.RECOMMENDATION: _("Recommendations"),
    SearchEntry.Kind.PRACTICE_MODEL: _("Practice models"),
}
# Private-use characters mark the highlights in ts_headline's output: the query is cleaned of
# them (parse_query drops private-use code points) and snippet_html() escapes everything else,
# so neither the query nor the data can bring markup into the page.
MARK_START, MARK_STOP = "\ue000", "\ue001"
MARKED = re.compile(f"{MARK_START}(.*?){MARK_STOP}", re.DOTALL)
# Goals and results first: ts_headline prefers the earliest of equally good fragments.
PROJECT_SNIPPET_FIELDS = (
    "goals",
    "results",
    "description",
    "background",
    "actions",
    "dissemination",
    "notes",
    "target_groups_text",
)


# -- Reading the index ---------------------------------------------------------------------


def search_projects(queryset, query: str):
    """Return the projects of a queryset that match a search, annotated with `search_rank`
    (higher is better: an exact code or name first, then by PostgreSQL's ts_rank).

    Filters stay the caller's: search_projects(Project.objects.filter(...), q)
    .order_by("-search_rank"). A query with nothing to search for matches nothing.
    """
    parsed = parse_query(query)
    if not parsed:
        # Still annotated, so that ordering by relevance works on the empty result.
        return queryset.none().annotate(search_rank=Value(0.0, output_field=FloatField()))
    return _search_projects(queryset, parsed)


def text_match(query: str) -> SearchQuery | None:
    """Return the tsquery that search_projects() matches the search documents with, or None
    for a query with nothing to search for."""
    parsed = parse_query(query)
    return _match(parsed) if parsed else None


def ranked_among_first_found(projects, matches: int):
    """Return the first RANKED_AT_MOST of a search's projects that PostgreSQL finds, in no
    particular order, still ordered by relevance: finding them reads no more than that many
    search documents, where ranking every match would read them all.

    A search that matches at least DENSE_SHARE of all projects finds them along the primary
    key, side by side in the table. A sparser one with so many `matches` (counted or
    estimated) that a sample of projects.overview should hold a quarter more than
    RANKED_AT_MOST of them finds them in the smallest such sample first: its text index is a
    tenth or less of the whole one, whose bitmap reads every posting list of the words
    searched, however few projects hold them all. Unless it should hold twice as many, the
    others are found outside it, through the whole index, if it holds fewer.
    See docs/adr/0005-scale.md."""
    first_found = projects.order_by()
    holding_enough = [
        level
        for level in SAMPLE_LEVELS
        if matches * level / SAMPLE_MODULUS >= RANKED_AT_MOST * 5 / 4
    ]
    # Unknown before the table is first analysed (-1): then never taken as dense.
    if not holding_enough or 0 < DENSE_SHARE * table_estimate(Project) <= matches:
        return projects.among(first_found.values("pk")[:RANKED_AT_MOST])
    level = min(holding_enough)
    in_sample = sample(first_found, level, searched=True).values("pk")
    if matches * level / SAMPLE_MODULUS >= 2 * RANKED_AT_MOST:
        # Expected to hold twice as many, it does not fall short; and the union would cost
        # 1.5 ms more of Python to build and compile.
        return projects.among(in_sample[:RANKED_AT_MOST])
    elsewhere = first_found.alias(sample_key=sample_key("id")).filter(sample_key__gte=level)
    return projects.among(
        in_sample.union(elsewhere.values("pk"), all=True).order_by()[:RANKED_AT_MOST]
    )


def bounded_ranking(projects, filterset, matches: int) -> tuple:
    """Return the projects to page through and how many of them at most (None: the list's
    own bound): a search sorted by relevance with more `matches` than RANKED_AT_MOST is
    ranked among the first found (ranked_among_first_found)."""
    if filterset.ranks_by_relevance() and matches > RANKED_AT_MOST:
        return ranked_among_first_found(projects, matches), RANKED_AT_MOST
    return projects, None


def suggest_queries(query: str, limit: int = 3) -> list[str]:
    """Return up to `limit` corrections of a search whose words the indexed texts do not hold,
    best first: "tyollistyminen" -> ["työllistyminen", ...]. Empty when every word is known."""
    return [str(corrected) for corrected in _corrections(parse_query(query), limit)]


def annotate_headlines(queryset, query: str):
    """Annotate the projects of a search with `search_headline`: a snippet of their texts around
    the words searched for, to be shown through snippet_html(). Computed only for the rows
    fetched, as PostgreSQL runs ts_headline after ORDER BY and LIMIT."""
    parsed = parse_query(query)
    return _with_headlines(queryset, parsed) if parsed else queryset


def snippet_html(headline: str) -> SafeString:
    """Return a search_headline as HTML: the text escaped, the words found in <mark>."""
    pieces = MARKED.split(headline or "")
    html = []
    for position, piece in enumerate(pieces):
        text = piece.replace(MARK_START, "").replace(MARK_STOP, "")
        html.append(format_html("<mark>{}</mark>", text) if position % 2 else escape(text))
    return format_html_join("", "{}", ((piece,) for piece in html if piece))


@dataclass
class EntryGroup:
    """Organisations, reports, theses, recommendations or practice models a search found."""

    kind: str
    label: str
    count: int
    entries: list


@dataclass
class SearchResults:
    """What the search page shows for one search: `query` as typed (cleaned), `searched` as
    searched (a correction of it when the query itself found nothing)."""

    query: Query
    searched: Query
    text: str = ""
    suggestions: list[str] = field(default_factory=list)
    projects: list = field(default_factory=list)
    project_count: int = 0
    # A count estimated from a sample (projects.overview.sizes()), shown as about so many.
    projects_estimated: bool = False
    groups: list[EntryGroup] = field(default_factory=list)

    @property
    def total(self) -> int:
        return self.project_count + sum(group.count for group in self.groups)

    @property
    def corrected(self) -> bool:
        return self.searched != self.query


def search_everything(text: str) -> SearchResults:
    """Search projects, organisations and evaluations; when nothing matches and a correction
    exists, return what the best correction finds."""
    query = parse_query(text)
    typed = clean(text)[:MAX_QUERY_LENGTH]
    if not query:
        return SearchResults(query, query, typed)
    corrections = _corrections(query, 3)
    results = _find(query, query)
    if not results.total and corrections:
        results = _find(query, corrections[0])
    results.text = typed
    results.suggestions = [str(corrected) for corrected in corrections]
    return results


def _find(query: Query, searched: Query) -> SearchResults:
    projects = _search_projects(Project.objects.with_money(), searched)
    # As the project list does: exact up to a few thousand, estimated from a sample above.
    (size,) = sizes(projects, searched=True)
    if size.count > RANKED_AT_MOST:
        projects = ranked_among_first_found(projects, size.count)
    ranked = projects.for_list().order_by("-search_rank", "name", "id")
    # The snippets' texts are read for the rows shown, not carried through ranking them all.
    shown = list(_with_headlines(ranked.among(ranked.values("pk")[:PROJECTS_SHOWN]), searched))
    for project in shown:
        project.snippet = snippet_html(project.search_headline)
    return SearchResults(
        query,
        searched,
        projects=shown,
        project_count=size.count,
        projects_estimated=size.estimated,
        groups=_search_entries(searched),
    )


def _search_projects(queryset, query: Query):
    match = _match(query)
    return queryset.filter(search__document=match).annotate(
        search_rank=SearchRank(F("search__document"), match)
        + _exact_name_bonus(query, "search__names")
    )


def _with_headlines(queryset, query: Query):
    text = Func(Value(" "), *PROJECT_SNIPPET_FIELDS, function="concat_ws", output_field=TextField())
    return queryset.annotate(search_headline=_headline(text, query))


def _search_entries(query: Query) -> list[EntryGroup]:
    match = _match(query)
    matching = SearchEntry.objects.filter(document=match)
    counts = dict(matching.values_list("kind").annotate(count=Count("*")).order_by())
    kinds = [kind for kind in SearchEntry.Kind if counts.get(kind)]
    if not kinds:
        return []
    ranked = matching.annotate(
        rank=SearchRank(F("document"), match) + _exact_name_bonus(query, "names"),
        search_headline=_headline(F("text"), query),
    ).order_by("-rank", "title")
    tops = [ranked.filter(kind=kind)[:ENTRIES_SHOWN] for kind in kinds]
    found = tops[0].union(*tops[1:], all=True) if len(tops) > 1 else tops[0]
    entries = sorted(found, key=lambda entry: (-entry.rank, entry.title))
    groups = []
    for kind in kinds:
        shown = [entry for entry in entries if entry.kind == kind]
        for entry in shown:
            entry.snippet = snippet_html(entry.search_headline)
        groups.append(EntryGroup(kind, GROUP_LABELS[kind], counts[kind], shown))
    return groups


def _match(query: Query) -> SearchQuery:
    """Return the tsquery of a search: each word as its Finnish stem, as a prefix of longer words,
    or as any of its Voikko lemmas (which the index holds for every word of the texts)."""
    match = None
    for clause in query.clauses:
        if clause[0].excluded:
            part = None
            for term in clause:
                for alternative in _alternatives(term):
                    part = ~alternative if part is None else part & ~alternative
        else:
            part = None
            for term in clause:
                for alternative in _alternatives(term):
                    part = alternative if part is None else part | alternative
        match = part if match is None else match & part
    return match


def _alternatives(term: Term) -> list[SearchQuery]:
    """Return the tsqueries any of which matches a term. The Finnish stemmer's stem is no prefix:
    it cuts "kumina" to "kum", which begins kummi and kumppani, so the prefix is the typed word
    itself, matched against the stems of longer words ("maahanmuuttajataustaist")."""
    if term.is_phrase:
        return [SearchQuery(" ".join(term.words), search_type="phrase", config="finnish")]
    # A word is letters and digits only (finnish.WORD), so it cannot inject tsquery syntax.
    (word,) = term.words
    alternatives = [SearchQuery(word, search_type="raw", config="finnish")]
    if len(word) >= PREFIX_MIN_LENGTH:
        alternatives.append(SearchQuery(f"{word}:*", search_type="raw", config="simple"))
    alternatives += [
        SearchQuery(lemma, search_type="raw", config="simple") for lemma in sorted(lemmas(word))
    ]
    return alternatives


class StemPrefix(SearchQueryCombinable, Func):
    """The tsquery, in the simple configuration, of the words that begin like a word's Finnish
    stem: "maahanmuuttaj" of maahanmuuttajat, which begins maahanmuuttajien too. A stem
    shorter than PREFIX_MIN_LENGTH is matched whole: "kum" of kumina begins kummi."""

    output_field = SearchQueryField()
    config = None  # combined with | it is asked for one; the template names its own
    template = (
        "to_tsquery('simple', COALESCE((SELECT string_agg(quote_literal(lexeme) || CASE WHEN "
        f"length(lexeme) >= {PREFIX_MIN_LENGTH} THEN ':*' ELSE '' END, ' | ') "
        "FROM unnest(to_tsvector('finnish', %(expressions)s))), ''))"
    )


class FollowedBy(SearchQueryCombinable, Func):
    """tsquery `a <-> b`: b right after a."""

    function = "tsquery_phrase"
    output_field = SearchQueryField()
    config = None


def _headline(text, query: Query) -> SearchHeadline:
    """Return a snippet of text around the search's words.

    ts_headline reads the text in the simple configuration, its words as they are written:
    stemming every one of them in the Finnish one cost 1.1-1.3 ms more for 25 projects. So a
    word searched for is marked where a word begins like its stem (StemPrefix), like the word
    itself, or like what the word and its lemma begin with both: "työllisty" for
    työllistyminen, which marks "työllistymisen" and "työllistyä".
    """
    highlight = None
    for term in query.terms:
        if not term.excluded:
            marked = reduce(FollowedBy, map(_marked_word, term.words))
            highlight = marked if highlight is None else highlight | marked
    return SearchHeadline(
        text,
        highlight,
        config="simple",
        start_sel=MARK_START,
        stop_sel=MARK_STOP,
        max_fragments=2,
        min_words=10,
        max_words=30,
        fragment_delimiter=" … ",
    )


def _marked_word(word: str):
    """Return the highlight query of a word of a search (see _headline())."""
    prefixes = lemma_prefixes(word) | ({word} if len(word) >= PREFIX_MIN_LENGTH else set())
    beginnings = [
        SearchQuery(f"{p}:*", search_type="raw", config="simple") for p in sorted(prefixes)
    ]
    return reduce(operator.or_, beginnings, StemPrefix(Value(word)))


def _exact_name_bonus(query: Query, names: str) -> Case:
    # ts_rank stays below 1 with the default weights; a whole name, code or abbreviation typed
    # as such ("S21114", "Omnia") lifts its record above every other.
    return Case(
        When(**{f"{names}__contains": [name_key(str(query))]}, then=Value(1.0)),
        default=Value(0.0),
    )


def _corrections(query: Query, limit: int) -> list[Query]:
    """Return up to `limit` versions of the query with its unknown words replaced by the nearest
    words of the word list: a trigram match on folded words, so that a missing letter and missing
    diacritics both find their word ("maahanmuutaja", "tyollistyminen")."""
    typed = sorted(
        {
            term.words[0]
            for term in query.terms
            if not term.excluded and not term.is_phrase and is_vocabulary(term.words[0])
        }
    )
    if not typed:
        return []
    # A known word's trigram search is never run: its NOT EXISTS, a lookup in the word list's
    # unique index, is evaluated first and once, and settles the usual case.
    candidates = [
        SearchWord.objects.filter(
            ~Exists(SearchWord.objects.filter(word=word)), folded__trigram_similar=fold(word)
        )
        .annotate(term=Value(word), similarity=TrigramSimilarity("folded", fold(word)))
        .order_by("-similarity", "-document_count", "word")
        .values_list("term", "similarity", "document_count", "word")[:limit]
        for word in typed
    ]
    rows = candidates[0].union(*candidates[1:], all=True) if len(candidates) > 1 else candidates[0]
    nearest: dict[str, list[str]] = {}
    for term, _similarity, _count, word in sorted(rows, key=_best_first):
        nearest.setdefault(term, []).append(word)
    corrections = []
    for position in range(limit):
        replacements = {
            word: found[min(position, len(found) - 1)] for word, found in nearest.items()
        }
        corrected = query.replace_words(replacements)
        if replacements and corrected not in corrections:
            corrections.append(corrected)
    return corrections


def _best_first(row):
    term, similarity, count, word = row
    return term, -similarity, -count, word


# -- Filling the index ---------------------------------------------------------------------


def rebuild_search_index() -> dict[str, int]:
    """Rebuild the whole search index from the records: every project, organisation and
    evaluation record, and the word list. Return how many rows of each were written."""
    vocabulary = Counter()
    with transaction.atomic():
        ProjectSearch.objects.all().delete()
        SearchEntry.objects.all().delete()
        SearchWord.objects.all().delete()
        projects = ProjectSearch.objects.index(Project.objects.all(), vocabulary)
        entries = SearchEntry.objects.index(vocabulary)
        added = SearchWord.objects.add(vocabulary)
    return {"projects": projects, "entries": entries, "words": added}


def refresh_search_index(project_ids) -> int:
    """Re-index some projects after they changed. Return how many were indexed (a deleted
    project's row went with it)."""
    ids = list(project_ids)
    return _replace(
        ProjectSearch.objects.filter(project_id__in=ids),
        partial(ProjectSearch.objects.index, Project.objects.filter(pk__in=ids)),
    )


def implemented_projects(organisation_ids) -> set[int]:
    """Return the ids of the projects the organisations implement, whose search rows hold the
    organisations' names."""
    implementations = Implementation.objects.filter(organisation__in=organisation_ids)
    return set(implementations.values_list("project_id", flat=True))


def refresh_organisation_entries(organisation_ids) -> int:
    """Re-index some organisations' entries after they changed; return how many were indexed.
    Only theirs: rebuilding all 50,000 at a million projects took 12 s."""
    ids = list(organisation_ids)
    return _replace(
        SearchEntry.objects.filter(kind=SearchEntry.Kind.ORGANISATION, record_id__in=ids),
        partial(SearchEntry.objects.index_organisations, Organisation.objects.filter(pk__in=ids)),
    )


def refresh_evaluation_entries() -> int:
    """Re-index every evaluation record's entry after one of them changed: they are few, and a
    report's title is the context of its theses and recommendations."""
    return _replace(
        SearchEntry.objects.exclude(kind=SearchEntry.Kind.ORGANISATION),
        SearchEntry.objects.index_evaluations,
    )


def _replace(stale, write) -> int:
    """Delete the `stale` rows of the index and `write(vocabulary)` theirs anew, in one
    transaction; add the new words to the word list, whose counts are exact again after the
    next rebuild. Return how many rows were written."""
    vocabulary = Counter()
    with transaction.atomic():
        stale.delete()
        written = write(vocabulary)
        SearchWord.objects.add(vocabulary)
    return written
