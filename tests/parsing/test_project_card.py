from datetime import date
from decimal import Decimal
from pathlib import Path

import pytest

from projects.parsing.project_card import parse
from projects.parsing.records import Lines, Precision
from projects.parsing.text import ParseError, SourceText

CARD = Path(__file__).resolve().parents[2] / "fixtures" / "sources" / "000_262a80a8a10a29a4.txt"


@pytest.fixture(scope="module")
def records():
    return parse(SourceText.load(CARD))


@pytest.fixture(scope="module")
def project(records):
    [project] = records.projects
    return project


def test_project_is_named_and_coded_as_the_card_writes_it(project):
    assert project.key == "kummin-kanssa-tyokokeiluun"
    assert project.name == "Kummin kanssa työkokeiluun"
    assert project.code == "S21114"
    assert project.other_names == ["KAKE-hanke"]


def test_project_ran_from_october_2017_to_september_2018_and_has_ended(project):
    assert project.start.value == date(2017, 10, 1)
    assert project.end.value == date(2018, 9, 30)
    assert project.start.precision == project.end.precision == Precision.DAY
    assert project.status == "ended"


def test_funder_and_realised_public_funding_come_from_one_line(project):
    assert project.funder.name == "Etelä-Savon ELY-keskus"
    assert project.funder.role == "funder"
    assert project.funder.lines == Lines(28, 28)
    assert project.realised_public_funding == Decimal("48806")


def test_implementer_shares_its_line_with_the_label(project):
    [implementer] = project.implementers
    assert (implementer.name, implementer.role) == ("ViaDia Pohjois-Savo ry", "main")
    assert implementer.lines == Lines(30, 30)


def test_target_groups_keep_the_cards_wording(project):
    assert project.target_groups_text.startswith(
        "Oleskeluluvan saaneet maahanmuuttajataustaiset työttömät, työssä käyvät tai eläkkeellä"
    )
    assert project.target_groups_text.endswith("yritysten ja yhdistysten vastuuhenkilöt")


def test_each_labelled_section_is_mapped_and_the_empty_one_left_out(project):
    assert set(project.sections) == {"background", "goals", "actions", "results", "notes"}
    assert project.sections["goals"].text.startswith("Edistää osallisuutta, yhteisöllisyyttä")
    assert project.sections["background"].lines == Lines(42, 48)
    assert project.sections["results"].text == (
        "Huomatut palvelujärjestelmän katvealueet, joissa asiakas pääse siirtymään palveluista "
        "toiseen ilman tukea."
    )


def test_notes_join_the_hyphenated_label_and_keep_the_kummi_roles(project):
    notes = project.sections["notes"]
    assert notes.lines == Lines(90, 92)
    assert "työ- ja perhekummi, alakohtainen ja yleiskummi" in notes.text


def test_outputs_get_their_urls_from_the_list_once_each(project):
    by_title = {output.title: output for output in project.outputs}
    assert len(project.outputs) == 4
    assert by_title["Työkummin huoneentaulu (ViaDia Pohjois-Savo)"].url == (
        "http://www.viadia.fi/pohjois-savo/wp-content/uploads/2019/01/TY%C3%96KUMMIN-HUONEENTAULU.pdf"
    )
    assert by_title["Sosiaaliturvan tarkistuslista (EAPN, 2018)"].url == (
        "http://www.viadia.fi/pohjois-savo/wp-content/uploads/2019/01/"
        "Sosiaaliturvan-tarkistuslista-2018-ty%C3%B6kummeille.pdf"
    )
    practice = by_title["Kummin kanssa työelämään – maahanmuuttajien työllistymisen tukeminen"]
    assert (practice.kind, practice.url) == ("practice", "https://www.innokyla.fi/web/malli8614713")
    assert practice.lines == Lines(77, 77)
    register = by_title["Hanke RR-tietopalvelussa"]
    assert register.kind == "link"
    assert register.url == "https://www.eura2014.fi/rrtiepa/projekti.php?projektikoodi=S21114"


def test_card_is_a_report_by_sokra_published_in_december_2019(records, project):
    [report] = records.reports
    assert report.key == "sokra-hankekortti-s21114"
    assert report.kind == "project_card"
    assert (report.year, report.published.value) == (2019, date(2019, 12, 1))
    assert report.published.precision == Precision.MONTH
    assert report.evaluator_organisations == [
        "Sosiaalisen osallisuuden edistämisen koordinaatiohanke – Sokra"
    ]
    [mention] = report.mentions
    assert (mention.project, mention.status) == (project.key, "ended")


def test_programme_is_esf_priority_axis_five(records, project):
    [programme] = records.programmes
    assert (programme.key, programme.fund, programme.detail) == (
        "esr-2014-2020",
        "ESR",
        "toimintalinja 5",
    )
    assert project.programme == programme.key


def test_truncated_card_names_the_document_and_where_the_search_began(tmp_path):
    copy = tmp_path / "card.txt"
    copy.write_text("\n".join(CARD.read_text(encoding="utf-8").split("\n")[:70]), encoding="utf-8")
    with pytest.raises(ParseError, match=r"^card\.txt, line 69: .*Lupaavat osallisuuden"):
        parse(SourceText.load(copy))


def test_garbled_funding_names_the_line_of_the_amount(tmp_path):
    copy = tmp_path / "card.txt"
    text = CARD.read_text(encoding="utf-8").replace("48 806 €", "neljäkymmentä tuhatta €")
    copy.write_text(text, encoding="utf-8")
    with pytest.raises(ParseError, match=r"^card\.txt, line 28: expected '<funder>, <amount> €'"):
        parse(SourceText.load(copy))


def test_url_that_no_text_links_to_is_an_error(tmp_path):
    copy = tmp_path / "card.txt"
    copy.write_text(CARD.read_text(encoding="utf-8") + "https://example.org/\n", encoding="utf-8")
    with pytest.raises(ParseError, match=r"^card\.txt, line 100: no text in the card links to"):
        parse(SourceText.load(copy))
