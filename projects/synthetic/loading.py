"""Write synthetic records into the configured database with COPY, and index them for search.

One transaction: if anything fails, the database is as it was. Inside it, the secondary indexes
and the unique and foreign-key constraints of the bulk tables are read from pg_catalog, dropped,
and re-created from those very definitions after loading (so exactly what the migrations made is
back, and validated over every row). Worker processes generate the chunks of projects while this
one COPYs the finished ones, so Python and PostgreSQL work at the same time on every core.
"""

import multiprocessing
import os
import time
from collections import Counter, deque
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from datetime import date
from hashlib import sha256
from itertools import islice

from django.core.management import call_command
from django.db import connection, transaction

from projects.models import (
    FundingRound,
    Municipality,
    Organisation,
    Programme,
    Project,
    ProjectSearch,
    Region,
    SearchEntry,
    SearchWord,
    SourceDocument,
    TargetGroup,
)

from . import names as N
from .common import Chunk
from .pools import FRAGMENTS, RealRecords
from .rows import Generator, References

PREFIX = "synt-"
SOURCE_SLUG = "synthetic"
SOURCE_TEXT = (
    "Synteettinen testiaineisto: nämä hankkeet, organisaatiot ja luvut eivät ole todellisia.\n"
    "Ne on tuotettu komennolla manage.py generate_synthetic todellisten tietueiden sanastosta.\n"
    "Tunnisteet alkavat etuliitteellä synt- ja jokainen tietue viittaa tähän asiakirjaan.\n"
)
# Tables written in bulk: their secondary indexes and constraints are rebuilt after loading.
BULK_TABLES = (
    "projects_organisation",
    "projects_project",
    "projects_implementation",
    "projects_project_regions",
    "projects_project_municipalities",
    "projects_project_target_groups",
    "projects_outcome",
    "projects_decision",
    "projects_decisionstage",
    "projects_moneyline",
    "projects_projectsearch",
    "projects_searchentry",
    "projects_searchword",
)
COPY_COLUMNS = {
    "project": (
        "projects_project",
        "id, document_id, first_line, last_line, code, name, "
        "other_names, slug, status, start_date, start_precision, end_date, end_precision, "
        "parent_id, funding_round_id, programme_id, funder_id, administrator_id, "
        "realised_public_funding, applied_total, approved_total, is_national, "
        "target_groups_text, description, background, goals, actions, results, "
        "dissemination, notes",
    ),
    "implementation": ("projects_implementation", "project_id, organisation_id, role, position"),
    "region": ("projects_project_regions", "project_id, region_id"),
    "municipality": ("projects_project_municipalities", "project_id, municipality_id"),
    "target_group": ("projects_project_target_groups", "project_id, targetgroup_id"),
    "outcome": (
        "projects_outcome",
        "project_id, position, kind, stage, value, unit, label, "
        "phrase, document_id, first_line, last_line",
    ),
    "decision": (
        "projects_decision",
        "id, project_id, decision, score, max_score, reasoning, document_id, first_line, last_line",
    ),
    "stage": (
        "projects_decisionstage",
        "decision_id, position, date, body, document_id, first_line, last_line",
    ),
    "money": (
        "projects_moneyline",
        "decision_id, section, position, label, applied, approved, "
        "rejected, share_percent, is_total, document_id, first_line, last_line",
    ),
    "search": (
        "synthetic_search",
        "project_id, a_text, b, c, lemmas, names, regions, target_groups",
    ),
}
# A project's search vector is search_document()'s: to_tsvector of the weight's text joined by
# whitespace equals the || of its fragments' vectors when each fragment's last position is its
# last word's (no trailing stop word: unjoinable_fragments), because || shifts the right vector
# by the left one's last position. Each distinct sentence is thus stemmed once, not per project.
CREATE_FRAGMENTS = """
    DROP TABLE IF EXISTS synthetic_fragment, synthetic_search;
    CREATE TEMP TABLE synthetic_fragment (id integer PRIMARY KEY, text text, vector tsvector)
    ON COMMIT DROP;
    CREATE OR REPLACE AGGREGATE pg_temp.tsvector_agg(tsvector)
    (SFUNC = tsvector_concat, STYPE = tsvector, INITCOND = '');
    CREATE TEMP TABLE synthetic_search (project_id bigint, a_text text, b integer[],
    c integer[], lemmas text, names varchar(300)[], regions bigint[], target_groups bigint[])
    WITH (toast_tuple_target = 8160)
    ON COMMIT DROP;
"""
# toast_tuple_target: a staging row (~4 KB, most of it the lemma literal) stays inline and
# uncompressed, read once by INSERT_SEARCH: compressing it cost more than the rest of its COPY.
UNJOINABLE_FRAGMENTS = """
    SELECT id FROM synthetic_fragment f
    WHERE coalesce((SELECT max(p) FROM unnest(f.vector) u, unnest(u.positions) p), 0) + 1
        <> (SELECT min(p) FROM unnest(to_tsvector('finnish', f.text || ' 987654321')) u,
            unnest(u.positions) p WHERE u.lexeme = '987654321')
"""
INSERT_SEARCH = """
    INSERT INTO projects_projectsearch (project_id, document, names, regions, target_groups)
    SELECT s.project_id,
        setweight(to_tsvector('finnish', s.a_text), 'A')
        || setweight((SELECT pg_temp.tsvector_agg(f.vector ORDER BY o.n)
            FROM unnest(s.b) WITH ORDINALITY o(id, n) JOIN synthetic_fragment f USING (id)), 'B')
        || setweight((SELECT pg_temp.tsvector_agg(f.vector ORDER BY o.n)
            FROM unnest(s.c) WITH ORDINALITY o(id, n) JOIN synthetic_fragment f USING (id)), 'C')
        || s.lemmas::tsvector,
        s.names, s.regions, s.target_groups
    FROM synthetic_search s
"""


class Refused(Exception):
    """The database holds records the options do not allow mixing with."""


@dataclass
class Report:
    written: Counter = field(default_factory=Counter)
    phases: dict[str, float] = field(default_factory=dict)
    started: float = field(default_factory=time.monotonic)

    def phase(self, name: str, since: float) -> float:
        now = time.monotonic()
        self.phases[name] = now - since
        return now


def generate(
    projects,
    *,
    seed=0,
    alongside_real=False,
    replace_synthetic=False,
    chunk_size=5000,
    organisations=None,
    processes=None,
    progress=print,
) -> Report:
    """Write `projects` synthetic projects and everything around them; return what was done."""
    synthetic = Project.objects.filter(slug__startswith=PREFIX)
    if Project.objects.exclude(slug__startswith=PREFIX).exists() and not alongside_real:
        raise Refused(
            "The database holds real projects: add --alongside-real to add synthetic "
            "ones next to them."
        )
    if synthetic.exists() and not (alongside_real or replace_synthetic):
        raise Refused(
            "The database holds synthetic projects already: add --replace-synthetic "
            "to replace them, or --alongside-real to add more."
        )
    report = Report()
    organisations = organisations or min(50_000, max(200, projects // 20))
    processes = processes or os.cpu_count()
    records = RealRecords()
    since = report.phase("reading the real records", report.started)
    with transaction.atomic():
        vocabulary = _real_project_vocabulary()
        references = _reference_rows(records)
        since = report.phase("reference rows and real vocabulary", since)
        with connection.cursor() as cursor:
            cursor.execute("SET LOCAL maintenance_work_mem = '1GB'")
            cursor.execute("SET LOCAL work_mem = '256MB'")
            cursor.execute("SET LOCAL synchronous_commit = off")
            # Check the reference rows' deferred foreign keys now: a table with pending
            # trigger events cannot be altered.
            cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")
            definitions = _drop_indexes_and_constraints(cursor)
            since = report.phase("dropping indexes and constraints", since)
            if replace_synthetic:
                _delete_synthetic(cursor, references.document)
                since = report.phase("deleting earlier synthetic rows", since)
            generator = Generator(records, references, seed, date.today())
            cursor.execute("SELECT code FROM projects_project WHERE code <> ''")
            generator.taken_codes = {code for (code,) in cursor.fetchall()}
            cursor.execute("SELECT business_id FROM projects_organisation WHERE business_id <> ''")
            taken = {business_id for (business_id,) in cursor.fetchall()}
            first_org = _reserve_ids(cursor, "projects_organisation", organisations)
            lines = list(generator.organisation_rows(first_org, organisations, taken))
            cursor.execute(CREATE_FRAGMENTS)
            generator.leave_out(unjoinable_fragments(cursor))
            with cursor.copy(
                "COPY projects_organisation (id, slug, name, kind, business_id) FROM STDIN"
            ) as copy:
                copy.write("".join(lines))
            report.written["projects_organisation"] = len(lines)
            since = report.phase("organisations", since)

            first_project = _reserve_ids(cursor, "projects_project", projects)
            first_decision = _reserve_ids(cursor, "projects_decision", projects)
            jobs = [
                (
                    number,
                    first_project + start,
                    min(chunk_size, projects - start),
                    first_decision + start - 1,
                )
                for number, start in enumerate(range(0, projects, chunk_size))
            ]
            _load(cursor, generator, jobs, processes, report, progress)
            # Give back the decision ids not used (only a share of projects has a decision).
            cursor.execute(
                "SELECT setval(pg_get_serial_sequence('projects_decision', 'id'), "
                "(SELECT max(id) FROM projects_decision))"
            )
            since = report.phase("projects, related rows and search vectors", since)

            vocabulary.update(generator.vocabulary(projects))
            report.written["projects_searchentry"] = _search_entries_and_words(cursor, vocabulary)
            report.written["projects_searchword"] = SearchWord.objects.count()
            since = report.phase("search entries and word list", since)
            _restore(cursor, definitions, progress)
            since = report.phase("restoring indexes and constraints", since)
    if connection.in_atomic_block:  # a test's transaction, where VACUUM cannot run
        with connection.cursor() as cursor:
            for table in BULK_TABLES:
                cursor.execute(f"ANALYZE {table}")
        report.phase("analyze", since)
    else:
        _vacuum_analyze(processes)
        report.phase("vacuum (analyze)", since)
    return report


def _vacuum_analyze(processes: int) -> None:
    """VACUUM (ANALYZE) the bulk tables, the largest first, on one connection per core: the
    planner needs statistics and index-only scans a visibility map, and a fresh table's
    vacuum (setting hint bits and writing their pages to WAL) takes minutes at a million."""
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT t FROM unnest(%s::text[]) t ORDER BY pg_total_relation_size(t::regclass) DESC",
            [list(BULK_TABLES)],
        )
        tables = [table for (table,) in cursor.fetchall()]

    def vacuum(table):
        try:  # in this thread, `connection` is a connection of its own
            with connection.cursor() as cursor:
                cursor.execute(f"VACUUM (ANALYZE) {table}")
        finally:
            connection.close()

    with ThreadPoolExecutor(processes) as pool:
        list(pool.map(vacuum, tables))


def unjoinable_fragments(cursor) -> set[int]:
    """Load every fragment made so far with its search vector; return the ids of those whose
    vector cannot be joined to the next by || (a trailing stop word takes a position)."""
    with cursor.copy("COPY synthetic_fragment (id, text) FROM STDIN") as copy:
        copy.write("".join(f"{f.id}\t{f.copy}\n" for f in FRAGMENTS))
    cursor.execute("UPDATE synthetic_fragment SET vector = to_tsvector('finnish', text)")
    cursor.execute(UNJOINABLE_FRAGMENTS)
    return {fragment_id for (fragment_id,) in cursor.fetchall()}


def _real_project_vocabulary() -> Counter:
    """Count the words of the projects that are not synthetic, as a rebuild of the search
    index would, so that the word list rebuilt at the end is the one a rebuild gives."""
    vocabulary = Counter()
    real = ProjectSearch.prefetched(Project.objects.exclude(slug__startswith=PREFIX))
    for project in real.iterator(500):
        ProjectSearch.for_project(project, vocabulary)
    return vocabulary


def _reference_rows(records: RealRecords) -> References:
    """Create what synthetic records point at when missing: places, the source document they
    all cite, programmes, target groups and funding rounds. Reference data is shared with the
    real records; the synthetic document, programme and rounds carry the synt- prefix."""
    if not Region.objects.exists():
        call_command("loaddata", "places", verbosity=0)
    document, _ = SourceDocument.objects.update_or_create(
        slug=SOURCE_SLUG,
        defaults={
            "file_name": "synthetic-data.txt",
            "title": "Synteettinen testiaineisto (generate_synthetic)",
            "kind": SourceDocument.Kind.PROJECT_CARD,
            "summary": SOURCE_TEXT.split("\n")[0],
            "text": SOURCE_TEXT,
            "sha256": sha256(SOURCE_TEXT.encode()).hexdigest(),
        },
    )
    programmes = {}
    for fields in [*records.programmes, N.OLD_PROGRAMME]:
        programme, _ = Programme.objects.get_or_create(slug=fields["slug"], defaults=fields)
        programmes[programme.slug] = programme.pk
    groups = {}
    for fields in records.target_groups:
        group, _ = TargetGroup.objects.get_or_create(slug=fields["slug"], defaults=fields)
        groups[group.slug] = group.pk
    rounds = []
    for programme_slug, themes in N.ROUND_THEMES.items():
        for number, (theme, call_year, first, last) in enumerate(themes, start=1):
            slug = f"{PREFIX}{programme_slug.removeprefix(PREFIX)}-{number}"
            funding_round, _ = FundingRound.objects.get_or_create(
                slug=slug,
                defaults={
                    "name": f"{theme} ({call_year})",
                    "number": number,
                    "programme_id": programmes[programme_slug],
                    "call_year": call_year,
                    "first_year": first,
                    "last_year": last,
                    "theme": theme,
                    "document": document,
                    "first_line": 1,
                    "last_line": 3,
                },
            )
            rounds.append((funding_round.pk, programme_slug, first, last))
    return References(
        document=document.pk,
        programmes=programmes,
        rounds=rounds,
        target_groups=groups,
        regions=dict(Region.objects.values_list("code", "pk")),
        municipalities=dict(Municipality.objects.values_list("code", "pk")),
    )


@dataclass
class Definitions:
    foreign_keys: list[tuple[str, str, str]]
    uniques: list[tuple[str, str, str]]
    indexes: list[tuple[str, str]]


def _drop_indexes_and_constraints(cursor) -> Definitions:
    """Drop the bulk tables' secondary indexes, unique constraints and foreign keys (also those
    of other tables pointing at them), returning their definitions as pg_catalog states them."""
    tables = list(BULK_TABLES)
    cursor.execute(
        "SELECT conrelid::regclass::text, quote_ident(conname), pg_get_constraintdef(oid) "
        "FROM pg_constraint WHERE contype = 'f' AND (conrelid = ANY(%s::regclass[]) "
        "OR confrelid = ANY(%s::regclass[])) ORDER BY 1, 2",
        [tables, tables],
    )
    foreign_keys = cursor.fetchall()
    cursor.execute(
        "SELECT conrelid::regclass::text, quote_ident(conname), pg_get_constraintdef(oid) "
        "FROM pg_constraint WHERE contype = 'u' AND conrelid = ANY(%s::regclass[]) ORDER BY 1, 2",
        [tables],
    )
    uniques = cursor.fetchall()
    cursor.execute(
        "SELECT i.indexrelid::regclass::text, pg_get_indexdef(i.indexrelid) FROM pg_index i "
        "WHERE i.indrelid = ANY(%s::regclass[]) AND NOT i.indisprimary AND NOT EXISTS "
        "(SELECT FROM pg_constraint c WHERE c.conindid = i.indexrelid) ORDER BY 1",
        [tables],
    )
    indexes = cursor.fetchall()
    for table, name, _definition in [*foreign_keys, *uniques]:
        cursor.execute(f"ALTER TABLE {table} DROP CONSTRAINT {name}")
    for name, _definition in indexes:
        cursor.execute(f"DROP INDEX {name}")
    return Definitions(foreign_keys, uniques, indexes)


def _restore(cursor, definitions: Definitions, progress) -> None:
    """Re-create what _drop_indexes_and_constraints dropped, checking every row against it."""
    for table, name, definition in definitions.uniques:
        cursor.execute(f"ALTER TABLE {table} ADD CONSTRAINT {name} {definition}")
    for name, definition in definitions.indexes:
        started = time.monotonic()
        cursor.execute(definition)
        if time.monotonic() - started > 5:
            progress(f"  index {name}: {time.monotonic() - started:.1f} s")
    for table, name, definition in definitions.foreign_keys:
        cursor.execute(f"ALTER TABLE {table} ADD CONSTRAINT {name} {definition}")


def _delete_synthetic(cursor, document: int) -> None:
    """Delete the rows of earlier runs: everything citing the synthetic document, the synt-
    projects, rounds and organisations, and their search and many-to-many rows."""
    cursor.execute(
        "CREATE TEMP TABLE synthetic_ids ON COMMIT DROP AS "
        "SELECT id FROM projects_project WHERE slug LIKE 'synt-%%'"
    )
    for table in (
        "projects_projectsearch",
        "projects_project_regions",
        "projects_project_municipalities",
        "projects_project_target_groups",
        "projects_implementation",
    ):
        cursor.execute(f"DELETE FROM {table} WHERE project_id IN (SELECT id FROM synthetic_ids)")
    for table in (
        "projects_moneyline",
        "projects_decisionstage",
        "projects_decision",
        "projects_outcome",
    ):
        cursor.execute(f"DELETE FROM {table} WHERE document_id = %s", [document])
    cursor.execute("DELETE FROM projects_project WHERE id IN (SELECT id FROM synthetic_ids)")
    cursor.execute("DELETE FROM projects_organisation WHERE slug LIKE 'synt-%%'")
    cursor.execute("DROP TABLE synthetic_ids")


def _reserve_ids(cursor, table: str, count: int) -> int:
    """Take `count` consecutive ids from the table's sequence; return the first."""
    cursor.execute(
        "SELECT setval(pg_get_serial_sequence(%s, 'id'), "
        "greatest(nextval(pg_get_serial_sequence(%s, 'id')), "
        "(SELECT coalesce(max(id), 0) + 1 FROM " + table + ")) + %s - 1)",
        [table, table, count],
    )
    return cursor.fetchone()[0] - count + 1


def _load(cursor, generator: Generator, jobs, processes: int, report: Report, progress) -> None:
    """COPY the chunks in order while worker processes make the next ones. The workers are
    forked from this process, so they start from the generator as it is (organisations ranked,
    fragments analysed); at most two chunks per worker are in flight, so memory stays flat."""
    total = sum(count for _number, _first, count, _decision in jobs)
    started, done, shown = time.monotonic(), 0, 0
    waiting = iter(jobs)
    with multiprocessing.get_context("fork").Pool(processes, _adopt, (generator,)) as pool:
        pending = deque(
            pool.apply_async(_make_chunk, job) for job in islice(waiting, 2 * processes)
        )
        while pending:
            chunk = pending.popleft().get()
            if (job := next(waiting, None)) is not None:
                pending.append(pool.apply_async(_make_chunk, job))
            for key, data in chunk.data.items():
                table, columns = COPY_COLUMNS[key]
                with cursor.copy(f"COPY {table} ({columns}) FROM STDIN") as copy:
                    copy.write(data)
                report.written[table] += chunk.rows[key]
            cursor.execute(INSERT_SEARCH)
            cursor.execute("TRUNCATE synthetic_search")
            generator.fragment_uses.update(chunk.uses)
            done += chunk.projects
            if done - shown >= max(total // 20, 1) or done == total:
                shown = done
                elapsed = max(time.monotonic() - started, 1e-9)
                rows = sum(report.written.values())
                progress(
                    f"  {done:,} of {total:,} projects ({done / elapsed:,.0f} projects/s, "
                    f"{rows:,} rows, {rows / elapsed:,.0f} rows/s)"
                )
    report.written["projects_projectsearch"] = report.written.pop("synthetic_search", 0)


_generator: Generator | None = None  # a worker process's copy of the parent's generator


def _adopt(generator: Generator) -> None:
    global _generator
    _generator = generator


def _make_chunk(number: int, first_id: int, count: int, first_decision_id: int) -> Chunk:
    return _generator.chunk(number, first_id, count, first_decision_id)


def _search_entries_and_words(cursor, vocabulary: Counter) -> int:
    """Rebuild the organisation and evaluation entries and the word list, as
    projects.search.rebuild_search_index does, with the synthetic projects' words counted in.
    Project codes are each one project's: they go in by SQL rather than through the Counter."""
    SearchEntry.objects.all().delete()
    entries = SearchEntry.objects.index(vocabulary)
    SearchWord.objects.all().delete()
    SearchWord.objects.add(vocabulary)
    cursor.execute(
        "INSERT INTO projects_searchword (word, folded, document_count) "
        "SELECT lower(code), lower(code), 1 FROM projects_project "
        "WHERE slug LIKE 'synt-%%' AND code <> '' ON CONFLICT DO NOTHING"
    )
    return entries


def counts() -> dict[str, int]:
    """Return the number of rows of each bulk table, and of synthetic projects."""
    with connection.cursor() as cursor:
        found = {}
        for table in BULK_TABLES:
            cursor.execute(f"SELECT count(*) FROM {table}")
            found[table] = cursor.fetchone()[0]
    found["synthetic projects"] = Project.objects.filter(slug__startswith=PREFIX).count()
    found["organisations"] = Organisation.objects.count()
    return found
