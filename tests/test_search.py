"""The Finnish-aware search, on the real records: what each example query finds first, the
"did you mean" word list, phrases and exclusions, the search page, and input that is not a
search at all. tests/conftest.py builds the search index after loading the fixtures."""

import re

import pytest
from django.contrib.postgres.search import SearchQuery, SearchVector
from django.urls import reverse

from projects.models import Organisation, Project, ProjectSearch, Region, SearchEntry, TargetGroup
from projects.search import (
    PROJECT_SNIPPET_FIELDS,
    annotate_headlines,
    refresh_search_index,
    search_everything,
    search_projects,
    snippet_html,
    suggest_queries,
)

pytestmark = pytest.mark.django_db

SEARCH = reverse("projects:search")


def top_projects(query: str, count: int = 3) -> list[str]:
    ranked = search_projects(Project.objects.all(), query).order_by("-search_rank", "name")
    return [project.name for project in ranked[:count]]


def top_entries(query: str, kind: str, count: int = 3) -> list[str]:
    for group in search_everything(query).groups:
        if group.kind == kind:
            return [entry.title for entry in group.entries[:count]]
    return []


def text_of(name: str) -> str:
    project = Project.objects.get(name=name)
    return " ".join(getattr(project, section) for section in Project.SECTIONS).lower()


def finnish_stemmer_alone(query: str) -> list[str]:
    """What PostgreSQL's Finnish configuration finds on its own, over the same texts."""
    vector = SearchVector("name", *Project.SECTIONS, config="finnish")
    matches = Project.objects.annotate(vector=vector).filter(
        vector=SearchQuery(query, config="finnish")
    )
    return list(matches.values_list("name", flat=True))


def test_a_eura_code_finds_its_project_first():
    assert top_projects("S21114")[0] == "Kummin kanssa työkokeiluun"


def test_an_abbreviation_finds_its_organisation_and_the_project_it_implements():
    assert top_entries("Omnia", "organisation")[0] == "Espoon seudun koulutuskuntayhtymä"
    assert "Väylä työhön" in top_projects("Omnia")


def test_tamk_finds_tampere_university_of_applied_sciences_and_toita():
    assert top_entries("TAMK", "organisation")[0] == "Tampereen ammattikorkeakoulu Oy"
    assert top_projects("TAMK")[0] == "TOITA Maahanmuuttajien osaaminen työpaikoille"


def test_an_abbreviation_is_ranked_above_a_mere_mention():
    ranked = search_projects(Project.objects.all(), "S21114").order_by("-search_rank")
    assert ranked[0].search_rank >= 1


def test_a_word_finds_the_compounds_it_begins_which_the_stemmer_alone_misses():
    # The Nice Work Project says only "maahanmuuttajanaisten", "maahanmuuttajanaisia", ...
    assert "maahanmuuttajien" not in text_of("The Nice Work Project")
    assert "The Nice Work Project" not in finnish_stemmer_alone("maahanmuuttaja")
    found = search_projects(Project.objects.all(), "maahanmuuttaja")
    assert found.filter(name="The Nice Work Project").exists()
    assert "The Nice Work Project" in top_projects("maahanmuuttajanaiset")


def test_a_search_keeps_the_filters_of_the_queryset_it_is_given():
    in_uusimaa_round_three = Project.objects.filter(
        funding_round__slug="kotona-suomessa-3", regions__code="01"
    )
    found = search_projects(in_uusimaa_round_three, "maahanmuuttajataustainen")
    assert set(found.values_list("name", flat=True)) <= set(
        in_uusimaa_round_three.values_list("name", flat=True)
    )
    assert "The Nice Work Project" in [
        project.name for project in search_projects(in_uusimaa_round_three, "maahanmuuttaja")
    ]


def test_a_minen_noun_finds_its_other_forms_through_its_voikko_lemma():
    text = text_of("Valmiuksilla vauhtia työllistymiseen")
    assert "työllistyminen" not in text and "työllistymispolkuja" in text
    assert "Valmiuksilla vauhtia työllistymiseen" not in finnish_stemmer_alone("työllistyminen")
    assert "Valmiuksilla vauhtia työllistymiseen" in top_projects("työllistyminen")


def test_a_compound_part_finds_the_compound():
    assert "NIPA – Nivelvaiheen palvelumalli kotoutumisen tueksi" in top_projects("palvelumalli")
    assert search_projects(Project.objects.all(), "malli").filter(name__startswith="NIPA").exists()


@pytest.mark.parametrize(
    ("typed", "meant"),
    [("tyollistyminen", "työllistyminen"), ("maahanmuutaja", "maahanmuuttaja")],
)
def test_a_misspelt_word_gets_a_suggestion_and_its_results(typed, meant):
    assert suggest_queries(typed)[0] == meant
    results = search_everything(typed)
    assert results.corrected
    assert str(results.searched) == meant
    assert results.project_count >= 20


def test_known_words_get_no_suggestion():
    assert suggest_queries("maahanmuuttaja Omnia S21114") == []


def test_a_suggestion_keeps_the_rest_of_the_query():
    assert suggest_queries('tyollistyminen -hyvä "paras alku"')[0] == (
        'työllistyminen -hyvä "paras alku"'
    )


def test_a_quoted_phrase_finds_the_words_together_and_in_order():
    found = top_projects('"hyvä alku"', count=10)
    assert {"Hyvä alku Hämeessä", "Hyvä alku Pohjanmaalla"} <= set(found)
    assert "Kaveria ei jätetä" not in found
    assert top_projects('"alku hyvä"') == []


def test_a_minus_excludes_the_projects_with_that_word():
    with_hyva = top_projects("maahanmuuttaja", count=30)
    without = top_projects("maahanmuuttaja -hyvä", count=30)
    assert "Hyvä alku Hämeessä" in with_hyva
    assert "Hyvä alku Hämeessä" not in without
    assert 0 < len(without) < len(with_hyva)


def test_or_finds_either_word():
    assert set(top_projects("kumina or omnia")) >= {"Väylä työhön"}
    assert top_entries("kumina or omnia", "organisation") == ["Espoon seudun koulutuskuntayhtymä"]


def test_kumina_finds_the_practice_model_first():
    assert top_entries("kumina", "practice_model")[0].startswith("Kumina")


def test_a_word_of_a_recommendation_finds_the_recommendation():
    assert top_entries("hakukone", "recommendation")[0].startswith("4. Hankkeiden tiedot")


def test_an_entry_links_to_its_page_and_anchor():
    recommendation = SearchEntry.objects.get(kind="recommendation", title__startswith="4. ")
    assert recommendation.get_absolute_url().endswith("#recommendation-4")
    omnia = SearchEntry.objects.get(kind="organisation", title="Espoon seudun koulutuskuntayhtymä")
    organisation = Organisation.objects.get(pk=omnia.record_id)
    assert omnia.get_absolute_url() == organisation.get_absolute_url()


def test_refreshing_a_project_indexes_its_new_words():
    project = Project.objects.get(code="S21114")
    project.goals = "Selvitetään poronhoitajien työllistymistä."
    project.save()
    assert top_projects("poronhoitaja") == []
    refresh_search_index([project.pk])
    assert top_projects("poronhoitaja") == ["Kummin kanssa työkokeiluun"]
    assert suggest_queries("poronhoitaja") == []


def test_a_search_row_holds_its_projects_regions_and_target_groups():
    search = ProjectSearch.objects.get(project__slug="kaveria-ei-jateta")
    groups = TargetGroup.objects.filter(pk__in=search.target_groups).order_by("slug")
    regions = Region.objects.filter(pk__in=search.regions)
    assert [group.slug for group in groups] == [
        "ikaantyneet",
        "pitkaaikaistyottomat",
        "syrjaytymisvaarassa",
        "tyonantajat",
        "tyottomat",
        "vammaiset-ja-toimintarajoitteiset",
    ]
    assert [region.code for region in regions] == ["10"]
    assert search.target_groups == sorted(search.target_groups)


def test_snippets_escape_the_data_and_mark_only_the_matches():
    html = snippet_html("<b>Tuettu</b> \ue000työllistyminen\ue001 & <i>\ue000x")
    assert html == "&lt;b&gt;Tuettu&lt;/b&gt; <mark>työllistyminen</mark> &amp; &lt;i&gt;x"


def test_html_in_a_project_text_never_reaches_the_page_as_markup(client):
    project = Project.objects.get(code="S21114")
    project.goals = "<script>alert('x')</script> poronhoitajien <b>työllistyminen</b> 1 < 2 > 3"
    project.save()
    refresh_search_index([project.pk])
    response = client.get(SEARCH, {"q": "poronhoitaja"})
    content = response.content.decode()
    # ts_headline drops what its parser reads as tags; whatever else is escaped.
    assert "<script>" not in content and "<b>" not in content
    assert "1 &lt; 2 &gt; 3" in content
    assert "<mark>poronhoitajien</mark>" in content


def test_a_snippet_marks_the_forms_of_the_word_but_not_the_words_its_short_stem_begins():
    project = Project.objects.get(code="S21114")
    for text_field in PROJECT_SNIPPET_FIELDS:
        setattr(project, text_field, "")
    project.goals = (
        "Kumppani järjestää koulutusta kuminan viljelystä. Maahanmuuttajien työllistymistä tuetaan."
    )
    project.save()
    refresh_search_index([project.pk])

    def marked(query: str) -> list[str]:
        (headline,) = annotate_headlines(Project.objects.filter(pk=project.pk), query).values_list(
            "search_headline", flat=True
        )
        return re.findall("\ue000(.*?)\ue001", headline)

    # "koulutus" is its own stem; "maahanmuuttaj" that of maahanmuuttajat.
    assert marked("koulutus") == ["koulutusta"]
    assert marked("maahanmuuttajat") == ["Maahanmuuttajien"]
    assert marked("työllistyminen") == ["työllistymistä"]
    # The stem of kumina is "kum", which Kumppani begins too: matched whole, it marks nothing.
    assert marked("kumina") == ["kuminan"]
    assert marked('"maahanmuuttajat työllistyminen"') == ["Maahanmuuttajien", "työllistymistä"]


def test_the_search_page_groups_the_results_by_kind_with_counts(client):
    response = client.get(SEARCH, {"q": "kumina"})
    assert response.status_code == 200
    content = response.content.decode()
    assert content.count("<h1") == 1
    assert 'id="projects"' in content and 'id="practice_model"' in content
    assert "Kummin kanssa työkokeiluun" in content
    assert "/toimintamallit/kumina/" in content


def test_the_search_page_shows_a_projects_funding_as_the_list_does(client):
    name = "Kummin kanssa työkokeiluun"
    card = rf'<article class="record-card">\s*<h3[^>]*><a [^>]*>{name}</a>.*?</article>'
    for address in (SEARCH, reverse("projects:project-list")):
        content = client.get(address, {"q": "kumina"}).content.decode()
        (found,) = re.findall(card, content, re.DOTALL)
        assert "<dt>Rahoitus</dt><dd>48\xa0806\xa0€</dd>" in found


def test_the_search_page_shows_a_suggestion_and_its_results(client):
    response = client.get(SEARCH, {"q": "maahanmuutaja"})
    content = response.content.decode()
    assert "maahanmuuttaja" in content
    assert "Showing results for" in content or "Näytetään tulokset" in content
    assert "TOITA Maahanmuuttajien osaaminen työpaikoille" in content


def test_the_search_page_counts_the_projects_found_as_the_list_does(client, monkeypatch):
    searched = {"q": "maahanmuuttaja"}
    exact = client.get(SEARCH, searched).context["results"]
    assert (exact.project_count, exact.projects_estimated) == (
        client.get(reverse("projects:project-list"), searched).context["summary"]["count"],
        False,
    )
    # Past the exact limit both estimate the count from the same sample, and say so.
    monkeypatch.setattr("projects.overview.EXACT_UP_TO", 3)
    response = client.get(SEARCH, searched)
    results = response.context["results"]
    summary = client.get(reverse("projects:project-list"), searched).context["summary"]
    assert results.projects_estimated and summary["estimated"]
    assert results.project_count == summary["count"] != exact.project_count
    assert f"Hankkeet (noin {results.project_count})" in response.content.decode()


def test_the_search_page_without_a_query_says_what_to_type(client):
    response = client.get(SEARCH)
    assert response.status_code == 200
    assert 'class="empty-state"' in response.content.decode()


def test_a_search_that_finds_nothing_says_what_to_try(client):
    response = client.get(SEARCH, {"q": '"zyxw qvjk"'})
    content = response.content.decode()
    assert response.status_code == 200
    assert 'class="empty-state"' in content and "S21114" in content


@pytest.mark.parametrize(
    "query",
    [
        "työllistyminen " * 700,
        "työ\x00llistyminen",
        "\u202etyöllistyminen\u200f",
        "🙂🏳️‍🌈 maahanmuuttaja",
        "'; DROP TABLE projects_project; --",
        "a & b | !c :* (d) <-> e'f \\ g",
        '"""',
        "-",
        "or or or",
        "\ufeff\ue000\ue001",
    ],
)
def test_odd_input_gets_a_page_not_an_error(client, query):
    response = client.get(SEARCH, {"q": query})
    assert response.status_code == 200
    assert Project.objects.exists()


def test_a_lone_surrogate_in_the_address_gets_a_page(client):
    response = client.get(SEARCH + "?q=%ED%A0%80ty%C3%B6%00")
    assert response.status_code == 200


def test_html_in_the_search_box_is_never_reflected_unescaped(client):
    response = client.get(SEARCH, {"q": '<script>alert("x")</script><img src=x onerror=y>'})
    content = response.content.decode()
    assert "<script>alert" not in content and "<img src=x" not in content
    assert "&lt;script&gt;alert" in content


def test_a_long_query_is_cut_with_a_notice(client):
    response = client.get(SEARCH, {"q": "maahanmuuttaja " * 700})
    content = response.content.decode()
    assert 'class="notice notice--warning"' in content
    assert "TOITA Maahanmuuttajien osaaminen työpaikoille" in content


def test_exclusions_alone_ask_for_a_word(client):
    response = client.get(SEARCH, {"q": "-hanke"})
    assert response.status_code == 200
    assert 'class="empty-state"' in response.content.decode()


def test_the_search_page_runs_a_fixed_number_of_queries(client, django_assert_num_queries):
    # 1 the word list: the nearest words of those it does not hold (none here)
    # 2 how many projects match (exactly up to a limit, above it estimated from a sample)
    # 3 the best projects, ranked, with their snippets and the names of their implementers
    #   and regions (for_list)
    # 4 matching organisations and evaluation records per kind
    # 5 the best of each kind, with snippets (one UNION query)
    with django_assert_num_queries(5) as captured:
        response = client.get(SEARCH, {"q": "maahanmuuttaja"})
    assert response.status_code == 200
    assert len(response.context["results"].projects) == 20
    # The long texts the snippets are cut from are read for the 20 shown, found by id first,
    # not carried through ranking every match.
    shown = captured.captured_queries[2]["sql"]
    ranking = shown[shown.index('WHERE "projects_project"."id" IN (SELECT') :]
    assert "ts_headline" in shown
    assert "ts_headline" not in ranking and '"goals"' not in ranking
