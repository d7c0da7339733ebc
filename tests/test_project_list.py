"""The project list: filters that combine, facet counts, the summary, sorting, bad input."""

import re
from decimal import Decimal

import pytest
from django.db import connection
from django.template.loader import render_to_string
from django.test.utils import CaptureQueriesContext
from django.utils import translation

from projects.models import Project

pytestmark = pytest.mark.django_db

ROUND_3_IN_UUSIMAA = [
    "Matkalla työelämään",
    "Ote työhön",
    "The Nice Work Project",
    "Tsempataan yhdessä – kumppanuudella työelämään",
    "Äidit mukana",
]


def names(response) -> list[str]:
    return [project.name for project in response.context["object_list"]]


def facet(response, name):
    facets = {f.name: f for f in response.context["facets"]}
    return {option.value: option.count for option in facets[name].options}


def test_round_three_in_uusimaa_gives_its_five_projects(client):
    response = client.get("/hankkeet/", {"round": "kotona-suomessa-3", "region": "01"})
    assert response.status_code == 200
    assert sorted(names(response)) == sorted(ROUND_3_IN_UUSIMAA)
    assert response.context["summary"]["count"] == 5


def test_two_values_of_one_filter_combine_with_or(client):
    response = client.get("/hankkeet/", {"round": ["kotona-suomessa-1", "kotona-suomessa-2"]})
    assert response.context["summary"]["count"] == 16


def test_facet_counts_leave_out_their_own_filter(client):
    response = client.get("/hankkeet/", {"round": "kotona-suomessa-3", "region": "01"})
    # Rounds are counted within Uusimaa, whatever round is chosen ...
    assert facet(response, "round")["kotona-suomessa-3"] == 5
    assert facet(response, "round")["kotona-suomessa-1"] >= 1
    # ... and regions within round 3.
    assert facet(response, "region")["01"] == 5
    assert facet(response, "region")["17"] == 3  # Oulu twice and Raahe


def test_a_facet_option_is_named_by_its_value_whatever_its_place(client):
    # The checkbox of Uusimaa keeps its id (and its label's `for`) when counts reorder the list.
    for query in ({}, {"round": "kotona-suomessa-3"}):
        html = client.get("/hankkeet/", query).content.decode()
        assert re.search(r'<input type="checkbox" id="f-region-01" name="region" value="01"', html)
        assert '<label for="f-region-01">Uusimaa ' in html


def test_the_implementer_filter_finds_the_projects_of_tavastia(client):
    response = client.get("/hankkeet/", {"implementer": "koulutuskuntayhtyma-tavastia"})
    assert sorted(names(response)) == ["Hyvä alku Hämeessä", "Monet polut työelämään"]


def test_the_decision_filter_finds_the_rejected_application(client):
    response = client.get("/hankkeet/", {"decision": "not_funded"})
    assert names(response) == ["Kaveria ei jätetä"]
    assert facet(response, "status") == {"rejected": 1}


def test_years_keep_projects_whose_period_overlaps_them(client):
    response = client.get("/hankkeet/", {"year_from": 2019, "year_to": 2019})
    found = names(response)
    assert "Kummin kanssa työkokeiluun" not in found  # 1.10.2017–30.9.2018
    assert "Pakolaistaustaisten ohjaus" in found  # 1.4.2018–31.12.2020


def test_money_range_uses_realised_or_applied_funding(client):
    response = client.get("/hankkeet/", {"money_min": 40000, "money_max": 50000})
    assert names(response) == ["Kummin kanssa työkokeiluun"]
    response = client.get("/hankkeet/", {"money_min": 200000})
    assert names(response) == ["Kaveria ei jätetä"]


def test_the_summary_counts_projects_money_and_achieved_figures(client):
    response = client.get("/hankkeet/", {"round": "kotona-suomessa-3"})
    summary = response.context["summary"]
    assert summary["count"] == 9
    achieved = {row["kind"]: row["total"] for row in response.context["achieved"]}
    assert achieved["participants"] > 0


def test_sorting_by_newest_puts_the_latest_start_first(client):
    response = client.get("/hankkeet/", {"sort": "-start"})
    dates = [p.start_date for p in response.context["object_list"] if p.start_date]
    assert dates == sorted(dates, reverse=True)


def test_an_empty_result_says_which_filter_to_remove(client):
    response = client.get("/hankkeet/", {"round": "kotona-suomessa-1", "decision": "not_funded"})
    assert response.context["summary"]["count"] == 0
    without_decision = response.context["active_filters"][1]["without"]
    assert without_decision == "round=kotona-suomessa-1"
    assert f'href="?{without_decision}"' in response.content.decode()


@pytest.mark.parametrize(
    "query",
    [
        {"round": "no-such-round"},
        {"year_from": "abc"},
        {"money_min": "1e999"},
        {"money_max": "-5"},
        {"status": "<script>alert(1)</script>"},
        {"region": "\x00"},
        {"sort": "DROP TABLE"},
    ],
)
def test_bad_filter_values_give_a_message_not_an_error(client, query):
    response = client.get("/hankkeet/", query)
    assert response.status_code == 200
    assert "<script>alert(1)</script>" not in response.content.decode()
    assert response.context["filter"].errors


@pytest.mark.parametrize("page", ["1000000000", "abc", "-1", "99999999999999999999999"])
def test_pages_beyond_the_list_are_not_found(client, page):
    assert client.get("/hankkeet/", {"page": page}).status_code == 404


def test_the_list_page_takes_the_same_number_of_queries_for_any_page_size(
    client, django_assert_num_queries
):
    # size (capped counts) + all facets and the figures (count, money, years and achieved
    # totals) in one statement + page, with the names of its implementers and regions
    with django_assert_num_queries(3):
        client.get("/hankkeet/")
    # + the chosen round and region (form validation) + the sizes of the sets the round and
    # region facets count (one query)
    with django_assert_num_queries(6):
        client.get("/hankkeet/", {"round": "kotona-suomessa-3", "region": "01"})


def test_the_list_page_reads_only_what_its_cards_show(client, django_assert_num_queries):
    with django_assert_num_queries(3) as captured:
        response = client.get("/hankkeet/", {"q": "maahanmuuttajat"})
    first = response.context["object_list"][0]
    assert {"description", "goals", "results", "notes"} <= first.get_deferred_fields()
    assert "programme" not in first._state.fields_cache
    assert '"projects_programme"' not in captured.captured_queries[-1]["sql"]
    # The search's snippet is still cut from the long texts, in PostgreSQL.
    assert (
        "vahvistaa <mark>maahanmuuttajataustaisten</mark> henkilöiden" in response.content.decode()
    )


@pytest.mark.parametrize("path", ["/hankkeet/", "/hankkeet.csv", "/api/projects/"])
def test_a_search_of_only_operators_sorted_by_relevance_finds_nothing_without_error(client, path):
    response = client.get(path, {"q": "-", "sort": "relevance"})
    assert response.status_code == 200


def test_a_misspelt_search_shows_what_its_correction_finds_with_the_filters_kept(
    client, django_assert_num_queries
):
    with django_assert_num_queries(5):
        meant = client.get("/hankkeet/", {"q": "työllistyminen", "round": "kotona-suomessa-3"})
    # + the size that found nothing, the nearest words of the word list, and the chosen
    # round validated again with the corrected search
    with django_assert_num_queries(8):
        typed = client.get("/hankkeet/", {"q": "tyollistyminen", "round": "kotona-suomessa-3"})
    assert typed.context["summary"]["count"] == meant.context["summary"]["count"] == 9
    assert names(typed) == names(meant)
    assert typed.context["nothing_found_for"] == "tyollistyminen"
    page = typed.content.decode()
    assert (
        "Haulla ”tyollistyminen” ei löytynyt mitään. Näytetään tulokset haulle ”työllistyminen”."
        in page
    )
    # the chosen filters, the export and the next pages go on with the correction
    assert '<input type="hidden" name="q" value="työllistyminen">' in page
    assert typed.context["query_string"] == "q=ty%C3%B6llistyminen&round=kotona-suomessa-3"


UNEMPLOYED_FINDING_WORK = [
    "Kaiku",
    "Kaveria ei jätetä",
    "Kummin kanssa työkokeiluun",
    "Mahdollisuudet todeksi",
    "TOITA Maahanmuuttajien osaaminen työpaikoille",
    "The Nice Work Project",
    "Tuettua työllistymistä maahanmuuttajille",
    "Valmiuksilla vauhtia työllistymiseen",
]


def test_a_search_within_a_target_group_reads_the_groups_from_the_search_rows(client):
    with CaptureQueriesContext(connection) as queries:
        response = client.get("/hankkeet/", {"q": "työllistyminen", "target_group": "tyottomat"})
    assert sorted(names(response)) == UNEMPLOYED_FINDING_WORK
    assert response.context["summary"]["count"] == 8
    assert facet(response, "region") == {"17": 2, "10": 1, "13": 1, "06": 1, "12": 1, "01": 1}
    size = next(query["sql"] for query in queries if query["sql"].startswith("WITH size_0"))
    assert '"projects_projectsearch"."target_groups" && ' in size
    assert "projects_project_target_groups" not in size


def test_a_search_within_regions_and_target_groups_keeps_what_the_links_keep(client):
    response = client.get(
        "/hankkeet/",
        {
            "q": "työllistyminen",
            "region": ["01", "11"],
            "target_group": ["tyottomat", "ammattilaiset"],
        },
    )
    assert sorted(names(response)) == [
        "Matkalla työelämään",
        "The Nice Work Project",
        "Tsempataan yhdessä – kumppanuudella työelämään",
    ]
    assert facet(response, "target_group") == {
        "ammattilaiset": 2,
        "tyottomat": 1,
        "maahanmuuttajat": 7,
        "naiset-ja-kotivanhemmat": 3,
        "tyonantajat": 3,
        "opiskelijat": 1,
    }


def test_a_list_without_a_search_keeps_a_target_groups_projects_by_their_links(client):
    with CaptureQueriesContext(connection) as queries:
        response = client.get("/hankkeet/", {"target_group": "tyottomat"})
    assert sorted(names(response)) == UNEMPLOYED_FINDING_WORK
    assert not any('"target_groups" && ' in query["sql"] for query in queries)


def test_a_search_of_known_words_that_finds_nothing_is_not_corrected(client):
    response = client.get("/hankkeet/", {"q": "maahanmuuttaja", "decision": "not_funded"})
    assert response.context["summary"]["count"] == 0
    assert response.context["nothing_found_for"] is None


@pytest.mark.parametrize(
    ("language", "shown"),
    [
        ("fi", "240\xa0000 hankkeessa"),
        ("sv", "i 240\xa0000 projekt"),
        ("en", "in 240,000 projects"),
    ],
)
def test_the_summary_groups_the_digits_of_a_large_count(language, shown):
    summary = {"count": 1_200_000, "money": 5 * 10**9, "estimated": True}
    achieved = [{"kind": "employed", "total": 23_891, "projects": 240_000}]
    with translation.override(language):
        html = render_to_string(
            "components/summary_stats.html", {"summary": summary, "achieved": achieved}
        )
    assert shown in html


@pytest.mark.parametrize(
    ("language", "estimated", "exact", "shown"),
    [
        ("fi", "noin 66\xa0mrd.\xa0€", "12,3\xa0milj.\xa0€", "9\xa0999\xa0999\xa0€"),
        ("sv", "cirka 66\xa0mdr\xa0€", "12,3\xa0milj.\xa0€", "9\xa0999\xa0999\xa0€"),
        ("en", "about €66\xa0billion", "€12.3\xa0million", "€9,999,999"),
    ],
)
def test_the_summary_gives_a_huge_sum_in_millions_or_billions(language, estimated, exact, shown):
    # A country's total (eleven digits) overflowed its card; an estimate says so.
    def summary_of(money, is_estimate):
        summary = {"count": 1_200_000, "money": money, "estimated": is_estimate}
        with translation.override(language):
            html = render_to_string("components/summary_stats.html", {"summary": summary})
        return re.findall(r"<dd>([^<]*)</dd>", html)[1]  # the count's, then the money's

    assert summary_of(Decimal("66000000000"), True) == estimated
    assert summary_of(Decimal("12345678.90"), False) == exact
    assert summary_of(9_999_999, False) == shown


@pytest.mark.parametrize(
    ("slug", "implementers", "place"),
    [
        ("vayla-tyohon", "Espoon seudun koulutuskuntayhtymä ja 7 muuta", "Uusimaa"),
        (
            "pakolaistaustaisten-ohjaus",
            "Kaakkois-Suomen ELY-keskus ja 15 muuta",
            "valtakunnallinen",
        ),
        ("ote-tyohon", "Työväen sivistysliitto ja 4 muuta", "Uusimaa"),
        ("kototakuu", "Salon seudun koulutuskuntayhtymä ja 1 muu", "Varsinais-Suomi"),
    ],
)
def test_a_card_names_the_first_implementer_how_many_others_and_the_place(
    slug, implementers, place
):
    project = Project.objects.for_list().get(slug=slug)
    with translation.override("fi"):
        html = render_to_string("components/project_card.html", {"project": project})
    facts = dict(re.findall(r"<dt>([^<]*)</dt><dd>([^<]*)</dd>", html))
    assert facts["Toteuttaja"] == implementers
    assert facts["Alue"] == place


def test_an_empty_search_reads_no_facets_unless_one_of_its_own_is_chosen(
    client, django_assert_num_queries
):
    # 1 the size of the search's set: nothing (a phrase is not corrected, so no word list)
    with django_assert_num_queries(1):
        response = client.get("/hankkeet/", {"q": '"alku hyvä"'})
    assert response.context["summary"]["count"] == 0
    assert not [option for facet in response.context["facets"] for option in facet.options]
    # A chosen status's facet counts the set without it: what each other status gives.
    chosen = {"q": "maahanmuuttaja", "round": "kotona-suomessa-3", "status": "rejected"}
    response = client.get("/hankkeet/", chosen)
    assert response.context["summary"]["count"] == 0
    assert facet(response, "status") == {"ongoing": 5, "ended": 4}
