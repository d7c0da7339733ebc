"""The JSON API: the list's filters and search, the fields of a project, the OpenAPI document."""

import pytest

from projects.models import Project

pytestmark = pytest.mark.django_db


def test_the_api_list_takes_the_list_filters_and_gives_a_count(client):
    response = client.get("/api/projects/", {"round": "kotona-suomessa-3", "region": "01"})
    assert response.status_code == 200
    body = response.json()
    assert body["count"] == 5
    assert body["count_estimated"] is False
    assert {p["slug"] for p in body["results"]} >= {"ote-tyohon", "aidit-mukana"}


def test_the_api_estimates_the_count_of_a_huge_set_and_says_so(client, monkeypatch):
    monkeypatch.setattr("projects.overview.EXACT_UP_TO", 3)
    body = client.get("/api/projects/").json()
    assert body["count_estimated"] is True
    assert body["count"] >= 4  # never within the exact limit
    assert body["results"]


def test_the_api_pages_through_at_most_the_lists_limit(client, monkeypatch):
    monkeypatch.setattr("projects.paging.LISTED_AT_MOST", 10)
    body = client.get("/api/projects/").json()
    assert body["count"] == 30  # the set's size, though only 10 are paged through
    assert len(body["results"]) == 10
    assert body["next"] is None
    assert client.get("/api/projects/", {"page": 2}).status_code == 404


def test_a_project_carries_its_decision_outcomes_and_implementers(client):
    project = client.get("/api/projects/kaveria-ei-jateta/").json()
    assert project["code"] == ""
    assert project["status"] == "rejected"
    assert project["programme"] == "esr-plus-2021-2027"
    assert project["funder"] == "Etelä-Savon ELY-keskus"
    assert project["regions"] == ["Etelä-Savo"]
    assert project["municipalities"] == ["Mikkeli"]
    assert project["target_groups"] == [
        "ikaantyneet",
        "pitkaaikaistyottomat",
        "syrjaytymisvaarassa",
        "tyonantajat",
        "tyottomat",
        "vammaiset-ja-toimintarajoitteiset",
    ]
    assert project["implementers"] == [
        {
            "name": "Mikkelin Seudun Invalidit ry",
            "slug": "mikkelin-seudun-invalidit-ry",
            "role": "main",
        }
    ]
    assert project["decision"] == {"decision": "not_funded", "score": 28, "max_score": 57}
    assert project["applied_total"] == "216618.00"
    assert {
        "kind": "participants",
        "planned_or_achieved": "planned",
        "value": "60.00",
        "unit": "persons",
        "label": "",
    } in project["outcomes"]
    assert project["url"] == "http://testserver/hankkeet/kaveria-ei-jateta/"


def test_implementers_and_outcomes_come_in_their_order_with_their_fields_in_order(client):
    text = client.get("/api/projects/ote-tyohon/").content.decode()
    implementers = text.partition('"implementers":[')[2]
    assert implementers.startswith(
        '{"name":"Työväen sivistysliitto","slug":"tyovaen-sivistysliitto","role":"main"},'
        '{"name":"Tampereen aikuiskoulutuskeskus","slug":"tampereen-aikuiskoulutuskeskus",'
        '"role":"co"},'
    )
    outcomes = text.partition('"outcomes":')[2]
    assert outcomes.startswith(
        '[{"kind":"other","planned_or_achieved":"achieved","value":"18.00","unit":"count",'
        '"label":"vertaisryhmät"},{"kind":"participants","planned_or_achieved":"achieved",'
        '"value":"126.00","unit":"persons","label":"henkilöt"}],'
    )


def test_the_card_project_has_its_code_dates_and_money(client):
    project = client.get("/api/projects/kummin-kanssa-tyokokeiluun/").json()
    assert (project["code"], project["start_date"], project["end_date"]) == (
        "S21114",
        "2017-10-01",
        "2018-09-30",
    )
    assert project["realised_public_funding"] == "48806.00"
    assert project["decision"] is None


def test_an_unknown_filter_value_is_a_400_with_the_reason(client):
    response = client.get("/api/projects/", {"round": "no-such-round"})
    assert response.status_code == 400
    assert "round" in response.json()


def test_an_unknown_project_is_a_404(client):
    assert client.get("/api/projects/no-such-project/").status_code == 404


def test_a_page_beyond_the_list_is_a_404(client):
    assert client.get("/api/projects/", {"page": 10**9}).status_code == 404


def test_the_openapi_document_describes_the_project_list_and_its_filters(client):
    response = client.get("/api/schema/", {"format": "json"})
    assert response.status_code == 200
    operation = response.json()["paths"]["/api/projects/"]["get"]
    parameters = {parameter["name"] for parameter in operation["parameters"]}
    assert parameters >= {"q", "round", "region", "implementer", "year_from", "money_min", "page"}


def test_the_api_list_takes_a_fixed_number_of_queries(client, django_assert_num_queries):
    # the size of the set, then the page with the names of the places and target groups and
    # the implementers and outcomes
    with django_assert_num_queries(2):
        response = client.get("/api/projects/")
    assert len(response.json()["results"]) == 25


def test_the_api_list_validates_its_filters_once(client, django_assert_num_queries):
    # the round and the region chosen (validating the filters), the size of the set, the
    # page
    with django_assert_num_queries(4):
        response = client.get(
            "/api/projects/", {"round": "kotona-suomessa-3", "region": "01", "status": "ended"}
        )
    ended = Project.objects.filter(
        funding_round__slug="kotona-suomessa-3", regions__code="01", status="ended"
    )
    assert response.json()["count"] == ended.count() > 0
