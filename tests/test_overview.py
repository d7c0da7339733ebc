"""Sizes and figures of a set of projects: exact when small, estimated from the sample when
huge (projects.overview). The real records are 30 projects, so "huge" is made small here by
lowering EXACT_UP_TO; the sample is the projects whose id modulo 1000 is below per mille."""

import re
from collections import Counter
from itertools import pairwise

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from projects import overview
from projects.facets import SET_COLUMNS
from projects.filters import ProjectFilter
from projects.models import Project
from projects.models.projects import SAMPLE_LEVELS
from projects.overview import Size, figures, sizes
from projects.search import ranked_among_first_found


@pytest.mark.django_db
def test_a_set_no_larger_than_the_limit_is_counted_exactly(django_assert_num_queries):
    with django_assert_num_queries(1):
        everything, ended = sizes(Project.objects.all(), Project.objects.filter(status="ended"))
    assert everything == Size(30)
    assert ended == Size(Project.objects.filter(status="ended").count())
    assert not everything.estimated


@pytest.mark.django_db
def test_a_set_over_the_limit_takes_the_largest_sample_within_it(monkeypatch):
    monkeypatch.setattr(overview, "EXACT_UP_TO", 20)
    monkeypatch.setattr(overview, "READ_AT_MOST", 20)
    ids = list(Project.objects.values_list("id", flat=True))
    in_tenth = sum(1 for pk in ids if pk % 1000 < 100)
    in_hundredth = sum(1 for pk in ids if pk % 1000 < 10)
    in_thousandth = sum(1 for pk in ids if pk % 1000 < 1)
    expected = 100 if in_tenth <= 20 else 10 if in_hundredth <= 20 else 1
    in_sample = {100: in_tenth, 10: in_hundredth, 1: in_thousandth}[expected]

    (size,) = sizes(Project.objects.all())

    # the sample's count scaled, but never within EXACT_UP_TO: the set holds more
    assert size == Size(max(in_sample * 1000 // expected, 21), expected)
    assert size.estimated


@pytest.mark.django_db
def test_an_estimate_is_counted_in_the_largest_sample_and_read_in_the_one_its_count_predicts(
    monkeypatch,
):
    monkeypatch.setattr(overview, "EXACT_UP_TO", 20)
    monkeypatch.setattr(overview, "READ_AT_MOST", 5)
    ids = list(Project.objects.values_list("id", flat=True))
    in_sample = {level: sum(1 for pk in ids if pk % 1000 < level) for level in (100, 10, 1)}
    assert in_sample == {100: 30, 10: 9, 1: 0}  # 30 projects, ids from 1

    (size,) = sizes(Project.objects.all())

    # Counted in the sample of 10 per mille (9, within 20): about 0.9 a per mille, so the
    # sample of 3 per mille holds about 2.7 (within 5) and that of 10 per mille 9 (not).
    assert size == Size(900, 3)


@pytest.mark.django_db
def test_a_set_its_samples_prove_large_is_never_counted_whole(monkeypatch):
    monkeypatch.setattr(overview, "EXACT_UP_TO", 10)
    in_tenth = sum(1 for pk in Project.objects.values_list("id", flat=True) if pk % 1000 < 100)
    assert in_tenth > 1 + 7 * 1  # more than a set of 10 could put in the sample of 100 per mille
    with CaptureQueriesContext(connection) as captured:
        (size,) = sizes(Project.objects.all())
    with connection.cursor() as cursor:
        cursor.execute(f"EXPLAIN (ANALYZE, COSTS OFF) {captured.captured_queries[0]['sql']}")
        plan = [line for (line,) in cursor.fetchall()]

    scans = [  # of the project table by any path: sequential, index, bitmap
        (line, following)
        for line, following in pairwise(plan)
        if re.search(r"Scan .*on projects_project(\s|$)", line)
    ]
    whole_scans = [line for line, following in scans if "mod(id" not in following]
    assert len(scans) == 4  # three samples and the whole set
    assert len(whole_scans) == 1 and "never executed" in whole_scans[0]
    assert size.estimated


@pytest.mark.django_db
def test_a_superset_of_an_estimated_set_is_sized_from_its_smallest_sample_alone(monkeypatch):
    monkeypatch.setattr(overview, "EXACT_UP_TO", 20)
    monkeypatch.setattr(overview, "READ_AT_MOST", 20)
    with CaptureQueriesContext(connection) as captured:
        (size,) = sizes(Project.objects.all(), within=Size(21, 10))

    assert captured.captured_queries[0]["sql"].count("count(*)") == 1
    # None of the 30 ids is in the sample of 1 per mille: even the largest sample read,
    # 300 per mille, is predicted to hold none of the set.
    assert size.per_mille == 300
    assert size.estimated


@pytest.mark.django_db
def test_estimated_figures_are_the_samples_scaled_to_two_digits_and_marked(monkeypatch):
    monkeypatch.setattr(overview, "EXACT_UP_TO", 3)
    sampled = [pk for pk in Project.objects.values_list("id", flat=True) if pk % 1000 < 10]
    assert 0 < len(sampled) <= 9, "the first projects' ids are below 10"

    size = Size(len(sampled) * 100, 10)
    summary, achieved = figures(Project.objects.all(), size)

    assert summary["estimated"] is True
    assert summary["count"] == size.count
    exact, exact_achieved = Project.objects.filter(pk__in=sampled).figures()
    assert summary["money"] == Size(4, 10).scaled(exact["money"])
    assert [(total["kind"], total["total"]) for total in achieved] == [
        (total["kind"], Size(4, 10).scaled(total["total"])) for total in exact_achieved
    ]


def test_scaling_rounds_to_two_significant_digits():
    assert Size(10_000, 10).scaled(1234) == 120_000
    assert Size(10_000, 1).scaled(7) == 7_000
    assert Size(10, 1000).scaled(1234) == 1234  # exact: unchanged


@pytest.mark.django_db
def test_the_list_marks_estimated_figures_and_facet_counts(client, monkeypatch):
    monkeypatch.setattr(overview, "EXACT_UP_TO", 10)  # 30 projects; 9 in the 10 ‰ sample
    response = client.get("/hankkeet/")
    content = response.content.decode()
    assert response.context["summary"]["estimated"] is True
    assert "noin" in content
    assert "luvut on arvioitu" in content
    options = [option for facet in response.context["facets"] for option in facet.options]
    assert options
    assert all(option.estimated for option in options)
    assert "(≈ " in content


@pytest.mark.django_db
def test_a_facet_counting_more_than_read_at_most_reads_a_sample_the_list_stays_exact(
    client, monkeypatch
):
    monkeypatch.setattr(overview, "READ_AT_MOST", 20)  # 30 projects; 9 in the 10 ‰ sample
    response = client.get("/hankkeet/", {"status": "ended"})
    ended = Project.objects.filter(status="ended").count()
    assert response.context["summary"]["count"] == ended
    assert response.context["summary"]["estimated"] is False
    facets = {facet.name: facet for facet in response.context["facets"]}
    # The status facet counts all 30 projects, more than 20: in the 10 ‰ sample, scaled.
    in_sample = Counter(p.status for p in Project.objects.all() if p.id % 1000 < 10)
    assert {o.value: o.count for o in facets["status"].options} == {
        status: count * 100 for status, count in in_sample.items()
    }
    assert all(option.estimated for option in facets["status"].options)
    # The round facet counts the ended projects themselves (those of a round): exactly.
    with_round = Project.objects.filter(status="ended", funding_round__isnull=False).count()
    assert sum(option.count for option in facets["round"].options) == with_round
    assert not any(option.estimated for option in facets["round"].options)


@pytest.mark.django_db
def test_the_list_pages_through_at_most_its_limit(client, monkeypatch):
    monkeypatch.setattr("projects.paging.LISTED_AT_MOST", 10)
    response = client.get("/hankkeet/")
    assert response.context["paginator"].num_pages == 1  # 10 rows, 25 a page
    assert len(response.context["object_list"]) == 10
    assert "ensimmäiset 10 hanketta" in response.content.decode()
    assert client.get("/hankkeet/", {"page": 2}).status_code == 404


@pytest.mark.django_db
def test_a_common_search_is_ranked_among_the_first_matches_found(client, monkeypatch):
    monkeypatch.setattr("projects.search.RANKED_AT_MOST", 5)
    response = client.get("/hankkeet/", {"q": "maahanmuuttaja"})
    matches = ProjectFilter({"q": "maahanmuuttaja"}, queryset=Project.objects.all()).qs.count()
    assert matches > 5
    assert response.context["summary"]["count"] == matches
    assert len(response.context["object_list"]) == 5
    ranks = [project.search_rank for project in response.context["object_list"]]
    assert ranks == sorted(ranks, reverse=True)
    assert "ensimmäiseksi löytyneen osuman kesken" in response.content.decode()


@pytest.mark.django_db
def test_the_api_ranks_a_common_search_among_the_first_matches_found_too(client, monkeypatch):
    monkeypatch.setattr("projects.search.RANKED_AT_MOST", 5)
    with CaptureQueriesContext(connection) as captured:
        response = client.get("/api/projects/", {"q": "maahanmuuttaja"})
    body = response.json()
    matches = ProjectFilter({"q": "maahanmuuttaja"}, queryset=Project.objects.all()).qs.count()
    assert (body["count"], len(body["results"]), body["next"]) == (matches, 5, None)
    (rows,) = [q["sql"] for q in captured.captured_queries if "ts_rank" in q["sql"]]
    assert rows.count("LIMIT 5") == 2  # the first 5 found, and the page of them
    ranked = client.get("/api/projects/", {"q": "maahanmuuttaja", "sort": "name"}).json()
    assert len(ranked["results"]) == min(matches, 25)  # sorted by name: no bound on ranking


@pytest.mark.django_db
def test_a_page_reads_its_rows_by_the_ids_the_filters_found_once(client, monkeypatch):
    monkeypatch.setattr("projects.search.RANKED_AT_MOST", 5)
    with CaptureQueriesContext(connection) as captured:
        response = client.get("/hankkeet/", {"q": "maahanmuuttaja", "region": "01"})
    (rows,) = [q["sql"] for q in captured.captured_queries if "ts_headline" in q["sql"]]
    # The bound on the matches ranked (the first 5 found, each in the region) and the page of
    # them, each once: the filters run only where the first 5 are found. Repeated outside,
    # they ran again for every row ranked or shown.
    assert rows.count("LIMIT 5") == 2
    assert rows.count('"regions" && ') == 1  # in a search, the region is its search row's
    assert rows.count("@@") == 1
    assert len(response.context["object_list"]) == 5


@pytest.mark.django_db
def test_matching_a_search_document_is_costed_so_that_the_planner_prefers_its_index():
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT procost FROM pg_proc WHERE oid = 'ts_match_vq(tsvector, tsquery)'::regprocedure"
        )
        assert cursor.fetchone() == (300,)


@pytest.mark.django_db
def test_the_search_table_toasts_only_a_row_that_would_not_fit_a_page():
    # Out of the row, in TOAST, each of the up to 1,000 vectors a search ranks took three
    # more page reads (migration 0009).
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT reloptions FROM pg_class WHERE oid = 'projects_projectsearch'::regclass"
        )
        assert cursor.fetchone() == (["toast_tuple_target=8160"],)


@pytest.mark.django_db
def test_the_matches_ranked_of_a_search_with_many_are_found_in_the_smallest_sample_enough(
    monkeypatch,
):
    monkeypatch.setattr("projects.search.RANKED_AT_MOST", 2)
    monkeypatch.setattr("projects.search.table_estimate", lambda model: 1_000_000)
    matching = ProjectFilter({"q": "maahanmuuttaja"}, queryset=Project.objects.all()).qs
    in_sample = [project for project in matching if project.pk % 1000 < 10]
    assert len(in_sample) >= 2

    # 400 matches: the sample of 10 per mille holds about 4, a quarter more than the 2 ranked
    ranked = list(ranked_among_first_found(matching, 400))
    assert len(ranked) == 2
    assert {project.pk for project in ranked} <= {project.pk for project in in_sample}
    assert re.search(r"MOD\([^)]*\) < 10\b", str(ranked_among_first_found(matching, 400).query))
    # 19 matches: even the sample of 100 per mille holds about 2, not a quarter more than 2
    assert "MOD(" not in str(ranked_among_first_found(matching, 19).query)


@pytest.mark.django_db
def test_the_matches_ranked_are_found_outside_the_sample_when_it_holds_too_few(monkeypatch):
    monkeypatch.setattr("projects.search.RANKED_AT_MOST", 2)
    monkeypatch.setattr("projects.search.table_estimate", lambda model: 1_000_000)
    matching = ProjectFilter({"q": "maahanmuuttaja"}, queryset=Project.objects.all()).qs
    assert not [project for project in matching if project.pk % 1000 < 1]

    # 3,000 matches predict 3 in the sample of 1 per mille, which holds none of them: it is
    # read first, and the 2 ranked are then found outside it.
    ranked = ranked_among_first_found(matching, 3000)
    assert re.search(r"MOD\([^)]*\) < 1\b", str(ranked.query))
    assert len(list(ranked)) == 2


@pytest.mark.django_db
def test_a_search_matching_a_fifth_of_all_projects_finds_its_first_matches_without_a_sample(
    monkeypatch,
):
    monkeypatch.setattr("projects.search.RANKED_AT_MOST", 2)
    matching = ProjectFilter({"q": "maahanmuuttaja"}, queryset=Project.objects.all()).qs
    # 400 matches of 2,000 projects: found along the primary key, side by side in the table
    monkeypatch.setattr("projects.search.table_estimate", lambda model: 2_000)
    assert "MOD(" not in str(ranked_among_first_found(matching, 400).query)
    assert len(list(ranked_among_first_found(matching, 400))) == 2
    # of 2,001, or of a table not yet analysed: in the sample of 10 per mille
    for estimate in (2_001, -1):
        monkeypatch.setattr("projects.search.table_estimate", lambda model, n=estimate: n)
        assert re.search(r"MOD\([^)]*\) < 10\b", str(ranked_among_first_found(matching, 400).query))


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("per_mille", "indexed"), [(100, 100), (30, 100), (10, 10), (3, 10), (1, 1)]
)
def test_a_search_sample_is_read_from_the_index_of_that_sample_or_the_next_larger(
    per_mille, indexed
):
    matching = ProjectFilter({"q": "maahanmuuttaja"}, queryset=Project.objects.all()).qs
    sampled = str(overview.sample(matching, per_mille, searched=True).query)
    (in_sample,) = re.findall(r'MOD\("projects_projectsearch"\."project_id", 1000\) < \d+', sampled)
    with connection.cursor() as cursor:
        # Thirty projects are read fastest without an index; this asks whether one can serve.
        cursor.execute("SET LOCAL enable_seqscan = off")
        # A larger sample's index can serve too; at thirty projects it may cost the same (or
        # less, after the suite's rolled-back inserts), so it is dropped for this test alone.
        for other in SAMPLE_LEVELS:
            if other > indexed:
                cursor.execute(f"DROP INDEX project_search_sample_{other}_idx")
        cursor.execute(
            "EXPLAIN (COSTS OFF) SELECT project_id FROM projects_projectsearch "
            f"WHERE document @@ to_tsquery('simple', 'maahanmuuttaja') AND {in_sample}"
        )
        plan = "\n".join(line for (line,) in cursor.fetchall())
    assert f"Bitmap Index Scan on project_search_sample_{indexed}_idx" in plan
    assert "project_search_document_idx" not in plan


@pytest.mark.django_db
def test_the_achieved_figures_take_the_outcomes_of_an_array_of_the_sets_ids():
    with CaptureQueriesContext(connection) as captured:
        Project.objects.filter(status="ended").figures()
    # An array, which the outcome index is probed with once per id; with IN (subquery) the
    # planner read every achieved outcome and hashed it against the set: at 100,000
    # projects, 120,000 index entries for the 2,669 projects of a search (31 ms against 10).
    # Thirty projects cannot show the plan, so the statement's form is what is checked.
    assert "project_id = ANY(ARRAY(SELECT id FROM figured))" in captured.captured_queries[0]["sql"]


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("index", "key"), [("project_read_idx", "id"), ("project_name_order_idx", "name, id")]
)
def test_the_read_indexes_hold_every_column_a_set_is_read_for(index, key):
    # A set read whole for its figures and facets is then read from the index alone, not from
    # rows that carry the texts: a region's 3,481 projects at 10,000 took 7.7 ms of the
    # statement's 20 when every row was read, 2.1 ms from the index. A list walked in name
    # order tests its filters in the index: for a round and a target group at a million
    # projects the rows of a page took 69 ms when each row passed over was visited, now 7.
    query = Project.objects.figured(*SET_COLUMNS[1:]).query
    read = set(query.values_select) | {
        expression.target.column
        for annotation in query.annotations.values()
        for expression in annotation.flatten()
        if hasattr(expression, "target")
    }
    with connection.cursor() as cursor:
        cursor.execute("SELECT indexdef FROM pg_indexes WHERE indexname = %s", [index])
        (definition,) = cursor.fetchone()
    (included,) = re.search(rf"\({key}\) INCLUDE \((.*)\)$", definition).groups()
    assert read == {"id", *included.split(", ")}
    assert {"funding_round_id", "status", "realised_public_funding", "end_date"} <= read


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("table", "column"),
    [
        ("projects_project_regions", "region_id"),
        ("projects_project_municipalities", "municipality_id"),
        ("projects_project_target_groups", "targetgroup_id"),
    ],
)
def test_a_link_filter_finds_its_projects_in_an_index_of_both_ids(table, column):
    # Django's own indexes on the link table hold the pair the other way round, or one id: a
    # filter's projects were read from the table's rows (a target group and a region at a
    # million projects: 300 ms to intersect; 90 with the pair led by the filtered id).
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT indexdef FROM pg_indexes WHERE indexname = %s", [f"{table}_pair_idx"]
        )
        (definition,) = cursor.fetchone()
    assert definition.endswith(f"ON public.{table} USING btree ({column}, project_id)")
