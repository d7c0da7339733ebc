"""The home page and the accessibility statement: structure, language, real counts, queries."""

import pytest
from django.conf import settings as django_settings

from projects.overview import Size

pytestmark = pytest.mark.django_db

PAGES = ["/", "/saavutettavuus/"]
ENTRY_POINTS = ["/hankkeet/", "/hakukierrokset/", "/maakunnat/", "/organisaatiot/", "/arvioinnit/"]


@pytest.fixture(autouse=True)
def feedback_email(settings):
    settings.FEEDBACK_EMAIL = "saavutettavuus@example.fi"


def html(response) -> str:
    assert response.status_code == 200
    return response.content.decode()


@pytest.mark.parametrize("path", PAGES)
def test_page_answers_with_exactly_one_h1(client, path):
    assert html(client.get(path)).count("<h1") == 1


@pytest.mark.parametrize("path", PAGES)
def test_skip_link_leads_to_the_one_main_element(client, path):
    page = html(client.get(path))
    assert 'href="#main-content"' in page
    assert page.count('id="main-content"') == 1
    assert page.count("<main") == 1


@pytest.mark.parametrize("language", ["fi", "sv", "en"])
def test_lang_attribute_follows_the_language_cookie(client, language):
    client.cookies[django_settings.LANGUAGE_COOKIE_NAME] = language
    assert f'<html lang="{language}">' in html(client.get("/"))


def test_lang_attribute_is_finnish_without_a_cookie(client):
    assert '<html lang="fi">' in html(client.get("/", headers={"accept-language": ""}))


def test_language_switcher_sets_the_cookie_and_returns_to_the_page(client):
    response = client.post("/i18n/setlang/", {"language": "sv", "next": "/saavutettavuus/"})
    assert response.status_code == 302
    assert response["Location"] == "/saavutettavuus/"
    assert response.cookies[django_settings.LANGUAGE_COOKIE_NAME].value == "sv"
    assert '<html lang="sv">' in html(client.get("/saavutettavuus/"))


def test_home_page_counts_are_the_records_in_the_database(client):
    response = client.get("/")
    context = response.context
    assert context["summary"]["count"] == 30
    assert [r.project_size for r in context["rounds"]] == [Size(8), Size(8), Size(9), Size(0)]
    assert context["region_count"] == 12
    assert context["organisation_count"] == 94
    assert context["report_count"] == 6
    page = html(response)
    for count in (30, 4, 12, 94, 6):
        assert f'<span class="entry-points__count">{count}</span>' in page


def test_home_page_shows_total_money_and_years_in_finnish_format(client):
    page = html(client.get("/"))
    # Realised public funding where known, else the applied total, over all 30 projects.
    assert "265\xa0424\xa0€" in page
    assert "2015–2020" in page


def test_home_page_links_to_every_entry_point_and_the_search(client):
    page = html(client.get("/"))
    for path in ENTRY_POINTS:
        assert f'href="{path}"' in page
    assert 'action="/haku/"' in page


def test_home_page_shows_the_overview_charts_with_tables(client):
    page = html(client.get("/"))
    assert page.count('class="chart"') == 2
    assert "Kotona Suomessa, 3. hankehaku (2017)" in page


def test_home_page_runs_a_fixed_number_of_queries(client, django_assert_num_queries):
    # 1 the size of the set of projects (projects.overview), 2 project count, money and years
    # with the achieved totals by kind (figures), 3 the rounds (listed and charted), 4 their
    # projects counted whole, as all projects were (sizes_by_key()), 5 projects per region
    # (charted, and counted), 6 organisations, 7 reports, 8 the size of those in no round
    # (chart).
    with django_assert_num_queries(8):
        client.get("/")


def test_accessibility_statement_names_the_law_the_authority_and_the_feedback_address(client):
    page = html(client.get("/saavutettavuus/"))
    assert "306/2019" in page
    assert "WCAG 2.1" in page
    assert "Liikenne- ja viestintävirasto Traficom" in page
    assert 'href="https://www.saavutettavuusvaatimukset.fi/"' in page
    assert 'href="mailto:saavutettavuus@example.fi"' in page
    assert "laadittu 23. marraskuuta 2026" in page


def test_accessibility_statement_needs_no_database(client, django_assert_num_queries):
    with django_assert_num_queries(0):
        client.get("/saavutettavuus/")
