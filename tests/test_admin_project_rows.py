"""The admin's lists of projects' rows (implementations, outcomes, decisions, their stages and
money lines): searched through their project, in the search index, as the project list is."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from projects import admin, admin_base

pytestmark = pytest.mark.django_db


def listed(client, model: str, term: str) -> list:
    response = client.get(reverse(f"admin:projects_{model}_changelist"), {"q": term})
    assert response.status_code == 200
    return list(response.context["cl"].result_list)


def projects_of(rows) -> set[str]:
    return {row.project.slug for row in rows}


def test_a_projects_outcomes_are_found_by_its_slug(editor):
    rows = listed(editor, "outcome", "kaveria-ei-jateta")
    assert len(rows) == 11
    assert projects_of(rows) == {"kaveria-ei-jateta"}


def test_outcomes_are_found_by_a_word_of_their_projects_texts(editor):
    # Of the seven projects whose texts speak of työkokeilu, six have outcomes.
    rows = listed(editor, "outcome", "työkokeilu")
    assert len(rows) == 35
    assert projects_of(rows) == {
        "kaveria-ei-jateta",
        "mahdollisuudet-todeksi",
        "the-nice-work-project",
        "tuettua-tyollistymista-maahanmuuttajille",
        "valmiuksilla-vauhtia-tyollistymiseen",
        "aidit-mukana",
    }


def test_a_decisions_stages_and_money_lines_are_found_by_its_projects_slug(editor):
    stages = listed(editor, "decisionstage", "kaveria-ei-jateta")
    lines = listed(editor, "moneyline", "kaveria-ei-jateta")
    assert (len(stages), len(lines)) == (3, 10)
    assert {row.decision.project.slug for row in [*stages, *lines]} == {"kaveria-ei-jateta"}
    assert [row.project.slug for row in listed(editor, "decision", "kaveria-ei-jateta")] == [
        "kaveria-ei-jateta"
    ]


def test_implementations_are_found_by_their_organisations_name(editor):
    # Kiipulasäätiö implements two projects, with two and five partners.
    rows = listed(editor, "implementation", "Kiipulasäätiö")
    assert len(rows) == 9
    assert [row.project.slug for row in rows if row.organisation.name == "Kiipulasäätiö"] == [
        "monet-polut-tyoelamaan",
        "tsempataan-yhdessa-kumppanuudella-tyoelamaan",
    ]
    assert projects_of(rows) == {
        "monet-polut-tyoelamaan",
        "tsempataan-yhdessa-kumppanuudella-tyoelamaan",
    }


def page_statement(client, model: str, term: str) -> str:
    """Return the SQL of the statement that reads the page of a searched list."""
    with CaptureQueriesContext(connection) as captured:
        client.get(reverse(f"admin:projects_{model}_changelist"), {"q": term})
    ordered = f'ORDER BY "projects_{model}"'
    (page,) = [s["sql"] for s in captured.captured_queries if ordered in s["sql"]]
    return page


def test_a_search_reads_no_text_of_the_rows(editor):
    # icontains over an outcome's label and phrase and its project's name and code read all
    # 4.2 million outcomes for a code at a million projects: 9.8 s. The matching projects' ids
    # are fetched first.
    page = page_statement(editor, "outcome", "kaveria-ei-jateta")
    assert '"projects_outcome"."project_id" IN (' in page
    assert "UPPER(" not in page


def test_a_search_with_many_matches_matches_rows_through_the_index(editor, monkeypatch):
    few = listed(editor, "outcome", "työkokeilu")
    monkeypatch.setattr(admin_base, "EXACT_COUNT_LIMIT", 5)
    assert '"projects_projectsearch"."document" @@' in page_statement(
        editor, "outcome", "työkokeilu"
    )
    assert listed(editor, "outcome", "työkokeilu") == few


def test_organisations_of_a_common_name_are_matched_through_a_subquery(editor, monkeypatch):
    few = listed(editor, "implementation", "ry")
    monkeypatch.setattr(admin, "EXACT_COUNT_LIMIT", 5)
    page = page_statement(editor, "implementation", "ry")
    assert '"projects_implementation"."organisation_id" IN (SELECT' in page
    assert listed(editor, "implementation", "ry") == few
    assert len(few) > 5


def test_the_search_box_says_what_it_searches_in_finnish(editor):
    response = editor.get(reverse("admin:projects_moneyline_changelist"))
    assert "Hae hankkeen EURA-tunnuksella, nimellä, toteuttajalla" in response.content.decode()
