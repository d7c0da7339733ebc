"""Evaluation reports and practice models: theses, recommendations, projects, fixed queries."""

import pytest

from evaluations.models import ProjectMention, Recommendation, Report
from projects.models import Project

pytestmark = pytest.mark.django_db


def html(response) -> str:
    assert response.status_code == 200
    return response.content.decode()


def test_report_list_shows_every_report_with_its_counts(client):
    response = client.get("/arvioinnit/")
    page = html(response)
    assert page.count("<h1") == 1
    reports = {r.slug: r for r in response.context["object_list"]}
    assert len(reports) == 6
    assert reports["hyva-alku-vuosiraportti-2019"].recommendation_count == 8
    assert reports["hyva-alku-vuosiraportti-2019"].project_count == 25
    assert 'href="/arvioinnit/hyva-alku-vuosiraportti-2019/"' in page
    assert 'href="/toimintamallit/kumina/"' in page


def test_report_three_shows_recommendation_four_about_the_search_engine(client):
    page = html(client.get("/arvioinnit/hyva-alku-vuosiraportti-2019/"))
    assert page.count("<h1") == 1
    four = page.split('id="recommendation-4"')[1].split("</li>")[0]
    assert "ministeriöt" in four
    assert "Hankkeiden tiedot ja tulokset kokoavaa hakukone" in four
    assert 'href="/lahteet/hyva-alku-arviointi-2020/#L1057"' in four


def test_report_three_names_its_evaluators_and_the_report_it_belongs_to(client):
    page = html(client.get("/arvioinnit/hyva-alku-vuosiraportti-2019/"))
    assert "Risto Karinen" in page
    assert 'href="/organisaatiot/owal-group-oy/"' in page
    assert 'href="/arvioinnit/hyva-alku-arviointi-2020/"' in page


def test_report_three_lists_the_projects_it_discusses_with_what_it_states(client):
    response = client.get("/arvioinnit/hyva-alku-vuosiraportti-2019/")
    page = html(response)
    assert len(response.context["report"].mentions.all()) == 25
    mention = ProjectMention.objects.get(
        report__slug="hyva-alku-vuosiraportti-2019", project__slug="the-nice-work-project"
    )
    row = page.split('href="/hankkeet/the-nice-work-project/"')[1].split("</tr>")[0]
    assert mention.get_status_display().capitalize() in row
    assert "2020" in row  # the end date it states, known to the month


def test_final_report_shows_its_ten_theses_and_its_appendices(client):
    response = client.get("/arvioinnit/hyva-alku-arviointi-2020/")
    page = html(response)
    assert len(response.context["report"].theses.all()) == 10
    assert "Hankkeiden viestintää on parannettava" in page
    for appendix in ["2017", "2018", "2019"]:
        assert f'href="/arvioinnit/hyva-alku-vuosiraportti-{appendix}/"' in page


def test_practice_model_page_shows_its_criteria_and_the_project_behind_it(client):
    page = html(client.get("/toimintamallit/kumina/"))
    assert page.count("<h1") == 1
    assert "Osallisuuden toteutuminen mallissa" in page
    assert "Toimintamalli lupaavana käytäntönä" in page
    assert 'href="/hankkeet/kaiku/"' in page
    assert 'href="/arvioinnit/sokra-arvio-kumina-2019/"' in page


def test_practice_model_page_shows_no_contact_persons_details(client):
    page = html(client.get("/toimintamallit/kumina/"))
    assert "hilkka.pirhonen@pksotu.fi" not in page
    assert "Hilkka Pirhonen" not in page


@pytest.mark.parametrize("path", ["/arvioinnit/ei-tallaista/", "/toimintamallit/ei-tallaista/"])
def test_unknown_report_or_practice_model_is_404(client, path):
    assert client.get(path).status_code == 404


def test_report_list_takes_three_queries(client, django_assert_num_queries):
    # 1 the reports with their parents and counts (subqueries), 2 their evaluators,
    # 3 the practice models with their projects.
    with django_assert_num_queries(3):
        html(client.get("/arvioinnit/"))


def test_report_page_queries_do_not_grow_with_recommendations_or_projects(
    client, django_assert_num_queries
):
    report = Report.objects.get(slug="hyva-alku-vuosiraportti-2017")
    # 1 the report with its parent; prefetches: 2 evaluators, 3 appendices, 4 theses,
    # 5 recommendations, 6 projects discussed, 7 practice models; then 8 the cited document
    # with the contact persons' lines to leave out of it.
    with django_assert_num_queries(8):
        html(client.get(report.get_absolute_url()))
    Recommendation.objects.bulk_create(
        Recommendation(
            report=report,
            number=100 + n,
            text="Lisäsuositus",
            document=report.document,
            first_line=report.first_line,
            last_line=report.first_line,
        )
        for n in range(20)
    )
    ProjectMention.objects.bulk_create(
        ProjectMention(
            report=report,
            project=project,
            document=report.document,
            first_line=report.first_line,
            last_line=report.first_line,
        )
        for project in Project.objects.exclude(mentions__report=report)
    )
    with django_assert_num_queries(8):
        response = client.get(report.get_absolute_url())
    assert len(response.context["report"].recommendations.all()) == 25
    assert len(response.context["report"].mentions.all()) == 30


def test_practice_model_page_takes_three_queries(client, django_assert_num_queries):
    # 1 the model with its project and report, 2 its criteria, 3 the cited document with the
    # contact persons' lines to leave out of it.
    with django_assert_num_queries(3):
        html(client.get("/toimintamallit/kumina/"))
