"""The organisation list and page: names, roles in projects, reports evaluated, fixed queries."""

import re

import pytest
from django.conf import settings
from django.db import connection
from django.test.utils import CaptureQueriesContext

from projects.models import Implementation, Organisation, Project

pytestmark = pytest.mark.django_db


def html(response) -> str:
    assert response.status_code == 200
    return response.content.decode()


def test_tavastia_page_lists_its_two_projects_with_their_roles(client):
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    page = html(client.get("/organisaatiot/koulutuskuntayhtyma-tavastia/"))
    assert page.count("<h1") == 1
    rows = page.split("<tbody>")[1].split("</tbody>")[0].split("<tr>")[1:]
    assert len(rows) == 2
    assert "Hyvä alku Hämeessä" in rows[0] and "Main implementer" in rows[0]
    assert "Monet polut työelämään" in rows[1] and "Co-implementer" in rows[1]


def test_tavastia_page_gives_its_other_name(client):
    page = html(client.get("/organisaatiot/koulutuskuntayhtyma-tavastia/"))
    assert "<dd>Ammattiopisto Tavastia</dd>" in page


def test_organisation_page_links_to_the_project_list_filtered_by_it(client):
    page = html(client.get("/organisaatiot/koulutuskuntayhtyma-tavastia/"))
    assert 'href="/hankkeet/?implementer=koulutuskuntayhtyma-tavastia"' in page


def test_tampere_uas_page_gives_both_abbreviations(client):
    page = html(client.get("/organisaatiot/tampereen-ammattikorkeakoulu-oy/"))
    assert "<dd>TAMK</dd>" in page
    assert "<dd>TAMK Oy</dd>" in page


def test_a_funder_page_lists_the_projects_it_decided_on(client):
    page = html(client.get("/organisaatiot/etela-savon-ely-keskus/"))
    assert 'href="/hankkeet/kaveria-ei-jateta/"' in page
    assert 'href="/hankkeet/kummin-kanssa-tyokokeiluun/"' in page


def test_an_evaluator_page_lists_the_reports_it_evaluated(client):
    page = html(client.get("/organisaatiot/owal-group-oy/"))
    assert 'href="/arvioinnit/hyva-alku-vuosiraportti-2019/"' in page
    assert 'href="/arvioinnit/hyva-alku-arviointi-2020/"' in page


def test_a_known_business_id_is_shown(client):
    organisation = Organisation.objects.get(slug="koulutuskuntayhtyma-tavastia")
    organisation.business_id = "0245437-2"
    organisation.save()
    assert "<dd>0245437-2</dd>" in html(client.get(organisation.get_absolute_url()))


def test_unknown_organisation_is_404(client):
    assert client.get("/organisaatiot/ei-tallaista/").status_code == 404


def test_organisation_list_is_alphabetical_whatever_the_case(client):
    names = [o.name for o in client.get("/organisaatiot/").context["object_list"]]
    assert names == sorted(names, key=str.lower)
    assert names.index("Helsingin aikuisopisto") < names.index("Helsingin Diakonissalaitos")


def test_organisation_list_counts_projects_in_any_role(client):
    page_one = client.get("/organisaatiot/").context["object_list"]
    page_two = client.get("/organisaatiot/?page=2").context["object_list"]
    counts = {o.slug: o.project_count for o in [*page_one, *page_two]}
    assert len(counts) == 94
    assert counts["koulutuskuntayhtyma-tavastia"] == 2
    assert counts["etela-savon-ely-keskus"] == 2  # funder of both, implementer of neither


def test_organisation_list_counts_a_project_once_whatever_its_roles(client):
    ely = Organisation.objects.get(slug="etela-savon-ely-keskus")
    project = Project.objects.filter(funder=ely).first()
    project.administrator = ely
    project.save()
    Implementation.objects.create(project=project, organisation=ely, role="partner")
    page_one = client.get("/organisaatiot/").context["object_list"]
    assert {o.slug: o.project_count for o in page_one}["etela-savon-ely-keskus"] == 2


def test_organisation_list_counts_projects_of_the_page_alone(client):
    with CaptureQueriesContext(connection) as queries:
        html(client.get("/organisaatiot/?page=2"))
    counted = next(q["sql"] for q in queries.captured_queries if "COUNT(*) FROM" in q["sql"])
    # The 44 ids of the last page are found in a subquery; the counts, for those rows only.
    assert re.search(r'"projects_organisation"."id" IN \(SELECT .* LIMIT 44 OFFSET 50\)', counted)


def test_organisation_list_is_paginated_by_fifty_with_a_next_link(client):
    response = client.get("/organisaatiot/")
    assert len(response.context["object_list"]) == 50
    assert 'rel="next" href="?page=2"' in html(response)


def test_organisation_list_past_the_last_page_is_404(client):
    assert client.get("/organisaatiot/?page=99").status_code == 404


def test_organisation_list_queries_do_not_grow_with_organisations(
    client, django_assert_num_queries
):
    # 1 the count for the pager, 2 the page of organisations, found by id, with their project
    # counts (a subquery each), 3 their other names.
    with django_assert_num_queries(3):
        html(client.get("/organisaatiot/"))
    Organisation.objects.bulk_create(
        Organisation(slug=f"aaa-{n}", name=f"Aaa {n}") for n in range(30)
    )
    with django_assert_num_queries(3):
        response = client.get("/organisaatiot/")
    assert response.context["object_list"][0].name == "Aaa 0"


def test_organisation_page_queries_do_not_grow_with_projects(client, django_assert_num_queries):
    organisation = Organisation.objects.get(slug="koulutuskuntayhtyma-tavastia")
    # 1 the organisation with its project counts by role; prefetches: 2 its other names,
    # 3 reports evaluated; then the first projects it 4 implements, 5 funds, 6 administers.
    with django_assert_num_queries(6):
        html(client.get(organisation.get_absolute_url()))
    Implementation.objects.bulk_create(
        Implementation(project=project, organisation=organisation)
        for project in Project.objects.exclude(implementations__organisation=organisation)
    )
    with django_assert_num_queries(6):
        response = client.get(organisation.get_absolute_url())
    assert len(response.context["implementations"]) == 30
    assert response.context["organisation"].implementation_count == 30


def test_a_busy_organisation_shows_its_first_projects_and_links_to_all(client, monkeypatch):
    from projects.views.pages import OrganisationDetailView

    monkeypatch.setattr(OrganisationDetailView, "shown", 1)
    page = html(client.get("/organisaatiot/koulutuskuntayhtyma-tavastia/"))
    assert "Näytetään ensimmäiset 1 hanketta (kaikkiaan 2)." in page
    assert 'href="/hankkeet/?implementer=koulutuskuntayhtyma-tavastia"' in page


def test_organisation_list_counts_funded_projects_from_the_funder_index_alone(client):
    with CaptureQueriesContext(connection) as queries:
        html(client.get("/organisaatiot/"))
    counted = next(q["sql"] for q in queries.captured_queries if "COUNT(*) FROM" in q["sql"])
    with connection.cursor() as cursor:
        # Thirty projects are read fastest without an index; this asks which one serves.
        cursor.execute("SET LOCAL enable_seqscan = off")
        cursor.execute(f"EXPLAIN (COSTS OFF) {counted}")
        plan = "\n".join(line for (line,) in cursor.fetchall())
    # Without the id in the funder index, PostgreSQL read all of project_read_idx for each
    # organisation of the page, as it takes each for a funder of as many projects as the mean:
    # the list at a million projects took 2.8 s, now 30 ms.
    assert "Index Only Scan using project_funder_sample_idx" in plan
    assert "project_read_idx" not in plan
