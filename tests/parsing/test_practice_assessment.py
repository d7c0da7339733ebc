from datetime import date
from decimal import Decimal
from pathlib import Path

import pytest

from projects.parsing.practice_assessment import parse
from projects.parsing.records import Lines, Precision
from projects.parsing.text import ParseError, SourceText

ASSESSMENT = (
    Path(__file__).resolve().parents[2] / "fixtures" / "sources" / "003_1f83011d27571953.txt"
)


@pytest.fixture(scope="module")
def records():
    return parse(SourceText.load(ASSESSMENT))


@pytest.fixture(scope="module")
def project(records):
    [project] = records.projects
    return project


@pytest.fixture(scope="module")
def model(records):
    [model] = records.practice_models
    return model


def test_kaiku_ran_from_august_2015_to_december_2018_and_has_ended(project):
    assert (project.key, project.name) == ("kaiku", "Kaiku")
    assert project.start.value == date(2015, 8, 1)
    assert project.end.value == date(2018, 12, 31)
    assert project.start.precision == project.end.precision == Precision.DAY
    assert project.status == "ended"
    assert project.lines == Lines(34, 38)


def test_implementers_keep_the_documents_order_with_the_first_as_main(project):
    assert [(org.name, org.role) for org in project.implementers] == [
        ("Joensuun kaupunki", "main"),
        ("Kontiolahden kunta", "co"),
        ("Pohjois-Karjalan Sosiaaliturvayhdistys ry", "co"),
    ]
    assert project.places == ["Joensuu", "Kontiolahti"]


def test_esf_priority_axis_five_gives_the_programme(records, project):
    [programme] = records.programmes
    assert (programme.key, programme.fund, programme.detail) == (
        "esr-2014-2020",
        "ESR",
        "toimintalinja 5",
    )
    assert project.programme == "esr-2014-2020"


def test_contact_person_is_kept_with_organisation_and_email(project):
    [contact] = project.contacts
    assert contact.name == "Hilkka Pirhonen"
    assert contact.organisation == "Pohjois-Karjalan Sosiaaliturvayhdistys ry"
    assert contact.email == "hilkka.pirhonen@pksotu.fi"
    assert contact.lines == Lines(40, 42)


def test_target_group_and_background_come_from_the_kohderyhma_sub_section(project):
    assert project.target_groups_text == (
        "Toiminta on suunnattu pitkään työttömänä olleille henkilöille, joilla on suuntana työ "
        "tai koulutus."
    )
    background = project.sections["background"]
    assert background.text.startswith("Toiminta lähti liikkeelle havainnosta")
    assert background.text.endswith("Hankkeessa lähdettiin etsimään ratkaisua näihin havaintoihin.")
    assert background.lines == Lines(220, 228)


def test_sections_describe_the_model_its_evidence_and_its_rooting(project):
    assert project.sections["description"].lines == Lines(20, 26)
    assert project.sections["results"].text.startswith(
        "Säännöllisesti kerätyn asiakaspalautteen avulla on todennettu"
    )
    assert project.sections["dissemination"].text.endswith(
        "Toimintamalli on juurtunut Joensuun kaupungin työllisyyspalveluihin."
    )


def test_sixty_clients_a_year_is_the_one_figure_stated(project):
    [outcome] = project.outcomes
    assert (outcome.kind, outcome.stage, outcome.unit) == ("participants", "achieved", "persons")
    assert outcome.value == Decimal("60")
    assert outcome.lines == Lines(330, 330)


def test_assessment_is_a_report_by_sokra_and_thl_of_16_april_2019(records, project):
    [report] = records.reports
    assert report.key == "sokra-arvio-kumina-2019"
    assert report.kind == "practice_model_assessment"
    assert report.published.value == date(2019, 4, 16)
    assert report.evaluator_organisations == [
        "Sosiaalisen osallisuuden edistämisen koordinaatiohanke – Sokra",
        "Terveyden ja hyvinvoinnin laitos",
    ]
    assert "arvioitu1" not in report.summary
    assert report.summary.endswith("Sokran toimesta hankkeen dokumentaatiota hyödyntäen.")
    [mention] = report.mentions
    assert (mention.project, mention.status) == (project.key, "ended")


def test_kumina_belongs_to_kaiku_and_the_report(model):
    assert model.key == "kumina"
    assert model.name == "Kumina – työhön ja koulutukseen valmentava kuntouttava työtoiminta"
    assert (model.project, model.report) == ("kaiku", "sokra-arvio-kumina-2019")


def test_description_keeps_sub_headings_as_paragraphs_and_drops_the_footnote(model):
    paragraphs = model.description.text.split("\n\n")
    assert "Kohderyhmä ja kiinnittyminen" in paragraphs
    assert "Palvelussa aloittaminen oman arvion pohjalta" in paragraphs
    assert "Malli on arvioitu Terveyden" not in model.description.text
    assert model.description.lines == Lines(46, 244)


def test_one_criterion_for_each_viewpoint_the_document_assesses(model):
    participation, promising = model.criteria
    assert (participation.group, participation.name) == (
        "participation",
        "Osallisuuden toteutuminen mallissa",
    )
    assert participation.assessment.startswith("Toimintaan osallistuminen edellyttää")
    assert participation.lines == Lines(250, 326)
    assert (promising.group, promising.name) == (
        "promising_practice",
        "Toimintamalli lupaavana käytäntönä",
    )
    assert "Toiminta on helposti siirrettävissä eri alueille." in promising.assessment
    assert promising.lines == Lines(330, 350)


def test_truncated_assessment_names_the_document_and_the_missing_heading(tmp_path):
    copy = tmp_path / "assessment.txt"
    lines = ASSESSMENT.read_text(encoding="utf-8").split("\n")[:300]
    copy.write_text("\n".join(lines), encoding="utf-8")
    with pytest.raises(
        ParseError, match=r"^assessment\.txt, line 249: .*Toimintamalli lupaavana käytäntönä"
    ):
        parse(SourceText.load(copy))


def test_garbled_developer_dates_name_the_developer_line(tmp_path):
    copy = tmp_path / "assessment.txt"
    text = ASSESSMENT.read_text(encoding="utf-8").replace("31.12.2018", "31.13.2018")
    copy.write_text(text, encoding="utf-8")
    with pytest.raises(ParseError, match=r"^assessment\.txt, line 34: 31\.13\.2018 is not a date"):
        parse(SourceText.load(copy))
