"""How many projects a set holds, and its figures: exact when small, estimated when huge.

Counting a million matches, or grouping them by round for the facets, reads every one of them:
seconds at a million projects. So a set is counted only up to EXACT_UP_TO. Above that its
figures come from a fixed systematic sample, the projects whose id modulo SAMPLE_MODULUS is
below `per_mille` (read through indexes on that expression on the project, and for a search
through the text index of that sample's own documents), scaled up, rounded and marked as
estimates. Of the sample sizes SAMPLE_LEVELS, its count comes from the largest that holds at
most EXACT_UP_TO of its projects, and its figures and facet counts, which read each project of
the sample, from the largest of READ_LEVELS that the count predicts to hold at most
READ_AT_MOST: between about a third of that and that however large the set. See
docs/adr/0005-scale.md.
"""

import math
from dataclasses import dataclass

from django.db import connection
from django.db.models import F

from projects.models.base import select_sql
from projects.models.projects import SAMPLE_LEVELS, SAMPLE_MODULUS, sample_key

EXACT_UP_TO = 5_000
# Two significant digits want a few hundred projects, not thousands: reading 2,500 of them
# for a rare word's figures and facets took 40 of its 130 ms of SQL at a million projects.
READ_AT_MOST = 700
# The samples a set's figures and facets are read in: those of SAMPLE_LEVELS and one between
# each two, so that a read takes at least about 210 projects, as many as with READ_AT_MOST at
# 2,000 and the tenfold levels alone, which read up to 2,000 (a common word's figures and
# facets at 10,000 projects: 957, in 6.0 ms; in the sample of 30 per mille, 288 in 2.9 ms).
# A search's sample between two levels is found through the larger one's text index.
READ_LEVELS = (300, 100, 30, 10, 3, 1)
# sizes_by_key() counts a larger sample of a set only where the smallest predicts it to hold
# at most this many: each of its statements reads every link of its sample.
SAMPLE_COUNTED_AT_MOST = 2_000
# Sets within one of this many projects are counted whole by sizes_by_key(), from an index
# at some 30 ns a project (3 ms), rather than in one statement per sample level.
COUNTED_WHOLE_UP_TO = 100_000


@dataclass(frozen=True)
class Size:
    """The size of a set of projects: `count` exactly when not `estimated`; otherwise the
    count of a sample scaled (never within EXACT_UP_TO), and the figures read the projects
    of the sample of `per_mille`."""

    count: int
    per_mille: int = SAMPLE_MODULUS

    @property
    def estimated(self) -> bool:
        return self.per_mille < SAMPLE_MODULUS

    def read(self, projects, searched: bool = False):
        """Return the projects the figures are computed over: all of them, or the sample.
        A search's sample is also taken on the search row, in the very form of the partial
        text index of that sample's documents, so that PostgreSQL finds its matches there
        instead of among every match."""
        if not self.estimated:
            return projects
        return sample(projects, self.per_mille, searched)

    def scaled(self, number):
        """Return a figure of the sample as an estimate of the whole set: two significant
        digits, as no more are known. Exact figures pass through."""
        if not self.estimated or not number:
            return number
        estimate = number * SAMPLE_MODULUS / self.per_mille
        digits = max(0, int(math.log10(estimate)) - 1)
        return type(number)(round(estimate, -digits))


def sample(projects, per_mille: int, searched: bool = False):
    projects = projects.alias(sample_key=sample_key("id"))
    if searched:
        projects = projects.alias(search_sample_key=sample_key("search__project_id"))
        projects = projects.filter(search_sample_key__lt=per_mille)
    return projects.filter(sample_key__lt=per_mille)


def sizes(
    *querysets, searched: bool = False, within: Size | None = None, exact_up_to: int | None = None
) -> list[Size]:
    """Return the size of each set of projects, in one query however many sets; exact up to
    `exact_up_to` projects (EXACT_UP_TO unless given), which EXACT_UP_TO stands for below.

    Each count is capped at EXACT_UP_TO + 1, and only the counts needed are taken: PostgreSQL
    runs a CASE branch's subquery only when the branch is taken. The smallest sample is
    counted first; it tells which larger samples may hold at most EXACT_UP_TO projects, and
    only those are counted. The whole set is counted only when the largest sample could be
    that of a set of at most EXACT_UP_TO projects, so a huge set costs one small read and a
    small one is always counted exactly.

    Sets that each hold a set of size `within` (the bases of facet counts hold the filtered
    set) are, when that was estimated, estimated too: only their smallest sample is counted,
    and their sample is the largest it predicts to hold at most EXACT_UP_TO projects."""
    exact_up_to = exact_up_to or EXACT_UP_TO
    smallest, *larger = sorted(SAMPLE_LEVELS)
    predicted = within is not None and within.estimated
    ctes, selected, params = [], [], []
    for queryset in querysets:
        keys_sql, keys_params = _keys_sql(queryset, searched)
        counts = {}
        for level in (smallest, *larger, SAMPLE_MODULUS):
            if level != smallest and predicted:
                selected.append("NULL")
                continue
            rows = f"SELECT 1 FROM ({keys_sql}) AS keyed"
            if level != SAMPLE_MODULUS:
                rows += f" WHERE {_in_sample('keyed', level, searched)}"
            count = f"(SELECT count(*) FROM ({rows} LIMIT {exact_up_to + 1}) AS capped)"
            if level == SAMPLE_MODULUS:
                largest = larger[-1]
                small = _could_hold_a_small_set(largest, exact_up_to)
                condition = f"{counts[largest]} <= {small}"
            elif level != smallest:
                condition = f"{counts[smallest]} * {level // smallest} <= {exact_up_to}"
            if level != smallest:
                count = f"CASE WHEN {condition} THEN {count} END"
            name = f"size_{len(ctes)}"
            ctes.append(f"{name} AS (SELECT {count} AS n)")
            params += keys_params
            counts[level] = f"(SELECT n FROM {name})"
            selected.append(counts[level])
    with connection.cursor() as cursor:
        cursor.execute(f"WITH {', '.join(ctes)} SELECT {', '.join(selected)}", params)
        counted = cursor.fetchone()
    width = len(SAMPLE_LEVELS) + 1
    counts_of_each = [counted[at : at + width] for at in range(0, len(counted), width)]
    if predicted:
        return [_predicted(counts[0], exact_up_to) for counts in counts_of_each]
    return [_size(counts, exact_up_to) for counts in counts_of_each]


def _keys_sql(projects, searched: bool) -> tuple[str, list]:
    """Return the SQL of the keys of a set's projects that _in_sample() tells its samples by,
    compiled once for all of them: each is the same statement, the sample's condition on its
    keys pushed down into it by PostgreSQL, so it is found through the same sample indexes as
    sample()'s. Compiling the set once per sample took 8 ms of a filtered list's view."""
    keys = {"search_key": F("search__project_id")} if searched else {}
    return select_sql(projects.order_by().values("pk", **keys))


def _in_sample(keyed: str, per_mille: int, searched: bool) -> str:
    """Return the SQL condition of sample() on the keys of _keys_sql() named `keyed`."""
    in_sample = f"MOD({keyed}.pk, {SAMPLE_MODULUS}) < {int(per_mille)}"
    if searched:
        in_sample += f" AND MOD({keyed}.search_key, {SAMPLE_MODULUS}) < {int(per_mille)}"
    return in_sample


def with_project_sizes(records: list, count, within: Size | None = None) -> list:
    """Give each of the records its `project_size`, the size of its set of projects, as
    sizes_by_key() finds it with `count`, and return them."""
    found = sizes_by_key(count, [record.pk for record in records], within)
    for record in records:
        record.project_size = found[record.pk]
    return records


def sizes_by_key(count, keys, within: Size | None = None) -> dict:
    """Return the size of each of several sets of projects, by key, as sizes() would: `count`
    (keys, per_mille) returns {key: number of the projects of the key's set in the sample of
    per_mille, or of all of them at SAMPLE_MODULUS}, for sets a grouped count finds at once
    (every region's projects, through two link tables: a subquery per region and level made
    sizes() take 5 to 8 s at a million projects). A statement per level that some set needs
    counted, the smallest sample first; a larger sample only where the smallest predicts it
    to hold at most SAMPLE_COUNTED_AT_MOST of the set's projects, as each statement reads every
    link of its sample (at most EXACT_UP_TO, each region's 10 % sample took 70 ms at a
    million).

    `within` is the size of a set that holds every key's set (all projects), when known: if
    it holds at most COUNTED_WHOLE_UP_TO projects, each key's set is counted whole, exactly,
    in one statement."""
    if within is not None and within.count <= COUNTED_WHOLE_UP_TO:
        counted = count(keys, SAMPLE_MODULUS)
        return {key: Size(counted.get(key, 0)) for key in keys}
    smallest, *larger = sorted(SAMPLE_LEVELS)
    in_smallest = count(keys, smallest)
    counts = {key: [in_smallest.get(key, 0)] for key in keys}

    def wanted(level: int, counted: list) -> bool:
        if level == SAMPLE_MODULUS:  # as in sizes(): only what the largest sample calls small
            return counted[-1] is not None and counted[-1] <= _could_hold_a_small_set(larger[-1])
        return counted[0] * level // smallest <= SAMPLE_COUNTED_AT_MOST

    for level in (*larger, SAMPLE_MODULUS):
        counted = [key for key in keys if wanted(level, counts[key])]
        found = count(counted, level) if counted else {}
        for key in keys:
            counts[key].append(found.get(key, 0) if key in counted else None)
    return {key: _size(counts[key]) for key in keys}


def _could_hold_a_small_set(per_mille: int, exact_up_to: int | None = None) -> float:
    """Return the most projects a sample of `per_mille` can hold of a set of at most
    EXACT_UP_TO: the mean plus seven standard deviations (the count is Poisson-like, as
    ids are unrelated to any filter), so a larger count means a larger set."""
    mean = (exact_up_to or EXACT_UP_TO) * per_mille / SAMPLE_MODULUS
    return mean + 7 * math.sqrt(mean)


def _size(counts, exact_up_to: int | None = None) -> Size:
    """Return the size the counts tell (smallest sample first, the whole set last, None where
    not counted): the whole set's when within EXACT_UP_TO; else the count of the largest
    sample within EXACT_UP_TO, scaled, and the sample to read that this count predicts."""
    exact_up_to = exact_up_to or EXACT_UP_TO
    *sampled, whole = counts
    if whole is not None and whole <= exact_up_to:
        return Size(whole)
    counted = [
        (level, count)
        for level, count in zip(sorted(SAMPLE_LEVELS), sampled, strict=True)
        if count is not None
    ]
    # The smallest sample is always counted, and is all there is to go by when even it
    # holds more than the limits (a set of millions of projects).
    level, count = max([pair for pair in counted if pair[1] <= exact_up_to], default=counted[0])
    return Size(_estimated_count(count, level, exact_up_to), _to_read(count, level))


def _predicted(in_smallest: int, exact_up_to: int) -> Size:
    """Return the size of a set known to be estimated from the count of its smallest sample."""
    smallest = min(SAMPLE_LEVELS)
    count = _estimated_count(in_smallest, smallest, exact_up_to)
    return Size(count, _to_read(in_smallest, smallest))


def _to_read(count: int, per_mille: int) -> int:
    """Return the sample to read a set's figures in, given `count`, its projects in the sample
    of `per_mille`: the largest of READ_LEVELS that count predicts to hold at most
    READ_AT_MOST of them; the smallest when none does (a set of millions of projects)."""
    fitting = [level for level in READ_LEVELS if count * level <= READ_AT_MOST * per_mille]
    return max(fitting, default=min(READ_LEVELS))


def _estimated_count(sampled: int, per_mille: int, exact_up_to: int) -> int:
    # Never within the exact limit: the set was found to hold more.
    return max(Size(exact_up_to + 1, per_mille).scaled(sampled), exact_up_to + 1)


def figures(projects, size: Size) -> tuple[dict, list[dict]]:
    """Return the summary and the achieved totals (ProjectQuerySet.figures()) of a set of
    projects of the given size, the summary with `estimated`."""
    return scaled(*size.read(projects).figures(), size)


def scaled(summary: dict, achieved: list[dict], size: Size) -> tuple[dict, list[dict]]:
    """Return the figures of the projects Size.read() gives as those of the whole set: its
    count, and the sample's money and achieved totals scaled up, when it is estimated."""
    if size.estimated:
        summary["count"] = size.count
        summary["money"] = size.scaled(summary["money"])
        for total in achieved:
            total["total"] = size.scaled(total["total"])
            total["projects"] = size.scaled(total["projects"])
    summary["estimated"] = size.estimated
    return summary, achieved
