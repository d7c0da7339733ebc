"""A person in a browser: search, filter, open a project, read a source passage, switch the
language, export CSV; and axe-core on every page type."""

import csv
import io

import pytest
from playwright.sync_api import expect

from tests.e2e.conftest import serious_accessibility_violations

# The browser reads through the portal process; the mark makes pytest-django set up the test
# database that process serves.
pytestmark = [pytest.mark.django_db, pytest.mark.version_neutral]

PAGE_TYPES = [
    "/",
    "/hankkeet/",
    "/hankkeet/?round=kotona-suomessa-3&region=01",
    "/hankkeet/kaveria-ei-jateta/",
    "/hankkeet/kummin-kanssa-tyokokeiluun/",
    "/haku/?q=maahanmuuttaja",
    "/organisaatiot/",
    "/organisaatiot/koulutuskuntayhtyma-tavastia/",
    "/hakukierrokset/",
    "/hakukierrokset/kotona-suomessa-3/",
    "/maakunnat/",
    "/maakunnat/01/",
    "/arvioinnit/",
    "/arvioinnit/hyva-alku-vuosiraportti-2019/",
    "/toimintamallit/kumina/",
    "/lahteet/",
    "/lahteet/hankekortti-s21114/",
    "/tilastot/",
    "/saavutettavuus/",
]


@pytest.mark.parametrize("path", PAGE_TYPES)
def test_every_page_type_has_no_serious_accessibility_violations(page, portal_url, path):
    response = page.goto(portal_url + path)
    assert response.status == 200
    assert page.locator("h1").count() == 1
    assert serious_accessibility_violations(page) == []


def test_a_person_finds_the_round_three_projects_in_uusimaa_in_two_clicks(page, portal_url):
    page.goto(portal_url + "/hankkeet/")
    page.get_by_text("Rajaa hakua").click()
    page.get_by_role("checkbox", name="Kotona Suomessa, 3. hankehaku").check()
    page.get_by_role("checkbox", name="Uusimaa").check()
    page.get_by_role("button", name="Näytä hankkeet").click()
    expect(page).to_have_url(
        f"{portal_url}/hankkeet/?q=&round=kotona-suomessa-3&region=01&year_from=&year_to="
        "&money_min=&money_max=&sort=name",
        timeout=5000,
    )
    titles = page.locator(".record-card__title a").all_inner_texts()
    assert len(titles) == 5
    assert "Äidit mukana" in titles


def test_search_then_open_a_project_and_read_the_source_of_a_section(page, portal_url):
    page.goto(portal_url + "/")
    page.get_by_role("searchbox").first.fill("S21114")
    page.get_by_role("searchbox").first.press("Enter")
    page.get_by_role("link", name="Kummin kanssa työkokeiluun").first.click()
    expect(page.locator("h1")).to_contain_text("Kummin kanssa työkokeiluun")
    passage = page.locator("details.source-passage").first
    passage.locator("summary").click()
    expect(passage).to_contain_text(
        "Lähde: Hankekortti: S21114, Kummin kanssa työkokeiluun, rivit 14–98"
    )
    expect(passage).to_contain_text("Etelä-Savon ELY-keskus, 48 806 €")


def test_why_kaveria_ei_jateta_was_not_funded_is_on_its_page(page, portal_url):
    page.goto(portal_url + "/hankkeet/kaveria-ei-jateta/")
    text = page.locator("main").inner_text()
    assert "28/57" in text.replace(" ", "")
    assert "Näillä perusteilla hanketta ei esitetä rahoitettavaksi." in text


def test_switching_the_language_keeps_the_page_and_changes_its_words(page, portal_url):
    page.goto(portal_url + "/hankkeet/?round=kotona-suomessa-1")
    assert page.locator("html").get_attribute("lang") == "fi"
    page.get_by_label("Kieli").select_option("sv")
    page.get_by_role("button", name="Vaihda kieli").click()
    expect(page.locator("html")).to_have_attribute("lang", "sv")
    assert page.url.endswith("/hankkeet/?round=kotona-suomessa-1")
    expect(page.locator("h1")).to_have_text("Projekt")


def test_the_csv_export_downloads_the_filtered_list(page, portal_url):
    page.goto(portal_url + "/hankkeet/?implementer=koulutuskuntayhtyma-tavastia")
    page.get_by_text("Lataa nämä hankkeet CSV-tiedostona").click()
    page.get_by_role("checkbox", name="Tila").uncheck()
    with page.expect_download() as download_info:
        page.get_by_role("button", name="Lataa 2 hanketta").click()
    download = download_info.value
    assert download.suggested_filename.startswith("esr-hankkeet-")
    rows = list(csv.reader(io.StringIO(download.path().read_text(encoding="utf-8-sig"))))
    assert "Tila" not in rows[0]
    assert [row[1] for row in rows[1:]] == ["Hyvä alku Hämeessä", "Monet polut työelämään"]
