"""The parser of the ESF+ funding application "Kaveria ei jätetä" (fixture 004)."""

from datetime import date
from decimal import Decimal
from pathlib import Path

import pytest

from projects.parsing.funding_application import parse, to_decimal
from projects.parsing.text import Lines, ParseError, SourceText

SOURCE = Path(__file__).resolve().parents[2] / "fixtures" / "sources" / "004_753faef5c611e7c3.txt"


@pytest.fixture(scope="module")
def records():
    return parse(SourceText.load(SOURCE))


@pytest.fixture(scope="module")
def project(records):
    return records.projects[0]


def money_line(project, section, label):
    return next(
        line
        for line in project.decision.money_lines
        if line.section == section and line.label == label
    )


def test_document_is_one_rejected_application(records, project):
    assert records.kind == "funding_application"
    assert records.reports == []
    assert len(records.projects) == 1
    assert (project.key, project.name) == ("kaveria-ei-jateta", "Kaveria ei jätetä")
    assert project.status == "rejected"
    assert project.programme == "esr-plus-2021-2027"


def test_funder_is_the_ely_centre_of_etela_savo(project):
    assert project.funder.name == "Etelä-Savon ELY-keskus"
    assert project.funder.role == "funder"


def test_implementer_is_the_mikkeli_association(project):
    assert [(ref.name, ref.role) for ref in project.implementers] == [
        ("Mikkelin Seudun Invalidit ry", "main")
    ]


def test_places_are_the_region_and_the_municipality_and_the_project_is_not_national(project):
    assert project.places == ["Etelä-Savo", "Mikkeli"]
    assert project.is_national is False


def test_totals_are_the_applied_and_approved_net_costs(project):
    assert project.applied_total == Decimal("216618")
    assert project.approved_total == Decimal("0")


def test_salary_row_keeps_applied_approved_and_rejected_amounts(project):
    line = money_line(project, "cost", "Palkkakustannukset")
    assert (line.position, line.applied, line.approved, line.rejected) == (
        1,
        Decimal("154727"),
        Decimal("0"),
        Decimal("154727"),
    )
    assert line.lines == Lines(194, 194)


def test_flat_rate_row_keeps_its_percent_in_the_label_and_has_no_rejected_amount(project):
    line = money_line(project, "cost", "Flat rate 40 % kehittäminen")
    assert (line.applied, line.approved, line.rejected) == (Decimal("61891"), Decimal("0"), None)


def test_financing_rows_keep_applied_approved_and_share(project):
    public = money_line(project, "financing", "Haettava EU- ja valtion rahoitus")
    municipal = money_line(project, "financing", "Kuntarahoitus")
    own = money_line(project, "financing", "Omarahoitus: Yksityinen rahoitus")
    assert (public.applied, public.approved, public.share_percent) == (
        Decimal("173294"),
        Decimal("0"),
        Decimal("0"),
    )
    assert municipal.applied == Decimal("19499")
    assert own.applied == Decimal("4326")


def test_each_table_ends_with_its_total_row(project):
    totals = [line for line in project.decision.money_lines if line.is_total]
    assert [(t.section, t.label, t.applied) for t in totals] == [
        ("cost", "Nettokustannusarvio yhteensä", Decimal("216618")),
        ("financing", "Rahoitussuunnitelma yhteensä", Decimal("216618")),
    ]
    assert totals[1].share_percent == Decimal("100.00")
    assert [line.position for line in project.decision.money_lines] == [
        1,
        2,
        3,
        4,
        1,
        2,
        3,
        4,
        5,
        6,
    ]


def test_decision_is_not_funded_with_28_of_57_points(project):
    decision = project.decision
    assert (decision.funded, decision.score, decision.max_score) == (False, 28, 57)
    assert decision.reasoning.lines == Lines(214, 235)
    assert decision.reasoning.text.endswith(
        "Näillä perusteilla hanketta ei esitetä rahoitettavaksi."
    )


def test_stages_are_dated_meetings_of_named_bodies(project):
    assert [(stage.date, stage.body) for stage in project.decision.stages] == [
        (date(2025, 10, 8), "Etelä-Savon ELY-keskuksen hankeryhmä"),
        (date(2025, 10, 31), "Etelä-Savon ELY-keskuksen rakennerahastopalveluiden rahoituskokous"),
        (date(2025, 12, 9), "Etelä-Savon maakunnan yhteistyöryhmän sihteeristö"),
    ]


def test_planned_outcomes_count_participants_and_results(project):
    assert all(outcome.stage == "planned" for outcome in project.outcomes)
    assert [(o.kind, o.value, o.unit, o.label) for o in project.outcomes] == [
        ("participants", Decimal("60"), "persons", ""),
        ("other", Decimal("19"), "persons", "työttömiä"),
        ("other", Decimal("6"), "persons", "koulutuksessa olevia"),
        ("other", Decimal("2"), "persons", "työssä olevia"),
        ("other", Decimal("33"), "persons", "työmarkkinoiden ulkopuolella olevia"),
        ("job_seeking", Decimal("6"), "persons", "ryhtyy työnhakuun"),
        ("in_education", Decimal("3"), "persons", "sijoittuu koulutukseen"),
        ("employed", Decimal("2"), "persons", "työelämään"),
        ("employed", Decimal("25"), "percent", "osallistujista"),
        ("in_education", Decimal("12"), "percent", "osallistujista"),
        ("satisfaction", Decimal("4.5"), "score", "asiakastyytyväisyys"),
    ]


def test_an_outcome_split_over_two_lines_cites_both(project):
    outside = next(o for o in project.outcomes if o.value == Decimal("33"))
    assert outside.lines == Lines(157, 158)


def test_satisfaction_phrase_restores_the_lost_at_least_sign(project):
    satisfaction = project.outcomes[-1]
    assert satisfaction.phrase == "asiakastyytyväisyys ≥ 4,5/5"
    assert satisfaction.lines == Lines(28, 28)


def test_sections_split_the_description_and_keep_the_work_packages_as_actions(project):
    sections = project.sections
    assert set(sections) == {"goals", "description", "results", "actions", "notes"}
    assert sections["goals"].text.startswith("Kaveria ei jätetä -hankkeen päätavoite")
    assert sections["results"].lines == Lines(43, 46)
    actions = sections["actions"].text
    assert "Työpaketti 2. Valmennus ja kaveritukitoiminnan toteutus (5–18 kk)" in actions
    assert "\n\nTyöllistymisen ja osallisuuden vahvistaminen (19–24 kk)\n\n" in actions
    assert "työ/harjoittelupaikkoja" in actions
    assert sections["notes"].text.startswith("Mikkelin kaupunki on sopimuksella")


def test_target_group_is_the_documents_wording(project):
    assert project.target_groups_text.startswith("Hankkeen kohderyhmänä ovat työmarkkinatuella")
    assert project.target_groups_text.endswith("(yhteistyösopimus) ja Eloisan kautta.")


def test_programme_is_esr_plus_with_the_specific_objective(records):
    [programme] = records.programmes
    assert (programme.key, programme.fund) == ("esr-plus-2021-2027", "ESR+")
    assert programme.detail == "4.3. Yhdenvertaiseen osallisuuteen"


@pytest.mark.parametrize(
    ("written", "value"),
    [("154 727", "154727"), ("19 499€", "19499"), ("100,00", "100.00"), ("0", "0")],
)
def test_finnish_numbers_read_as_decimals(written, value):
    assert to_decimal(written) == Decimal(value)


def test_truncated_application_names_the_document_and_the_line(tmp_path):
    path = tmp_path / "004_truncated.txt"
    path.write_text("\n".join(SOURCE.read_text().split("\n")[:200]), encoding="utf-8")
    with pytest.raises(ParseError) as raised:
        parse(SourceText.load(path))
    assert (raised.value.document, raised.value.line) == ("004_truncated.txt", 199)
    assert str(raised.value).startswith("004_truncated.txt, line 199: expected the assessment")


def test_misread_amount_fails_at_the_total_row(tmp_path):
    path = tmp_path / "004_garbled.txt"
    text = SOURCE.read_text().replace("154 727 0 154 727", "154 72? 0 154 727")
    path.write_text(text, encoding="utf-8")
    with pytest.raises(ParseError, match=r"^004_garbled.txt, line 197: the rows add up to"):
        parse(SourceText.load(path))
