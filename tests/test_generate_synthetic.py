"""generate_synthetic: synthetic records next to the real ones (tests/conftest.py loaded them),
their constraints, distributions and search index, and replacing them."""

from collections import Counter

import pytest
from django.core.management import CommandError, call_command
from django.db import connection
from django.db.models import Count

from projects.models import (
    Implementation,
    Organisation,
    Outcome,
    Project,
    ProjectSearch,
    Region,
    SearchWord,
)
from projects.search import search_projects
from projects.synthetic import PREFIX, SOURCE_SLUG

pytestmark = pytest.mark.django_db

SMALL = 300


def generate(projects=SMALL, *options):
    call_command("generate_synthetic", "--projects", str(projects), *options, verbosity=0)


def synthetic():
    return Project.objects.filter(slug__startswith=PREFIX)


def real():
    return Project.objects.exclude(slug__startswith=PREFIX)


def schema() -> set[tuple]:
    """Return every constraint and index of the projects tables, with its definition."""
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT conrelid::regclass::text, conname, pg_get_constraintdef(oid) "
            "FROM pg_constraint WHERE conrelid::regclass::text LIKE 'projects_%' "
            "UNION SELECT indrelid::regclass::text, indexrelid::regclass::text, "
            "pg_get_indexdef(indexrelid) FROM pg_index "
            "WHERE indrelid::regclass::text LIKE 'projects_%'"
        )
        return set(cursor.fetchall())


def test_refuses_a_database_holding_real_projects_without_alongside_real():
    with pytest.raises(CommandError, match="--alongside-real"):
        generate()
    assert not synthetic().exists()


def test_adds_synthetic_projects_next_to_the_real_ones_leaving_them_untouched():
    before = list(real().order_by("pk").values())
    generate(SMALL, "--alongside-real")
    assert synthetic().count() == SMALL
    assert list(real().order_by("pk").values()) == before
    assert ProjectSearch.objects.filter(project__in=synthetic()).count() == SMALL
    assert not synthetic().exclude(document__slug=SOURCE_SLUG).exists()


def test_restores_every_index_and_constraint_the_migrations_define():
    before = schema()
    generate(SMALL, "--alongside-real")
    assert schema() == before


def test_rows_satisfy_the_invariants_the_constraints_do_not_state():
    generate(SMALL, "--alongside-real")
    outcome_counts = synthetic().annotate(n=Count("outcomes")).values_list("n", flat=True)
    assert set(outcome_counts) <= set(range(11))
    assert max(outcome_counts) > 5
    for project in synthetic().filter(decision__isnull=False).select_related("decision")[:20]:
        lines = project.decision.money_lines.all()
        for section in ("cost", "financing"):
            parts = [line for line in lines if line.section == section]
            total = next(line for line in parts if line.is_total)
            assert sum(line.applied for line in parts if not line.is_total) == total.applied
            assert sum(line.approved for line in parts if not line.is_total) == total.approved
        assert project.applied_total == total.applied
        assert (project.status == "rejected") == (project.decision.decision == "not_funded")
    assert not synthetic().filter(status="ended", end_date__isnull=True).exists()


def test_distributions_are_plausible():
    generate(600, "--alongside-real")
    used = Region.objects.filter(projects__slug__startswith=PREFIX).distinct().count()
    assert used == Region.objects.count() == 19
    per_organisation = Counter(
        Implementation.objects.filter(project__slug__startswith=PREFIX).values_list(
            "organisation", flat=True
        )
    )
    median = sorted(per_organisation.values())[len(per_organisation) // 2]
    assert max(per_organisation.values()) >= max(20, 10 * median)
    assert Organisation.objects.filter(slug__startswith=PREFIX).count() == 200


def test_search_vector_is_the_one_search_document_builds():
    generate(SMALL, "--alongside-real")
    for project in synthetic().order_by("?")[:15]:
        stored = ProjectSearch.objects.get(project=project)
        built = ProjectSearch.for_project(project, Counter())
        rebuilt = Project.objects.filter(pk=project.pk).values_list(built.document, flat=True)
        assert str(stored.document) == str(rebuilt.get())
        assert stored.names == built.names
        assert (stored.regions, stored.target_groups) == (built.regions, built.target_groups)
        assert stored.target_groups


def test_search_finds_a_synthetic_project_by_a_word_of_its_text():
    generate(SMALL, "--alongside-real")
    project = synthetic().exclude(goals="").order_by("pk").first()
    word = max(project.goals.split(), key=len).strip(".,;:()")
    found = search_projects(Project.objects.all(), word)
    assert found.filter(pk=project.pk).exists()
    assert SearchWord.objects.filter(word=project.code.lower()).exists() or not project.code


def test_replace_synthetic_removes_the_earlier_rows():
    generate(SMALL, "--alongside-real")
    earlier = set(synthetic().values_list("slug", flat=True))
    generate(SMALL, "--alongside-real", "--replace-synthetic", "--seed", "7")
    assert synthetic().count() == SMALL
    assert not earlier & set(synthetic().values_list("slug", flat=True))
    assert (
        Outcome.objects.filter(project__in=synthetic()).count()
        == Outcome.objects.filter(document__slug=SOURCE_SLUG).count()
    )


def test_the_same_seed_gives_the_same_names():
    generate(SMALL, "--alongside-real", "--seed", "3")
    first = list(synthetic().order_by("pk").values_list("name", flat=True))
    generate(SMALL, "--alongside-real", "--replace-synthetic", "--seed", "3")
    assert list(synthetic().order_by("pk").values_list("name", flat=True)) == first


def test_the_same_seed_gives_the_same_records_whatever_the_number_of_processes():
    fields = ("name", "other_names", "status", "start_date", "description", "goals", "actions")
    generate(SMALL, "--alongside-real", "--chunk-size", "70", "--processes", "1")
    first = list(synthetic().order_by("pk").values_list(*fields))
    generate(
        SMALL, "--alongside-real", "--replace-synthetic", "--chunk-size", "70", "--processes", "3"
    )
    assert list(synthetic().order_by("pk").values_list(*fields)) == first
