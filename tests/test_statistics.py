"""The statistics page and the figures behind its charts, from the real records."""

from decimal import Decimal

import pytest
from django.urls import reverse
from django.utils import translation

from projects import overview, stats
from projects.models import FundingRound, Project

pytestmark = pytest.mark.django_db


@pytest.fixture
def page(client):
    return client.get(reverse("projects:statistics")).content.decode()


def test_statistics_page_has_one_heading_and_a_chart_with_a_table_for_each_figure(page):
    assert page.count("<h1") == 1
    # Projects per round, per region, money per round, and the outcomes of rounds 1, 2 and 3.
    assert page.count('<figure class="chart"') == 6
    assert page.count('role="img"') == 6
    assert page.count('<table class="data-table">') == 6


def test_statistics_page_is_drawn_in_a_fixed_number_of_queries(client, django_assert_num_queries):
    # 1. the size of the set of all projects (projects.overview), 2. the rounds, 3. their
    # projects counted whole, as all projects were (sizes_by_key()), 4. the size of those in no
    # round, 5. regions with their project counts, 6. the projects' realised and applied money
    # by round, 7. achieved outcomes in persons of each round's first projects, by project
    # and kind
    with django_assert_num_queries(7):
        response = client.get(reverse("projects:statistics"))
    assert response.status_code == 200


def test_projects_per_round_counts_each_round_and_those_in_none():
    with translation.override("en"):
        rounds = stats.rounds_with_projects(FundingRound.objects.with_project_sizes())
        groups, estimated = stats.projects_per_round(rounds)
        rounds = [(group.label, group.values) for group in groups]
    assert not estimated
    assert rounds == [
        ("Kotona Suomessa, 1. hankehaku (2015)", (8,)),
        ("Kotona Suomessa, 2. hankehaku (2016)", (8,)),
        ("Kotona Suomessa, 3. hankehaku (2017)", (9,)),
        ("Not in a funding round", (5,)),
    ]


def test_projects_per_region_puts_uusimaa_first_and_links_each_region():
    regions = stats.projects_per_region()
    assert (regions[0].label, regions[0].values, regions[0].url) == (
        "Uusimaa",
        (10,),
        "/maakunnat/01/",
    )
    assert len(regions) == 12


def test_projects_per_region_names_regions_in_swedish_on_swedish_pages():
    with translation.override("sv"):
        assert stats.projects_per_region()[0].label == "Nyland"


def test_money_per_round_keeps_realised_funding_and_applied_totals_apart():
    groups, estimated = stats.money_per_round(*overview.sizes(Project.objects.all()))
    assert groups[-1].values == (Decimal("48806.00"), Decimal("216618.00"))
    assert all(group.values == (None, None) for group in groups[:-1])
    assert not estimated


def test_money_of_too_many_projects_is_summed_in_their_sample_and_scaled(monkeypatch):
    monkeypatch.setattr(overview, "EXACT_UP_TO", 20)  # 30 projects
    (size,) = overview.sizes(Project.objects.all())
    assert size.estimated
    outside_rounds = Project.objects.filter(funding_round=None)
    realised = sum(
        project.realised_public_funding or 0
        for project in outside_rounds
        if project.pk % 1000 < size.per_mille
    )
    groups, estimated = stats.money_per_round(size)
    assert estimated
    # Read in the sample of 300 per mille: 48,806 × 1000 / 300, to two digits.
    assert groups[-1].values[0] == size.scaled(realised) == Decimal("160000")
    chart = stats.money_per_round_chart(size)
    assert chart.note.endswith("luvut on arvioitu niiden otoksesta (≈).")


def test_money_chart_says_which_figure_is_applied_for_and_formats_euros(page):
    assert "Haettu yhteensä" in page and "Toteutunut julkinen rahoitus" in page
    assert "<td>48\xa0806\xa0€</td><td>216\xa0618\xa0€</td>" in page


def test_round_outcomes_add_up_a_projects_figures_of_one_kind():
    kinds, groups = stats.round_outcomes(FundingRound.objects.get(slug="kotona-suomessa-3"))
    assert kinds == ["Osallistujat", "Työllistyneet", "Koulutukseen siirtyneet"]
    by_project = {group.label: group.values for group in groups}
    # Employed: 104 into working life, and in addition 15 with pay subsidy and 3 after studies.
    assert by_project["Tuettua työllistymistä maahanmuuttajille"] == (None, 122, 52)
    # In education: 18 to vocational, 4 to basic and 13 to integration training, of 58 women.
    assert by_project["Äidit mukana"] == (58, 6, 35)


def test_round_outcomes_leave_out_kinds_no_project_of_the_round_reports():
    kinds, groups = stats.round_outcomes(FundingRound.objects.get(slug="kotona-suomessa-1"))
    assert kinds == ["Osallistujat"]
    assert [group.label for group in groups] == [
        "Hyvä alku Länsirannikolla",
        "Hyvä alku Pohjois-Pohjanmaalla",
        "Paras alku Porvoossa",
        "Töihin Suomeen",
    ]


def test_a_rounds_chart_can_be_bounded_to_its_first_projects_by_name():
    # The round's first four by name: Hyvä alku Hämeessä, … Länsirannikolla, … Pohjanmaalla,
    # … Pohjois-Pohjanmaalla; two of them give achieved figures.
    funding_round = FundingRound.objects.get(slug="kotona-suomessa-1")
    _kinds, groups = stats.round_outcomes(funding_round, first=4)
    assert [group.label for group in groups] == [
        "Hyvä alku Länsirannikolla",
        "Hyvä alku Pohjois-Pohjanmaalla",
    ]
    _kinds, groups = stats.round_outcomes(funding_round, first=3)
    assert [group.label for group in groups] == ["Hyvä alku Länsirannikolla"]
    chart = stats.round_outcomes_chart(funding_round, first=3)
    assert chart.note.endswith(
        "Vain 3 ensimmäistä hanketta nimen mukaan, kuten alla olevassa luettelossa."
    )


def test_each_rounds_outcomes_on_the_statistics_page_are_of_its_first_projects_by_name():
    rounds = stats.rounds_with_projects(FundingRound.objects.with_project_sizes())
    outcomes = {name: groups for name, _kinds, groups, _more in stats.outcomes_per_round(rounds, 4)}
    # Round 1's first four by name, as on its page: two give achieved figures.
    assert [group.label for group in outcomes["Kotona Suomessa, 1. hankehaku (2015)"]] == [
        "Hyvä alku Länsirannikolla",
        "Hyvä alku Pohjois-Pohjanmaalla",
    ]
    charts = stats.outcomes_per_round_charts(rounds, first=4)
    assert all(
        chart.note.endswith(
            "Vain 4 ensimmäistä hanketta nimen mukaan; hankehaun sivu luettelee ne."
        )
        for chart in charts
    )  # every round has more than four projects


def test_round_without_achieved_figures_gives_an_empty_chart():
    chart = stats.round_outcomes_chart(FundingRound.objects.get(slug="kotona-suomessa-4"))
    assert chart.rows == [] and chart.svg == ""


def test_round_outcomes_chart_links_each_project_in_its_table(page):
    assert '<a href="/hankkeet/aidit-mukana/">Äidit mukana</a>' in page
    assert "<td>122</td>" in page
