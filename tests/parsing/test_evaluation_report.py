"""The Hyvä alku evaluation report (fixtures/sources/001_*): reports, theses, recommendations,
the pilots each report lists and what it says of them, and the umbrella project."""

from datetime import date
from pathlib import Path

import pytest
from django.utils.text import slugify

from projects.parsing.evaluation_recommendations import audience
from projects.parsing.evaluation_report import (
    apply_mentions,
    fourth_round,
    locate,
    parse,
    programme,
    read_reports,
    read_status,
    resolve_project,
    umbrella_project,
)
from projects.parsing.records import PartialDate, Precision, Project
from projects.parsing.text import Lines, ParseError, SourceText

SOURCE = Path(__file__).parents[2] / "fixtures" / "sources" / "001_b7d4c47145c321c9.txt"

# The 25 pilots of the compilation at the end of the document (from line 2985), as named there.
PILOTS = {
    "Hyvä alku Hämeessä": "Hämeenlinna",
    "Hyvä alku Länsirannikolla": "Pori",
    "Hyvä alku Pohjanmaalla": "Pohjanmaa",
    "Hyvä alku Pohjois-Pohjanmaalla": "Oulu",
    "Kotona Jyväskylässä": "Jyväskylä",
    "Paras alku Porvoossa": "Porvoo",
    "Töihin Suomeen": "Helsinki",
    "Töissä Suomessa": "Helsinki",
    "Briefcase – Oma polku ammattiin": "Kouvola",
    "HOPE - Maahanmuuttajien ammatillisen työ- ja koulutuspolun edistäminen": "Helsinki",
    "Kototakuu": "Salo",
    "Monet polut työelämään": "Hämeenlinna",
    "NIPA – Nivelvaiheen palvelumalli kotoutumisen tueksi": "Lahti",
    "TOITA Maahanmuuttajien osaaminen työpaikoille": "Tampere",
    "Vertaista vailla": "Turku",
    "Väylä työhön": "Pääkaupunkiseutu",
    "Mahdollisuudet todeksi": "Jyväskylä",
    "Matkalla työelämään": "Helsinki",
    "Ote työhön": "Helsinki",
    "Tsempataan yhdessä – kumppanuudella työelämään": "Vantaa",
    "The Nice Work Project": "Helsinki",
    "Tuettua työllistymistä maahanmuuttajille": "Oulu",
    "Valmiuksilla vauhtia työllistymiseen": "Oulu",
    "Työnoste Raahe": "Raahe",
    "Äidit mukana": "Vantaa",
}
NIPA = "nipa-nivelvaiheen-palvelumalli-kotoutumisen-tueksi"
NICE_WORK = "the-nice-work-project"


@pytest.fixture(scope="module")
def source():
    return SourceText.load(SOURCE)


def pilots():
    return [
        Project(slugify(name), name, Lines(2985, 2985), places=[place])
        for name, place in PILOTS.items()
    ]


@pytest.fixture(scope="module")
def reports(source):
    return read_reports(source, locate(source), pilots())


def by_key(reports, key):
    return next(report for report in reports if report.key == key)


def mention(report, project):
    return next(m for m in report.mentions if m.project == project)


def test_final_report_comes_first_with_its_evaluator(reports):
    final = reports[0]
    assert final.key == "hyva-alku-arviointi-2020"
    assert final.kind == "developmental_evaluation"
    assert final.year == 2020
    assert final.evaluator_person == "Risto Karinen"
    assert final.evaluator_organisations == ["Ramboll Management Consulting Oy", "Owal Group Oy"]


def test_annual_reports_follow_in_reverse_order_with_their_lines(reports):
    annual = reports[1:]
    assert [r.key for r in annual] == [
        "hyva-alku-vuosiraportti-2019",
        "hyva-alku-vuosiraportti-2018",
        "hyva-alku-vuosiraportti-2017",
    ]
    assert {r.kind for r in annual} == {"annual_evaluation"}
    assert {r.parent for r in annual} == {"hyva-alku-arviointi-2020"}
    assert [r.lines for r in annual] == [Lines(335, 1174), Lines(1175, 2087), Lines(2088, 2984)]
    assert annual[1].title == "Arviointiraportti 2 (koskien vuotta 2018)"


def test_annual_reports_are_dated_by_when_they_were_written(reports):
    annual = {r.year: r.published for r in reports[1:]}
    assert annual[2019] == PartialDate(date(2020, 1, 1), Precision.YEAR)
    assert annual[2018] == PartialDate(date(2019, 2, 1), Precision.MONTH)
    assert annual[2017] == PartialDate(date(2018, 1, 1), Precision.MONTH)


def test_final_report_has_ten_theses(reports):
    theses = reports[0].theses
    assert [t.number for t in theses] == list(range(1, 11))
    assert theses[0].lines == Lines(106, 126)


def test_thesis_nine_asks_for_a_search_engine_of_project_results(reports):
    thesis = reports[0].theses[8]
    assert thesis.title == "Hankkeiden tuotosten ja tulosten laajamittaista jakelua on kehitettävä"
    assert "Hankkeiden tiedot ja tulokset kokoava hakukone helpottaisi" in thesis.text
    assert thesis.text.endswith("kannattaako etsiä varsinaista lisätietoa.")


def test_thesis_text_is_joined_across_a_page_break(reports):
    assert "esimerkiksi työnantajakumppaneiden löytämisessä" in reports[0].theses[1].text


def test_each_report_keeps_the_document_numbering_of_its_recommendations(reports):
    numbers = [[r.number for r in report.recommendations] for report in reports]
    assert numbers == [[], list(range(1, 9)), [9, 10, 11, 12], [13, 14, 15, 16, 17]]


def test_report_three_recommendation_four_asks_for_a_search_engine(reports):
    fourth = by_key(reports, "hyva-alku-vuosiraportti-2019").recommendations[3]
    assert fourth.number == 4
    assert fourth.text.startswith("Hankkeiden tiedot ja tulokset kokoavaa hakukone, jota")
    assert fourth.text.endswith("tulisi ottaa tarkasteluun tulevaa rakennerahastokautta varten.")
    assert fourth.lines == Lines(1057, 1060)
    assert fourth.addressed_to == "ministeriöt"


def test_recommendation_split_across_columns_is_joined_to_its_start(reports):
    recommendations = by_key(reports, "hyva-alku-vuosiraportti-2019").recommendations
    third, sixth = recommendations[2], recommendations[5]
    assert "Tämä ei kuitenkaan kerro kokonaisvaltaisesti" in third.text
    assert third.text.endswith("tutkijoita ja projekteja tulisi eri tavoin saattaa yhteen.")
    assert third.lines == Lines(1135, 1136)
    assert "hyödyntää nykyistä enemmän lyhyitä esiselvityshankkeita" in sixth.text


def test_recommendations_name_whom_they_address(reports):
    groups = {r.number: r.addressed_to for report in reports[1:] for r in report.recommendations}
    assert groups[1] == "pilottihankkeet"
    assert groups[2] == "kaupungit ja ELY-keskukset"
    assert groups[5] == "TE-hallinto (ELY-keskukset ja TE-toimistot)"
    assert groups[9] == "Hyvä alku -hankeosio"
    # Printed before its subsection's heading, 15 still belongs to "Kansallinen kotouttamistyö".
    assert groups[15] == "Hyvä alku -hankeosio"
    assert groups[16] == "pilottihankkeet"


def test_audience_falls_back_to_the_subsection_heading():
    assert audience("Pilottien tulisi dokumentoida työnsä.", "Pilottihankkeiden loppukausi") == (
        "pilottihankkeet"
    )
    assert audience("Tulisi harkita jotain.", "Muu otsikko") == ""


def test_reports_mention_every_pilot_they_list(reports):
    assert [len(report.mentions) for report in reports] == [0, 25, 25, 8]


def test_a_list_entry_gives_status_end_and_implementers(reports):
    kototakuu = mention(by_key(reports, "hyva-alku-vuosiraportti-2018"), "kototakuu")
    assert kototakuu.status == "ongoing"
    assert kototakuu.end == PartialDate(date(2019, 3, 31))
    assert kototakuu.remark == "päättymässä 31.3.2019"
    assert kototakuu.implementers == ["Salon seudun ammattiopisto"]
    assert kototakuu.lines == Lines(1211, 1212)
    supported = mention(
        by_key(reports, "hyva-alku-vuosiraportti-2019"),
        "tuettua-tyollistymista-maahanmuuttajille",
    )
    assert supported.implementers == ["Nuorten ystävät ry"]
    assert supported.status == "ended"


def test_round_heading_and_introduction_give_status_to_entries_without_one(reports):
    report_2 = by_key(reports, "hyva-alku-vuosiraportti-2018")
    assert mention(report_2, "toihin-suomeen").status == "ended"
    assert mention(report_2, "aidit-mukana").status == "ongoing"
    report_1 = by_key(reports, "hyva-alku-vuosiraportti-2017")
    assert mention(report_1, "kotona-jyvaskylassa").status == "ongoing"
    assert mention(report_1, "kotona-jyvaskylassa").end == PartialDate(
        date(2018, 1, 1), Precision.YEAR
    )


def test_latest_report_sets_status_and_end_of_each_pilot(reports):
    projects = {project.key: project for project in pilots()}
    apply_mentions(list(projects.values()), reports)
    assert projects["kototakuu"].status == "ended"
    assert projects["kototakuu"].end == PartialDate(date(2019, 3, 31))
    assert projects[NICE_WORK].status == "ongoing"
    assert projects[NICE_WORK].end == PartialDate(date(2020, 8, 1), Precision.MONTH)
    assert projects["matkalla-tyoelamaan"].end == PartialDate(date(2020, 3, 1), Precision.MONTH)
    assert projects["aidit-mukana"].status == "ongoing"
    assert projects["aidit-mukana"].end is None
    assert projects["tyonoste-raahe"].status == "ended"
    assert projects["toihin-suomeen"].status == "ended"
    assert projects["toihin-suomeen"].end == PartialDate(date(2018, 1, 1), Precision.YEAR)
    assert projects[NIPA].status == "ended"


@pytest.mark.parametrize(
    ("phrase", "status", "end"),
    [
        ("päättynyt", "ended", None),
        ("käynnissä", "ongoing", None),
        ("päättyi 31.8.2018", "ended", PartialDate(date(2018, 8, 31))),
        ("päättyy maaliskuussa 2020", "ongoing", PartialDate(date(2020, 3, 1), Precision.MONTH)),
        ("jatkuu vuoden 2020 loppuun", "ongoing", PartialDate(date(2020, 1, 1), Precision.YEAR)),
        ("Edupoli/Careeria", "", None),
    ],
)
def test_status_phrases_read_as_status_and_end(phrase, status, end):
    assert read_status(phrase) == (status, end)


@pytest.mark.parametrize(
    ("name", "key"),
    [
        ("Nipa", NIPA),
        ("Nipa – Nivelvaiheen palvelumalli kotoutumisen tueksi", NIPA),
        ("Nice Work", NICE_WORK),
        ("Työnoste", "tyonoste-raahe"),
        (
            "TOITA – Maahanmuuttajien osaaminen työpaikoille",
            "toita-maahanmuuttajien-osaaminen-tyopaikoille",
        ),
        (
            "Kotona Jyväskylässä; Maahanmuuttajien kotoutumisen toimintamallin",
            "kotona-jyvaskylassa",
        ),
        ("Hyvä alku Pohjanmaalla - En bra start i Österbotten", "hyva-alku-pohjanmaalla"),
        ("Monet Polut Työelämään", "monet-polut-tyoelamaan"),
    ],
)
def test_report_names_resolve_to_compilation_projects(name, key):
    assert resolve_project(name, pilots()) == key


def test_ambiguous_or_unknown_names_resolve_to_nothing():
    assert resolve_project("Hyvä alku", pilots()) is None
    assert resolve_project("Hanketapaaminen", pilots()) is None


def test_umbrella_project_is_national_and_coordinated_by_uusimaa_ely(source):
    project = umbrella_project(source, locate(source))
    assert project.key == "kotona-suomessa"
    assert project.start == PartialDate(date(2015, 1, 1), Precision.YEAR)
    assert project.end == PartialDate(date(2020, 1, 1), Precision.YEAR)
    assert project.is_national
    assert project.programme == "esr-2014-2020"
    assert [(o.name, o.role) for o in project.implementers] == [("Uudenmaan ELY-keskus", "main")]
    assert project.sections["background"].lines == Lines(3, 7)
    assert (
        "valtakunnallinen kotoutumisen alkuvaiheen palvelumalli" in project.sections["goals"].text
    )


def test_fourth_round_is_the_ministry_theme(source):
    funding_round = fourth_round(source, locate(source))
    assert funding_round.key == "kotona-suomessa-4"
    assert funding_round.number == 4
    assert funding_round.theme == "Kasvua kansainvälisistä osaajista"
    assert funding_round.coordinator == "kotona-suomessa"
    assert programme(source).fund == "ESR"


def test_truncated_report_is_a_parse_error_naming_document_and_line(source, tmp_path):
    truncated = tmp_path / SOURCE.name
    truncated.write_text("\n".join(source.lines[:1100]), encoding="utf-8")
    with pytest.raises(ParseError) as error:
        parse(SourceText.load(truncated))
    assert error.value.document == SOURCE.name
    assert error.value.line == 1043
    assert str(error.value).startswith(f"{SOURCE.name}, line 1043: expected annual report 2")


@pytest.fixture(scope="module")
def records(source):
    return parse(source)


def test_parse_combines_pilots_umbrella_rounds_and_reports(records):
    assert records.kind == "developmental_evaluation"
    assert records.title.startswith("Kotona Suomessa – Hyvä alku")
    assert "Risto Karinen" in records.summary
    assert len(records.projects) == 26
    assert records.projects[0].key == "kotona-suomessa"
    assert [r.key for r in records.funding_rounds][-1] == "kotona-suomessa-4"
    assert len(records.funding_rounds) == 4
    assert [p.key for p in records.programmes] == ["esr-2014-2020"]
    assert len(records.reports) == 4


def test_parse_applies_report_statuses_to_the_compilation_pilots(records):
    projects = {project.key: project for project in records.projects}
    assert projects["briefcase-oma-polku-ammattiin"].status == "ended"
    assert projects["briefcase-oma-polku-ammattiin"].end == PartialDate(date(2019, 8, 31))
    assert projects["tsempataan-yhdessa-kumppanuudella-tyoelamaan"].status == "ongoing"
    assert projects["valmiuksilla-vauhtia-tyollistymiseen"].status == "ongoing"
    assert projects["kotona-suomessa"].status == "ended"
    every_mentioned = {m.project for report in records.reports for m in report.mentions}
    assert every_mentioned == set(projects) - {"kotona-suomessa"}
