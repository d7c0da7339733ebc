"""Source documents: what was taken from each, the full text with line anchors, and no
personal data anywhere a document's text is shown."""

import re

import pytest

from evaluations.models import PracticeModel, Report
from projects.models import ContactPerson, Organisation, Project, SourceDocument, sources
from projects.personal_data import public_lines

EMAIL = re.compile(r"[\w.+-]+@[\w-]+\.[\w.-]+")
REMOVED = "[henkilötiedot poistettu]"


def html(response) -> str:
    assert response.status_code == 200
    return response.content.decode()


def test_lines_citing_a_contact_person_are_removed_whole():
    text = "Kehittäjä: Kaiku\nYhteyshenkilöt:\nhilkka.pirhonen@pksotu.fi\nMallin kuvaus\n"
    assert public_lines(text, {2, 3}, set()) == [
        "Kehittäjä: Kaiku",
        REMOVED,
        REMOVED,
        "Mallin kuvaus",
    ]


def test_contact_names_are_removed_in_either_order():
    lines = public_lines(
        "Projektiasiantuntija Antti Kanniainen, TEM\nKanniainen Antti, puh.",
        set(),
        {"Antti Kanniainen"},
    )
    assert lines == [f"Projektiasiantuntija {REMOVED}, TEM", f"{REMOVED}, puh."]


def test_email_addresses_and_phone_numbers_are_removed_anywhere():
    lines = public_lines(
        "Linkkipyynnöt: katariina.pohjola@kuntaliitto.fi\nHankepäällikkö, puh. 02950 26043\n"
        "Lahti, puh. 0295 056 048 tai +358 40 123 4567",
        set(),
        set(),
    )
    assert lines == [
        f"Linkkipyynnöt: {REMOVED}",
        f"Hankepäällikkö, puh. {REMOVED}",
        f"Lahti, puh. {REMOVED} tai {REMOVED}",
    ]


def test_money_and_years_are_not_taken_for_phone_numbers():
    text = "1 Palkkakustannukset 154 727 0 154 727\nvuosina 2019–2020, 48 806 €"
    assert public_lines(text, set(), set()) == text.split("\n")


@pytest.mark.django_db
def test_source_list_links_every_document(client):
    page = html(client.get("/lahteet/"))
    assert page.count("<h1") == 1
    for document in SourceDocument.objects.all():
        assert f'href="{document.get_absolute_url()}"' in page


@pytest.mark.django_db
def test_evaluation_report_text_has_an_anchor_on_each_of_its_4180_lines(client):
    page = html(client.get("/lahteet/hyva-alku-arviointi-2020/"))
    assert page.count("<h1") == 1
    assert page.count('<li id="L') == 4180  # the blank end of the text is not a line
    assert '<li id="L1057">' in page and '<li id="L4180">' in page


@pytest.mark.django_db
def test_evaluation_report_page_says_what_was_taken_from_it(client):
    response = client.get("/lahteet/hyva-alku-arviointi-2020/")
    page = html(response)
    document = response.context["sourcedocument"]
    assert len(response.context["projects"]) == 26
    assert document.recommendation_count == 17
    assert document.thesis_count == 10
    assert document.outcome_count == 64
    assert 'href="/hankkeet/toissa-suomessa/"' in page
    assert 'href="/arvioinnit/hyva-alku-vuosiraportti-2019/"' in page


@pytest.mark.django_db
def test_a_count_beyond_the_limit_is_shown_as_over_it(client, monkeypatch):
    monkeypatch.setattr(sources, "CITING_COUNTED_UP_TO", 20)
    response = client.get("/lahteet/hyva-alku-arviointi-2020/")
    page = html(response)
    document = response.context["sourcedocument"]
    # 64 figures and 26 projects are counted only as far as 21; 17 recommendations to the end
    assert (document.outcome_count, document.project_count) == (21, 21)
    assert document.recommendation_count == 17
    assert "<dt>Hankkeet</dt><dd>yli 20</dd>" in page
    assert "<dt>Tavoitteet ja toteumat</dt><dd>yli 20</dd>" in page
    assert "<dt>Suositukset</dt><dd>17</dd>" in page


@pytest.mark.django_db
def test_application_page_counts_the_decision_and_its_budget_lines(client):
    document = client.get("/lahteet/hakemus-kaveria-ei-jateta/").context["sourcedocument"]
    assert (document.decision_count, document.money_line_count, document.outcome_count) == (
        1,
        10,
        11,
    )


@pytest.mark.django_db
def test_no_detail_page_shows_a_contact_persons_name_email_or_phone(client):
    contacts = list(ContactPerson.objects.all())
    assert len(contacts) == 17
    pages = [
        *SourceDocument.objects.all(),
        *Project.objects.all(),
        *Report.objects.all(),
        *PracticeModel.objects.all(),
        *Organisation.objects.all(),
    ]
    for record in [*pages, "/lahteet/"]:
        path = record if isinstance(record, str) else record.get_absolute_url()
        page = html(client.get(path)).replace("\xa0", " ")
        assert not EMAIL.search(page), path
        for contact in contacts:
            assert contact.name not in page, path
            assert not contact.phone or contact.phone not in page, path


@pytest.mark.django_db
def test_the_kumina_assessment_keeps_the_lines_around_the_removed_contact(client):
    page = html(client.get("/lahteet/kumina-arvio-2019/"))
    assert f'<li id="L40">{REMOVED}</li>' in page
    assert "Kaiku-hanke, Joensuun kaupunki" in page


@pytest.mark.django_db
def test_unknown_source_document_is_404(client):
    assert client.get("/lahteet/ei-tallaista/").status_code == 404


@pytest.mark.django_db
def test_source_list_takes_one_query(client, django_assert_num_queries):
    # The documents without their text, with the contact persons' names to leave out.
    with django_assert_num_queries(1):
        html(client.get("/lahteet/"))


@pytest.mark.django_db
@pytest.mark.parametrize("slug", ["hankekortti-s21114", "hyva-alku-arviointi-2020"])
def test_source_page_takes_four_queries_whether_100_or_4180_lines(
    client, django_assert_num_queries, slug
):
    # 1 the document with its record counts and the contact persons' lines and names to leave
    # out (one subquery each), 2 the projects citing it, 3 the reports and 4 the practice
    # models read from it.
    with django_assert_num_queries(4):
        html(client.get(f"/lahteet/{slug}/"))
