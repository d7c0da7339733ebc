from decimal import Decimal
from pathlib import Path

import pytest

from projects.parsing.outcomes import find_outcomes
from projects.parsing.text import Lines, SourceText

SOURCE = Path(__file__).resolve().parents[2] / "fixtures/sources/001_b7d4c47145c321c9.txt"


@pytest.fixture(scope="module")
def source():
    return SourceText.load(SOURCE)


def summary(outcomes):
    return [(o.kind, o.value, o.unit, o.label) for o in outcomes]


def test_clients_during_the_project_are_participants_on_their_line(source):
    clients, instructors = find_outcomes(source, 3060, 3077)
    assert (clients.kind, clients.value, clients.unit) == ("participants", 338, "persons")
    assert clients.stage == "achieved"
    assert clients.lines == Lines(3062, 3062)
    assert "asiakkaana oli hankeaikana 338 henkilöä" in clients.phrase
    assert summary([instructors]) == [("other", 6, "persons", "valmistuneet ohjaajat")]
    assert instructors.lines == Lines(3073, 3074)
    assert instructors.phrase == "Omakielisiä ohjaajia valmistui 6."


def test_courses_held_are_counted_apart_from_the_people_who_attended(source):
    assert summary(find_outcomes(source, 3149, 3169)) == [
        ("other", 28, "count", "kurssit"),
        ("participants", 311, "persons", "henkilöt"),
        ("other", 15, "count", "kielet"),
    ]


def test_a_share_with_its_breakdown_in_brackets_gives_one_outcome_per_figure(source):
    outcomes = find_outcomes(source, 3763, 3777)
    assert summary(outcomes) == [
        ("participants", 70, "persons", "asiakkaat"),
        ("employed_or_education", 59, "percent", "pääsi töihin tai opiskelemaan"),
        ("in_education", 19, "persons", "opiskelu"),
        ("employed", 21, "persons", "töihin"),
        ("entrepreneurs", 1, "persons", "oma yritys"),
    ]
    assert outcomes[1].phrase.startswith("70 asiakkaasta 59 % pääsi töihin tai opiskelemaan")
    assert outcomes[4].lines == Lines(3772, 3772)


def test_a_figure_whose_verb_is_left_out_takes_the_kind_before_it(source):
    employed = [o for o in find_outcomes(source, 3614, 3629) if o.kind == "employed"]
    assert [(o.value, o.label) for o in employed] == [
        (6, "työllistyi koulutuksen aikana"),
        (7, "koulutuksen jälkeen"),
    ]


def test_a_percentage_followed_by_a_count_in_brackets_gives_both(source):
    first, second = find_outcomes(source, 4001, 4002)[:2]
    assert (first.kind, first.value, first.unit) == ("employed", 59, "percent")
    assert (second.kind, second.value, second.unit) == ("employed", 104, "persons")


def test_durations_rates_and_ordinals_are_not_outcomes(source):
    # Äidit mukana: "1.–2. luokkalaisille", "3 pv/vk", "3 kk kestävän", "1pv/vk".
    assert [o.value for o in find_outcomes(source, 4145, 4180)] == [58, 18, 4, 13, 6]
    # Hyvä alku Pohjanmaalla: "10 viikon pituinen koulutus".
    assert find_outcomes(source, 3108, 3125) == []


def test_years_and_ranges_per_month_are_read_apart(source):
    monthly = find_outcomes(source, 3329, 3331)
    assert summary(monthly) == [
        ("other", 2200, "persons", "henkilöasiakkaat kuukaudessa (2200–3300)")
    ]


def test_number_words_count_only_when_they_count_something(source):
    assert summary(find_outcomes(source, 3393, 3407)) == [
        ("other", 5, "count", "ammattialat"),
        ("participants", 100, "persons", "henkilöt"),
    ]
    # Työnoste Raahe: "oli yksi paikka, josta he saivat ... apua" is no result.
    assert find_outcomes(source, 4100, 4117) == []


def test_satisfaction_thousands_and_planned_stage_in_other_texts():
    text = (
        "Kyselyyn vastanneista 87 % oli tyytyväisiä.\nArvosana 4,5/5.\n\nMukaan 1 200 osallistujaa."
    )
    outcomes = find_outcomes(SourceText("plan.txt", text), 1, 4, stage="planned")
    assert summary(outcomes) == [
        ("satisfaction", 87, "percent", "oli tyytyväisiä"),
        ("satisfaction", Decimal("4.5"), "score", ""),
        ("participants", 1200, "persons", "osallistujat"),
    ]
    assert {o.stage for o in outcomes} == {"planned"}
    assert outcomes[2].lines == Lines(4, 4)
