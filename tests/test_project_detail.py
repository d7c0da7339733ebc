"""The project page: every field, its sources in place, no personal data, fixed queries."""

import re

import pytest
from django.conf import settings

from projects.models import Implementation, Organisation, Outcome, Project

pytestmark = pytest.mark.django_db

EMAIL = re.compile(r"[\w.+-]+@[\w-]+\.[\w.-]+")


def text(response) -> str:
    """Return the page with non-breaking spaces as plain ones, as a reader sees it."""
    assert response.status_code == 200
    return response.content.decode().replace("\xa0", " ")


def test_kaveria_ei_jateta_shows_the_score_and_why_it_was_not_funded(client):
    page = text(client.get("/hankkeet/kaveria-ei-jateta/"))
    assert page.count("<h1") == 1
    assert "28/57" in page
    assert "Näillä perusteilla hanketta ei esitetä rahoitettavaksi." in page


def test_kaveria_ei_jateta_shows_its_dated_decision_stages(client):
    page = text(client.get("/hankkeet/kaveria-ei-jateta/"))
    for date, body in [
        ("8.10.2025", "Etelä-Savon ELY-keskuksen hankeryhmä"),
        ("31.10.2025", "Etelä-Savon ELY-keskuksen rakennerahastopalveluiden rahoituskokous"),
        ("9.12.2025", "Etelä-Savon maakunnan yhteistyöryhmän sihteeristö"),
    ]:
        assert f'<th scope="row">{date}</th><td>{body}</td>' in page


def test_kaveria_ei_jateta_emphasises_the_applied_totals_of_both_tables(client):
    page = text(client.get("/hankkeet/kaveria-ei-jateta/"))
    assert page.count('<tr class="total">') == 2
    total_rows = page.split('<tr class="total">')[1:]
    assert "Nettokustannusarvio yhteensä" in total_rows[0]
    assert "Rahoitussuunnitelma yhteensä" in total_rows[1]
    for row in total_rows:
        assert "216 618 €" in row.split("</tr>")[0]


def test_kaveria_ei_jateta_puts_planned_figures_in_the_planned_column(client):
    response = client.get("/hankkeet/kaveria-ei-jateta/")
    page = text(response)
    assert '<td class="num">60</td>\n          <td class="num"></td>' in page
    assert "“osallistuu 60 henkilöä”" in page
    assert len(response.context["project"].outcomes.all()) == 11


def test_kummin_kanssa_shows_its_code_funding_and_dates(client):
    page = text(client.get("/hankkeet/kummin-kanssa-tyokokeiluun/"))
    assert '<span class="tag">S21114</span>' in page
    assert "48 806 €" in page
    assert "KAKE-hanke" in page
    assert "1.10.2017" in page and "30.9.2018" in page
    assert 'href="/organisaatiot/viadia-pohjois-savo-ry/"' in page


def test_kummin_kanssa_shows_the_background_passage_in_place_with_a_link_to_its_line(client):
    page = text(client.get("/hankkeet/kummin-kanssa-tyokokeiluun/"))
    background = page.split('id="background-heading"')[1].split("</section>")[0]
    assert '<details class="source-passage">' in background
    assert "Hankekortti: S21114, Kummin kanssa työkokeiluun" in background
    assert "42–48" in background
    assert "Maahanmuuttajien olisi tärkeää päästä tutustumaan työpaikalle" in background
    assert 'href="/lahteet/hankekortti-s21114/#L42"' in background


def test_a_date_known_to_the_year_shows_only_the_year(client):
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    page = text(client.get("/hankkeet/hyva-alku-hameessa/"))
    assert "<dt>End date</dt><dd>2018</dd>" in page


def test_a_pilot_shows_the_reports_that_discuss_it_with_their_recommendations(client):
    page = text(client.get("/hankkeet/hyva-alku-hameessa/"))
    evaluations = page.split('id="evaluations-heading"')[1]
    assert 'href="/arvioinnit/hyva-alku-vuosiraportti-2019/"' in evaluations
    assert "Hankkeiden tiedot ja tulokset kokoavaa hakukone" in evaluations


def test_implementers_link_to_their_organisations_with_their_roles(client):
    page = text(client.get("/hankkeet/monet-polut-tyoelamaan/"))
    rows = [
        ("kiipulasaatio", "Kiipulasäätiö", "Päätoteuttaja"),
        ("koulutuskuntayhtyma-tavastia", "Koulutuskuntayhtymä Tavastia", "Osatoteuttaja"),
        (
            "lounais-hameen-ammatillisen-koulutuksen-ky",
            "Lounais-Hämeen ammatillisen koulutuksen ky",
            "Osatoteuttaja",
        ),
    ]
    row = r'<tr><th scope="row"><a href="/organisaatiot/([^/]+)/">([^<]+)</a></th><td>(\w+)</td>'
    assert re.findall(row, page.split('id="implementers-heading"')[1]) == rows


def test_a_national_project_says_so(client):
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    page = text(client.get("/hankkeet/pakolaistaustaisten-ohjaus/"))
    assert "National: across the whole country" in page


def test_kaiku_links_to_the_practice_model_it_developed(client):
    page = text(client.get("/hankkeet/kaiku/"))
    assert 'href="/toimintamallit/kumina/"' in page


@pytest.mark.parametrize(
    "slug",
    ["kaiku", "pakolaistaustaisten-ohjaus", "kaveria-ei-jateta", "kummin-kanssa-tyokokeiluun"],
)
def test_project_page_shows_no_contact_persons_details(client, slug):
    project = Project.objects.get(slug=slug)
    page = text(client.get(f"/hankkeet/{slug}/"))
    for contact in project.contacts.all():
        assert contact.email not in page
        assert contact.name not in page
        if contact.phone:
            assert contact.phone not in page
    assert not EMAIL.search(page)


def test_a_subproject_links_its_umbrella_project_and_the_umbrella_lists_it(client):
    subproject = text(client.get("/hankkeet/aidit-mukana/"))
    assert '<dd><a href="/hankkeet/kotona-suomessa/">Kotona Suomessa</a></dd>' in subproject
    umbrella = text(client.get("/hankkeet/kotona-suomessa/"))
    assert '<li><a href="/hankkeet/aidit-mukana/">Äidit mukana</a></li>' in umbrella
    assert '/hankkeet/kotona-suomessa/">Kotona Suomessa</a></dd>' not in umbrella


def test_unknown_project_is_404(client):
    assert client.get("/hankkeet/ei-tallaista/").status_code == 404


def add_rows(project: Project, count: int) -> None:
    """Give the project `count` more outcomes and implementers, each citing its document."""
    last = project.outcomes.count()
    Outcome.objects.bulk_create(
        Outcome(
            project=project,
            position=last + n + 1,
            kind=Outcome.Kind.PARTICIPANTS,
            stage=Outcome.Stage.ACHIEVED,
            value=n,
            unit=Outcome.Unit.PERSONS,
            document_id=project.document_id,
            first_line=1,
            last_line=2,
        )
        for n in range(count)
    )
    organisations = Organisation.objects.exclude(implementations__project=project)[:count]
    Implementation.objects.bulk_create(
        Implementation(project=project, organisation=organisation, role=Implementation.Role.PARTNER)
        for organisation in organisations
    )


def test_project_page_queries_do_not_grow_with_outcomes_or_implementers(
    client, django_assert_num_queries
):
    project = Project.objects.get(slug="kaveria-ei-jateta")
    # 1 project with round, programme, funder, administrator and decision, the names of its
    # umbrella project, regions, municipalities, target groups, subprojects and implementers,
    # and which cited relations have rows; prefetches: 2 decision stages, 3 budget lines, 4
    # outcomes, 5 section sources (it has no outputs, report mentions or practice models);
    # then 6 the cited source documents with the contact persons' lines and names to leave
    # out of them.
    with django_assert_num_queries(6):
        client.get("/hankkeet/kaveria-ei-jateta/")
    add_rows(project, 20)
    with django_assert_num_queries(6):
        response = client.get("/hankkeet/kaveria-ei-jateta/")
    assert len(response.context["project"].outcomes.all()) == 31
    assert len(response.context["project"].named["implementers"]) == 21
    assert response.content.decode().count("<td>Kumppani</td>") == 20


@pytest.mark.parametrize(
    "slug, queries, practice_models",
    [
        # project, section sources, documents: nothing else to ask for
        ("kotona-suomessa", 3, 0),
        # + outcomes, report mentions with reports, their recommendations, practice models
        ("kaiku", 7, 1),
    ],
)
def test_project_page_asks_only_for_the_cited_records_the_project_has(
    client, django_assert_num_queries, slug, queries, practice_models
):
    with django_assert_num_queries(queries):
        response = client.get(f"/hankkeet/{slug}/")
    project = response.context["project"]
    assert len(project.practice_models.all()) == practice_models
    assert len(project.outputs.all()) == 0
