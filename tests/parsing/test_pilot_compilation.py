from pathlib import Path

import pytest

from projects.parsing.pilot_compilation import parse_pilots
from projects.parsing.text import Lines, ParseError, SourceText

SOURCE = Path(__file__).resolve().parents[2] / "fixtures/sources/001_b7d4c47145c321c9.txt"


@pytest.fixture(scope="module")
def parsed():
    return parse_pilots(SourceText.load(SOURCE))


@pytest.fixture(scope="module")
def pilots(parsed):
    return {project.name: project for project in parsed[1]}


def test_compilation_has_three_rounds_of_eight_eight_and_nine_pilots(parsed):
    rounds, projects = parsed
    assert [funding_round.key for funding_round in rounds] == [
        "kotona-suomessa-1",
        "kotona-suomessa-2",
        "kotona-suomessa-3",
    ]
    assert len(projects) == 25
    per_round = [sum(p.funding_round == r.key for p in projects) for r in rounds]
    assert per_round == [8, 8, 9]


def test_second_round_holds_the_transition_phase_pilots(parsed):
    second = [p.name for p in parsed[1] if p.funding_round == "kotona-suomessa-2"]
    assert second == [
        "Briefcase – Oma polku ammattiin",
        "HOPE - Maahanmuuttajien ammatillisen työ- ja koulutuspolun edistäminen",
        "Kototakuu",
        "Monet polut työelämään",
        "NIPA – Nivelvaiheen palvelumalli kotoutumisen tueksi",
        "TOITA Maahanmuuttajien osaaminen työpaikoille",
        "Vertaista vailla",
        "Väylä työhön",
    ]


def test_rounds_carry_their_years_theme_and_summary_report(parsed):
    first, _, third = parsed[0]
    assert first.name == "Kotona Suomessa, 1. hankehaku (2015)"
    assert (first.call_year, first.first_year, first.last_year) == (2015, 2016, 2018)
    assert first.summary_report == "Maahanmuuttajien alkuvaiheen palvelujen malli (2018)"
    assert first.programme == "esr-2014-2020"
    assert first.coordinator == "kotona-suomessa"
    assert first.lines == Lines(2985, 2991)
    assert (third.call_year, third.first_year, third.last_year) == (2017, 2017, 2020)
    assert third.theme.startswith("Kolmas hankehaku toteutettiin vuonna 2017, ja hankkeet")
    assert third.summary_report == (
        "Mahdollisuuksia, toivoa ja luottamusta – kustannuksia säästäviä ratkaisuja "
        "maahanmuuttajien työllistymiseen (2019)"
    )


def test_pilot_keys_are_slugs_of_their_names_under_the_coordinator(pilots):
    mothers = pilots["Äidit mukana"]
    assert mothers.key == "aidit-mukana"
    assert mothers.parent == "kotona-suomessa"
    assert mothers.funding_round == "kotona-suomessa-3"
    assert mothers.programme == "esr-2014-2020"
    assert pilots["Hyvä alku Hämeessä"].key == "hyva-alku-hameessa"


def test_a_location_line_with_several_towns_gives_each_place(pilots):
    assert pilots["Hyvä alku Pohjois-Pohjanmaalla"].places == ["Oulu", "Pudasjärvi"]
    assert pilots["Töissä Suomessa"].places == ["Helsinki", "Vantaa", "Espoo"]
    assert pilots["Väylä työhön"].places == ["Pääkaupunkiseutu"]


def test_implementers_keep_document_order_with_the_first_as_main(pilots):
    implementers = pilots["Töissä Suomessa"].implementers
    assert [i.name for i in implementers] == [
        "Helsingin kaupunki",
        "Espoon kaupunki",
        "Vantaan kaupunki",
        "Moniheli ry.",
        "SAK",
        "Helsingin seudun kauppakamari",
    ]
    assert [i.role for i in implementers] == ["main"] + ["co"] * 5
    assert implementers[5].lines == Lines(3295, 3295)


def test_an_organisation_and_its_unit_joined_by_a_slash_stay_one_implementer(pilots):
    names = [i.name for i in pilots["Briefcase – Oma polku ammattiin"].implementers]
    assert len(names) == 6
    assert names[3] == (
        "Kotkan-Haminan seudun koulutuskuntayhtymä / Etelä-Kymenlaakson ammattiopisto"
    )
    assert names[4] == "Etelä-Karjalan koulutuskuntayhtymä"
    assert [i.name for i in pilots["Vertaista vailla"].implementers][-1] == (
        "Turun yliopisto/Brahea-keskus"
    )
    assert [i.name for i in pilots["Ote työhön"].implementers][-1] == "Silta-valmennusyhdistys ry"


def test_swedish_implementer_names_survive_their_line_wraps(pilots):
    assert [i.name for i in pilots["Hyvä alku Pohjanmaalla"].implementers] == [
        "Pohjanmaan liitto",
        "Vaasan kaupunki",
        "Österbottens förbund för utbildning och kultur samkommun/Yrkesakademin i Österbotten",
        "Intergrationsenheten i Jakostadsnejden",
        "Kust-Österbottens samkommun för social-och primarhelsovård",
    ]


def test_short_names_in_a_pilots_name_become_other_names(pilots):
    assert pilots["NIPA – Nivelvaiheen palvelumalli kotoutumisen tueksi"].other_names == ["NIPA"]
    assert pilots["TOITA Maahanmuuttajien osaaminen työpaikoille"].other_names == ["TOITA"]
    assert pilots["Tsempataan yhdessä – kumppanuudella työelämään"].other_names == [
        "Tsempataan yhdessä"
    ]
    assert pilots["Kototakuu"].other_names == []


def test_a_pilot_record_runs_from_its_heading_to_its_last_line_without_the_page_number(pilots):
    assert pilots["Kototakuu"].lines == Lines(3454, 3500)
    assert pilots["Äidit mukana"].lines == Lines(4118, 4180)
    assert pilots["Hyvä alku Hämeessä"].lines == Lines(2993, 3039)


def test_sections_hold_goals_and_results_as_clean_prose(pilots):
    west = pilots["Hyvä alku Länsirannikolla"]
    assert west.sections["goals"].lines == Lines(3050, 3056)
    assert west.sections["results"].lines == Lines(3060, 3077)
    assert west.sections["results"].text.startswith(
        "Hankkeessa perustettiin Porin kaupungin ohjaus- ja neuvontapiste MAINE"
    )
    assert "Omakielisiä ohjaajia valmistui 6." in west.sections["results"].text
    goals = pilots["Kototakuu"].sections["goals"].text
    assert "1. Toimintamallin ja vaihtoehtoisten jatkopolkujen suunnittelu ja kuvaaminen" in goals


def test_links_under_and_inside_a_pilot_become_one_output_each(pilots):
    outputs = pilots["Hyvä alku Hämeessä"].outputs
    assert [(o.kind, o.url[:30], o.lines) for o in outputs] == [
        ("link", "http://www.osaansuomea.fi", Lines(3028, 3029)),
        ("link", "https://kotouttaminen.fi/docum", Lines(3038, 3039)),
    ]
    assert outputs[1].title == "KotonaSuomessa_Maahanmuuttajien alkuvaiheen palvelumalli"
    assert [o.url for o in pilots["Kototakuu"].outputs] == ["http://www.tyonhakijansalo.fi"]


def test_outcomes_of_a_pilot_come_from_its_results(pilots):
    outcomes = pilots["The Nice Work Project"].outcomes
    assert [(o.kind, o.value, o.unit) for o in outcomes] == [
        ("participants", 203, "persons"),
        ("employed", 28, "percent"),
        ("in_education", 28, "percent"),
    ]
    assert {o.stage for o in outcomes} == {"achieved"}
    assert pilots["Kotona Jyväskylässä"].outcomes == []


def write_cut(tmp_path, last_line):
    lines = SOURCE.read_text(encoding="utf-8").split("\n")[:last_line]
    path = tmp_path / "001_cut.txt"
    path.write_text("\n".join(lines), encoding="utf-8")
    return SourceText.load(path)


def test_a_copy_cut_inside_the_second_round_names_the_document_and_a_line(tmp_path):
    with pytest.raises(ParseError) as error:
        parse_pilots(write_cut(tmp_path, 3600))
    assert error.value.document == "001_cut.txt"
    assert error.value.line == 3358
    assert "third funding round" in str(error.value)
    assert str(error.value).startswith("001_cut.txt, line 3358:")


def test_a_copy_missing_the_last_pilot_says_the_round_is_short(tmp_path):
    with pytest.raises(ParseError, match=r"line 3729: funding round 3 lists 8 pilot projects"):
        parse_pilots(write_cut(tmp_path, 4100))


def test_a_copy_cut_inside_the_last_pilots_results_says_where_the_text_stops(tmp_path):
    with pytest.raises(ParseError, match=r"line 4170: the results of “Äidit mukana” end mid-"):
        parse_pilots(write_cut(tmp_path, 4170))
