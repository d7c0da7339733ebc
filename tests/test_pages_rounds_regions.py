"""Funding rounds and regions: their lists, pages, projects and figures, with fixed queries."""

import pytest

from projects import overview
from projects.models import FundingRound, Outcome, Project, Region
from projects.overview import Size

pytestmark = pytest.mark.django_db


def html(response) -> str:
    assert response.status_code == 200
    return response.content.decode()


def test_round_list_counts_the_projects_of_each_round(client):
    response = client.get("/hakukierrokset/")
    assert html(response).count("<h1") == 1
    counts = {r.slug: r.project_size.count for r in response.context["object_list"]}
    assert counts == {
        "kotona-suomessa-1": 8,
        "kotona-suomessa-2": 8,
        "kotona-suomessa-3": 9,
        "kotona-suomessa-4": 0,
    }
    assert 'href="/hakukierrokset/kotona-suomessa-3/"' in html(response)


def test_round_three_page_shows_its_nine_projects_and_theme(client):
    response = client.get("/hakukierrokset/kotona-suomessa-3/")
    page = html(response)
    assert page.count("<h1") == 1
    assert response.context["summary"]["count"] == 9
    assert len(response.context["projects"]) == 9
    assert page.count('class="record-card"') == 9
    assert 'href="/hankkeet/the-nice-work-project/"' in page
    assert "Kolmas hankehaku toteutettiin vuonna 2017" in page
    assert 'href="/hankkeet/kotona-suomessa/"' in page  # the coordinating project


def test_round_three_page_adds_up_the_achieved_participants(client):
    achieved = client.get("/hakukierrokset/kotona-suomessa-3/").context["achieved"]
    expected = sum(
        o.value
        for o in Outcome.objects.filter(
            project__funding_round__slug="kotona-suomessa-3",
            stage=Outcome.Stage.ACHIEVED,
            unit=Outcome.Unit.PERSONS,
            kind=Outcome.Kind.PARTICIPANTS,
        )
    )
    participants = next(row for row in achieved if row["kind"] == "participants")
    assert participants["total"] == expected == 1038
    assert participants["projects"] == 6


def test_round_page_links_to_the_project_list_filtered_by_it(client):
    page = html(client.get("/hakukierrokset/kotona-suomessa-3/"))
    assert 'href="/hankkeet/?round=kotona-suomessa-3"' in page


def test_round_page_shows_where_its_theme_was_read_from(client):
    page = html(client.get("/hakukierrokset/kotona-suomessa-3/"))
    assert '<details class="source-passage">' in page
    assert 'href="/lahteet/hyva-alku-arviointi-2020/#L3727"' in page


def test_round_without_projects_says_so(client):
    response = client.get("/hakukierrokset/kotona-suomessa-4/")
    assert 'class="empty-state"' in html(response)


def test_unknown_round_is_404(client):
    assert client.get("/hakukierrokset/ei-tallaista/").status_code == 404


def test_region_list_shows_all_nineteen_regions_with_zero_counts_too(client):
    response = client.get("/maakunnat/")
    page = html(response)
    counts = {r.code: r.project_size.count for r in response.context["object_list"]}
    assert len(counts) == 19
    assert counts["01"] == 10  # Uusimaa
    assert counts["21"] == 0  # Ahvenanmaa
    assert 'href="/maakunnat/21/"' in page


@pytest.mark.parametrize(
    ("path", "key", "big", "projects_of_big", "empty"),
    [
        (
            "/maakunnat/",
            "code",
            "01",  # Uusimaa
            lambda: Project.objects.in_region(Region.objects.get(code="01")),
            "21",  # Ahvenanmaa
        ),
        (
            "/hakukierrokset/",
            "slug",
            "kotona-suomessa-3",
            lambda: FundingRound.objects.get(slug="kotona-suomessa-3").projects.all(),
            "kotona-suomessa-4",
        ),
    ],
)
def test_a_list_estimates_a_set_of_too_many_projects_from_the_sample(
    client, monkeypatch, path, key, big, projects_of_big, empty
):
    monkeypatch.setattr(overview, "EXACT_UP_TO", 3)  # Uusimaa has 10 projects, round 3 has 9
    monkeypatch.setattr(overview, "COUNTED_WHOLE_UP_TO", 3)  # nor all 30 (estimated: 4 or more)
    ids = projects_of_big().values_list("id", flat=True)
    in_sample = {level: sum(1 for pk in ids if pk % 1000 < level) for level in (1, 10, 100)}
    assert in_sample == {1: 0, 10: in_sample[10], 100: len(ids)}  # the real ids are small
    counted_in = 10 if in_sample[10] <= 3 else 1  # the largest sample within the limit
    response = client.get(path)
    sizes = {getattr(r, key): r.project_size for r in response.context["object_list"]}
    # scaled, but never within the limit; read in the largest sample that count predicts to
    # hold at most READ_AT_MOST (700): none of the 30 ids is in the sample of 1 per mille, a
    # few in that of 10
    assert sizes[big] == Size(max(in_sample[counted_in] * 1000 // counted_in, 4), 300)
    assert sizes[empty] == Size(0)  # none in any sample, so counted whole
    page = html(response).replace("\xa0", " ")
    assert f"≈ {sizes[big].count}</td>" in page
    assert "luvut on arvioitu niiden otoksesta (≈)" in page


def test_uusimaa_page_lists_toissa_suomessa_and_its_figures(client):
    response = client.get("/maakunnat/01/")
    page = html(response)
    assert page.count("<h1") == 1
    assert 'href="/hankkeet/toissa-suomessa/"' in page
    assert response.context["summary"]["count"] == 10
    assert 'href="/hankkeet/?region=01"' in page


def test_region_page_finds_a_project_named_only_through_a_municipality(client):
    project = Project.objects.get(slug="kaveria-ei-jateta")
    project.regions.clear()  # Mikkeli is still named, and Mikkeli is in Etelä-Savo
    response = client.get("/maakunnat/10/")
    assert [p.slug for p in response.context["projects"]] == ["kaveria-ei-jateta"]
    assert response.context["summary"]["count"] == 1
    regions = client.get("/maakunnat/").context["object_list"]
    counts = {r.code: r.project_size.count for r in regions}
    assert counts["10"] == 1


def test_a_region_of_many_projects_is_walked_by_name_and_figured_from_its_sample(
    client, monkeypatch
):
    uusimaa = Region.objects.get(code="01")
    exact = client.get("/maakunnat/01/").context
    monkeypatch.setattr(overview, "EXACT_UP_TO", 3)  # Uusimaa has 10 projects
    estimated = client.get("/maakunnat/01/").context
    assert estimated["region"].project_size.estimated
    # the first projects by name, each looked up in both links: the same ten
    first = [p.slug for p in exact["projects"]]
    assert [p.slug for p in estimated["projects"]] == first
    assert len(first) == 10
    assert (exact["summary"]["count"], exact["summary"]["estimated"]) == (10, False)
    # the figures read the region's sample from its links: the projects with id % 1000 < 300
    per_mille = estimated["region"].project_size.per_mille
    assert per_mille == 300
    sampled = Project.objects.in_region(uusimaa, per_mille)
    assert set(sampled.values_list("id", flat=True)) == {
        pk
        for pk in Project.objects.in_region(uusimaa).values_list("id", flat=True)
        if pk % 1000 < 300
    }
    assert estimated["summary"]["estimated"] is True
    assert estimated["summary"]["count"] == estimated["region"].project_size.count
    # a smaller sample leaves out the ids from 10 on
    assert sorted(Project.objects.in_region(uusimaa, 10).values_list("id", flat=True)) == [6, 8]


def test_both_ways_to_a_regions_projects_find_the_same_ones():
    for region in Region.objects.all():
        collected = set(Project.objects.in_region(region).values_list("slug", flat=True))
        probed = set(Project.objects.probed_in_region(region).values_list("slug", flat=True))
        assert collected == probed
    etela_savo = Region.objects.get(code="10")
    assert "kaveria-ei-jateta" in Project.objects.probed_in_region(etela_savo).values_list(
        "slug", flat=True
    )


def test_region_without_projects_says_so(client):
    response = client.get("/maakunnat/21/")
    assert 'class="empty-state"' in html(response)
    assert response.context["summary"]["count"] == 0


def test_unknown_region_is_404(client):
    assert client.get("/maakunnat/99/").status_code == 404


def test_round_and_region_lists_take_fixed_queries(client, django_assert_num_queries):
    # The size of the set of all projects, the rounds with their programmes, then their
    # projects counted whole, as all projects were (projects.overview.sizes_by_key).
    with django_assert_num_queries(3):
        html(client.get("/hakukierrokset/"))
    # The regions, then their projects counted in each sample level and in all (a statement
    # per level, however many regions: projects.overview.sizes_by_key).
    with django_assert_num_queries(5):
        html(client.get("/maakunnat/"))


def test_round_page_queries_do_not_grow_with_its_projects(client, django_assert_num_queries):
    # 1 the round with programme and coordinator, 2 its cited document with the contact
    # persons' lines to leave out, 3 the size of its set of projects (projects.overview),
    # 4 the summary figures with the achieved sums, 5 the figures of the outcomes chart, 6 the
    # projects by region, 7 the projects with their round, programme and funder, and the
    # names of their implementers and regions.
    with django_assert_num_queries(7):
        html(client.get("/hakukierrokset/kotona-suomessa-3/"))
    round_three = FundingRound.objects.get(slug="kotona-suomessa-3")
    Project.objects.filter(funding_round__slug="kotona-suomessa-1").update(
        funding_round=round_three
    )
    with django_assert_num_queries(7):
        response = client.get("/hakukierrokset/kotona-suomessa-3/")
    assert len(response.context["projects"]) == 17


def test_region_page_queries_do_not_grow_with_its_projects(client, django_assert_num_queries):
    # 1 the region, 2-5 the size of its set of projects in each sample level and in all (a
    # small set is counted at every level, projects.overview.sizes_by_key), 6 the summary
    # figures with the achieved sums, 7 the projects with their round, programme and funder,
    # and the names of their implementers and regions.
    with django_assert_num_queries(7):
        html(client.get("/maakunnat/01/"))
    uusimaa = Region.objects.get(code="01")
    uusimaa.projects.add(*Project.objects.all())
    with django_assert_num_queries(7):
        response = client.get("/maakunnat/01/")
    assert len(response.context["projects"]) == 30


def test_a_round_of_many_projects_counts_its_regions_in_its_sample(client, monkeypatch):
    monkeypatch.setattr(overview, "EXACT_UP_TO", 3)  # round 3 has 9 projects
    response = client.get("/hakukierrokset/kotona-suomessa-3/")
    assert response.context["summary"]["estimated"]
    # Read in the sample of 300 per mille, which holds every real record (their ids are
    # small), and scaled by 1000 / 300 to two digits: Uusimaa's 5 projects, 16.7.
    regions = {row["region__code"]: row["projects"] for row in response.context["regions"]}
    assert regions["01"] == 17
    assert ">Uusimaa</a> (≈ 17 hanketta)" in html(response).replace("\xa0", " ")


def test_round_page_links_each_region_to_the_filtered_list(client):
    page = html(client.get("/hakukierrokset/kotona-suomessa-3/"))
    assert (
        'href="/hankkeet/?round=kotona-suomessa-3&amp;region=01">Uusimaa</a> (5 hanketta)' in page
    )
