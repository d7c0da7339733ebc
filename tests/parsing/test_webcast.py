"""The parser of the 2020 webcast slides on immigration and integration (fixture 002)."""

from datetime import date
from pathlib import Path

import pytest

from projects.parsing.records import Precision
from projects.parsing.text import Lines, ParseError, SourceText
from projects.parsing.webcast import parse

SOURCE = Path(__file__).resolve().parents[2] / "fixtures" / "sources" / "002_a985242d530abe44.txt"


@pytest.fixture(scope="module")
def records():
    return parse(SourceText.load(SOURCE))


@pytest.fixture(scope="module")
def project(records):
    return records.projects[0]


def contact(project, name):
    return next(person for person in project.contacts if person.name == name)


def test_document_is_the_webcast_of_14_april_2020(records):
    assert records.kind == "webcast"
    assert records.title == "Työllisyystiistai 14.4.2020"
    assert "klo 11.00 Turku kotoutumista edistämässä (Palvelujohtaja Mika Helva" in records.summary
    assert records.reports == []


def test_the_only_project_is_the_national_pakolaistaustaisten_ohjaus(records, project):
    assert len(records.projects) == 1
    assert (project.key, project.name) == (
        "pakolaistaustaisten-ohjaus",
        "Pakolaistaustaisten ohjaus",
    )
    assert project.is_national is True
    assert project.places == []


def test_project_runs_from_april_2018_to_the_end_of_2020(project):
    assert project.start.value == date(2018, 4, 1)
    assert project.end.value == date(2020, 12, 31)
    assert project.start.precision == project.end.precision == Precision.DAY


def test_project_is_ongoing_on_the_day_of_the_talk(project):
    assert project.status == "ongoing"


def test_programme_is_amif_2014_2020_named_as_the_slide_names_it(records, project):
    [programme] = records.programmes
    assert project.programme == programme.key == "amif-2014-2020"
    assert programme.fund == "AMIF"
    assert programme.name == "Turvapaikka-, maahanmuutto- ja kotouttamisrahasto"
    assert programme.lines == Lines(358, 359)


def test_administrator_is_the_ely_centre_of_kaakkois_suomi(project):
    administrators = [ref for ref in project.implementers if ref.role == "administrator"]
    assert [ref.name for ref in administrators] == ["Kaakkois-Suomen ELY-keskus"]
    assert administrators[0].lines == Lines(356, 356)


def test_implementers_are_the_offices_where_the_staff_work(project):
    roles = {ref.name: ref.role for ref in project.implementers if ref.role in ("main", "co")}
    assert roles["Kaakkois-Suomen ELY-keskus"] == "main"
    assert roles["Työ- ja elinkeinoministeriö"] == "co"
    assert roles["Keski-Suomen ELY-keskus"] == "co"
    assert roles["Pohjois-Pohjanmaan TE-toimisto"] == "co"
    assert len(roles) == 15


def test_preparer_without_staff_is_a_partner_as_written(project):
    partners = [ref.name for ref in project.implementers if ref.role == "partner"]
    assert partners == ["OKM"]


def test_goals_and_target_group_come_from_their_slides(project):
    assert project.sections["goals"].text.startswith("Sujuvoittaa pakolaistaustaisten koulutus-")
    assert project.sections["goals"].lines == Lines(407, 417)
    assert project.target_groups_text.startswith(
        "Henkilöt, jotka saapuvat Suomeen pakolaiskiintiössä"
    )


def test_practice_the_project_developed_is_an_output(project):
    assert [(output.title, output.kind) for output in project.outputs] == [
        ("Kohtaava asiakastyö", "practice")
    ]


def test_speaker_email_is_kept_as_written(project):
    kanniainen = contact(project, "Antti Kanniainen")
    assert kanniainen.email == "antti.kanniainen@tem.fi"
    assert kanniainen.organisation == "Työ- ja elinkeinoministeriö"
    assert kanniainen.title == "projektiasiantuntija"
    assert kanniainen.phone == "0295029003"


def test_project_manager_works_at_the_leading_ely_centre(project):
    manager = contact(project, "Eija Asikainen")
    assert (manager.title, manager.organisation, manager.phone) == (
        "hankepäällikkö",
        "Kaakkois-Suomen ELY-keskus",
        "02950 26043",
    )


def test_slide_email_rule_gives_addresses_without_finnish_letters(project):
    assert contact(project, "Raisa Mänttäri").email == "raisa.manttari@ely-keskus.fi"
    assert contact(project, "Anna-Mari Väänänen").email == "anna-mari.vaananen@te-toimisto.fi"
    assert contact(project, "Saeed Bayazidi").organisation == "Etelä-Savon TE-toimisto"


def test_contacts_are_the_project_staff_only(project):
    assert len(project.contacts) == 16
    names = {person.name for person in project.contacts}
    assert not names & {"Sonja Hämäläinen", "Mika Helva", "Erja Lindberg"}


def test_slides_cut_before_the_practice_name_the_document_and_the_line(tmp_path):
    path = tmp_path / "002_truncated.txt"
    path.write_text("\n".join(SOURCE.read_text().split("\n")[:500]), encoding="utf-8")
    with pytest.raises(ParseError) as raised:
        parse(SourceText.load(path))
    assert (raised.value.document, raised.value.line) == ("002_truncated.txt", 462)
    assert "expected the actions slide" in str(raised.value)


def test_plan_slide_without_dates_fails_at_the_slide(tmp_path):
    path = tmp_path / "002_garbled.txt"
    path.write_text(SOURCE.read_text().replace("Toteutetaan 1.4.2018", "Toteutetaan"))
    with pytest.raises(ParseError, match=r"^002_garbled.txt, line 351: expected dates"):
        parse(SourceText.load(path))
