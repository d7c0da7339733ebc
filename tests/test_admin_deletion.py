"""The admin's delete page at a million projects: what a deletion takes or is stopped by is
listed row by row while short, counted by kind when long."""

import pytest
from django.urls import reverse

from projects import admin_base
from projects.models import Decision, FundingRound, Outcome, Project, TargetGroup

pytestmark = pytest.mark.django_db


def delete_url(record) -> str:
    return reverse(f"admin:projects_{record._meta.model_name}_delete", args=[record.pk])


def link(record) -> str:
    url = reverse(f"admin:projects_{record._meta.model_name}_change", args=[record.pk])
    return f'{record._meta.verbose_name.capitalize()}: <a href="{url}">{record}</a>'


@pytest.fixture
def long_lists(monkeypatch):
    """Make the real records' few rows a long list."""
    monkeypatch.setattr(admin_base, "DELETION_LISTED_AT_MOST", 2)
    monkeypatch.setattr(admin_base, "NAMED_AT_MOST", 1)


def test_a_short_list_is_djangos_own_row_by_row(editor):
    students = TargetGroup.objects.get(slug="opiskelijat")  # one project's

    deleted = editor.get(delete_url(students)).context["deleted_objects"]

    assert deleted[0] == link(students)
    assert [row.split(":")[0] for row in deleted[1]] == ["Project-targetgroup -suhde"]


def test_a_round_of_many_projects_names_the_first_and_counts_the_others(editor, long_lists):
    round_ = FundingRound.objects.get(slug="kotona-suomessa-3")  # nine projects
    first = Project.objects.filter(funding_round=round_).first()  # by name

    response = editor.get(delete_url(round_))

    assert response.context["protected"] == [link(first), "Hankkeet: 8 lisää"]
    editor.post(delete_url(round_), {"post": "yes"})
    assert FundingRound.objects.filter(pk=round_.pk).exists()


def test_a_target_group_of_many_projects_counts_its_links_and_deletes_them(editor, long_lists):
    immigrants = TargetGroup.objects.get(slug="maahanmuuttajat")
    linked = Project.objects.filter(target_groups=immigrants).count()
    assert linked == 28

    response = editor.get(delete_url(immigrants))

    assert response.context["deleted_objects"] == [
        link(immigrants),
        "Project-targetgroup -suhteet: 28",
    ]
    assert dict(response.context["model_count"]) == {
        "kohderyhmät": 1,
        "project-targetgroup -suhteet": 28,
    }
    assert editor.post(delete_url(immigrants), {"post": "yes"}).status_code == 302
    assert not TargetGroup.objects.filter(pk=immigrants.pk).exists()
    assert Project.objects.count() == 30


def test_rows_that_others_refer_to_are_counted_with_them(editor, long_lists):
    project = Project.objects.get(slug="kaveria-ei-jateta")

    deleted = editor.get(delete_url(project)).context["deleted_objects"]

    decisions = Decision._meta.verbose_name_plural.capitalize()
    outcomes = Outcome._meta.verbose_name_plural.capitalize()
    assert f"{decisions}: 1 ja niihin viittaavat rivit" in deleted
    assert f"{outcomes}: 11" in deleted


def test_the_action_on_every_project_names_the_first_and_counts_the_others(editor, long_lists):
    newest = Project.objects.order_by("-pk").first()  # the list's order
    every_project = {"action": "delete_selected", "select_across": "1", "index": "0"}

    response = editor.post(
        reverse("admin:projects_project_changelist"),
        every_project | {"_selected_action": [newest.pk]},
    )

    (listed,) = response.context["deletable_objects"]
    assert listed[:3] == [
        link(newest),
        "Hankkeet: 29 lisää",
        "Rahoituspäätökset: 1 ja niihin viittaavat rivit",
    ]
    assert dict(response.context["model_count"])["hankkeet"] == 30
    assert Project.objects.count() == 30  # nothing deleted before the confirmation


def test_the_action_refuses_more_records_than_it_deletes_at_once(editor, monkeypatch):
    monkeypatch.setattr(admin_base, "DELETED_AT_ONCE_AT_MOST", 29)
    every_project = {"action": "delete_selected", "select_across": "1", "index": "0"}

    response = editor.post(
        reverse("admin:projects_project_changelist"),
        every_project | {"_selected_action": [Project.objects.first().pk], "post": "yes"},
        follow=True,
    )

    assert "Hankkeet: kerralla voi poistaa enintään 29." in response.text
    assert Project.objects.count() == 30
