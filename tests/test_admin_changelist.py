"""The admin's project list: a fixed number of queries however many rows, counts that stay
cheap at a million projects, and a search through the search index."""

import re

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from projects import admin_base
from projects.admin_base import EstimatedCountPaginator
from projects.models import Project

pytestmark = pytest.mark.django_db

PROJECTS = reverse("admin:projects_project_changelist")


def shown(response) -> list[str]:
    return [project.slug for project in response.context["cl"].result_list]


def test_the_project_list_takes_a_fixed_number_of_queries(editor, django_assert_num_queries):
    # 1 session, 2 user, 3-4 the user's own and group permissions, 5-8 the choices of the funding
    # round, programme, funder and region filters, 9 the table's estimated size (small, so)
    # 10 the exact count, 11 the page of projects with their round, funder and main implementer.
    with django_assert_num_queries(11):
        response = editor.get(PROJECTS)
    assert response.status_code == 200
    assert len(shown(response)) == 30


def test_a_filtered_and_searched_list_takes_no_query_per_row(editor, django_assert_num_queries):
    # As above, with the search's projects found first (those named by the slug, the ids of at
    # most 10,001 matches), then one count bounded to 10,001 rows instead of the estimate and
    # the count.
    with django_assert_num_queries(12):
        response = editor.get(PROJECTS, {"status__exact": "ended", "q": "työ"})
    assert response.status_code == 200


def test_the_list_shows_each_projects_main_implementer(editor):
    response = editor.get(PROJECTS, {"q": "S21114"})
    (project,) = response.context["cl"].result_list
    assert project.main_implementer == "ViaDia Pohjois-Savo ry"


def test_the_search_finds_a_project_by_an_implementers_abbreviation(editor):
    # Omnia is Espoon seudun koulutuskuntayhtymä, which implements Väylä työhön.
    assert "vayla-tyohon" in shown(editor.get(PROJECTS, {"q": "Omnia"}))


def test_the_search_finds_a_project_by_its_eura_code(editor):
    assert shown(editor.get(PROJECTS, {"q": "s21114"})) == ["kummin-kanssa-tyokokeiluun"]


# The seven projects whose texts speak of työkokeilu, newest first.
TYOKOKEILU = [
    "valmiuksilla-vauhtia-tyollistymiseen",
    "tuettua-tyollistymista-maahanmuuttajille",
    "the-nice-work-project",
    "mahdollisuudet-todeksi",
    "aidit-mukana",
    "kummin-kanssa-tyokokeiluun",
    "kaveria-ei-jateta",
]


def page_statement(client, query) -> tuple[list[str], str]:
    """Return the projects a search lists and the SQL of the statement that reads its page."""
    with CaptureQueriesContext(connection) as captured:
        response = client.get(PROJECTS, query)
    (page,) = [
        statement["sql"]
        for statement in captured.captured_queries
        if 'ORDER BY "projects_project"."id" DESC' in statement["sql"]
    ]
    return shown(response), page


def test_a_search_with_few_matches_lists_them_by_id(editor):
    # Listed newest first through the search index, a search that matches few projects walked
    # the whole table for them: 3 s for a code at a million projects.
    listed, page = page_statement(editor, {"q": "työkokeilu"})
    assert listed == TYOKOKEILU
    assert "projects_projectsearch" not in page


def test_a_search_with_many_matches_is_listed_through_the_index(editor, monkeypatch):
    monkeypatch.setattr(admin_base, "EXACT_COUNT_LIMIT", 5)
    listed, page = page_statement(editor, {"q": "työkokeilu"})
    assert listed == TYOKOKEILU
    assert '"projects_projectsearch"."document" @@' in page
    assert "IN (SELECT" not in page


def test_a_search_lists_the_project_its_slug_names(editor):
    assert shown(editor.get(PROJECTS, {"q": "tuettua-tyollistymista-maahanmuuttajille"})) == [
        "tuettua-tyollistymista-maahanmuuttajille"
    ]


def test_a_search_with_many_matches_lists_the_project_its_slug_names_too(editor, monkeypatch):
    monkeypatch.setattr(admin_base, "EXACT_COUNT_LIMIT", 5)
    Project.objects.filter(slug="kotona-suomessa").update(slug="työkokeilu")
    listed = shown(editor.get(PROJECTS, {"q": "työkokeilu"}))
    assert listed == [*TYOKOKEILU[:-1], "työkokeilu", TYOKOKEILU[-1]]


def test_a_page_is_found_by_id_first():
    newest_first = Project.objects.order_by("-pk")
    with CaptureQueriesContext(connection) as captured:
        page = list(EstimatedCountPaginator(newest_first, 10).page(2))
    assert page == list(newest_first[10:20])
    # The rows skipped are index entries: the 2,000th page of the project list at a million
    # projects read 200,000 whole rows to skip them (585 ms; by id first 8 ms).
    *_counts, read = captured.captured_queries
    assert re.search(r'"projects_project"."id" IN \(SELECT .* LIMIT 10 OFFSET 10\)', read["sql"])


def test_a_large_table_is_counted_from_postgresqls_estimate(monkeypatch):
    monkeypatch.setattr(admin_base, "table_estimate", lambda model: 1_000_000)
    paginator = EstimatedCountPaginator(Project.objects.order_by("-pk"), 100)
    assert paginator.count == 1_000_000
    assert paginator.num_pages == 10_000


def test_a_large_filtered_list_is_counted_from_the_query_plan(monkeypatch):
    monkeypatch.setattr(admin_base, "EXACT_COUNT_LIMIT", 5)
    paginator = EstimatedCountPaginator(Project.objects.filter(status="ended"), 100)
    # Over the limit: at least limit + 1, else the planner's estimate.
    assert paginator.count >= 6


def test_a_small_filtered_list_is_counted_exactly():
    ended = Project.objects.filter(status="ended")
    assert EstimatedCountPaginator(ended, 100).count == ended.count()
