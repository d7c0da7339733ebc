"""The Finnish, Swedish and English catalogues: complete, compiled, and used by the pages."""

import gettext
import html
import re

import polib
import pytest
from django.conf import settings
from django.utils import translation

from projects.models import Project

LANGUAGES = [code for code, _name in settings.LANGUAGES]
LOCALE = settings.LOCALE_PATHS[0]
PLACEHOLDER = re.compile(r"%\((\w+)\)s")
H1 = re.compile(r"<h1[^>]*>(.*?)</h1>", re.S)
KUMMIN_KANSSA = "/hankkeet/kummin-kanssa-tyokokeiluun/"


def catalog(language: str) -> polib.POFile:
    return polib.pofile(str(LOCALE / language / "LC_MESSAGES" / "django.po"))


def translations(entry: polib.POEntry) -> list[str]:
    if entry.msgid_plural:
        return [entry.msgstr_plural[index] for index in sorted(entry.msgstr_plural)]
    return [entry.msgstr]


def live_entries(language: str) -> list[polib.POEntry]:
    return [entry for entry in catalog(language) if not entry.obsolete]


def page(client, path: str, language: str | None) -> str:
    if language:
        client.cookies[settings.LANGUAGE_COOKIE_NAME] = language
    response = client.get(path)
    assert response.status_code == 200
    return response.content.decode()


def heading(content: str) -> str:
    return html.unescape(re.sub(r"<[^>]+>", "", H1.search(content).group(1))).strip()


@pytest.mark.parametrize("language", LANGUAGES)
def test_every_entry_of_the_catalogue_is_translated(language):
    untranslated = [entry.msgid for entry in live_entries(language) if not all(translations(entry))]
    assert untranslated == []


@pytest.mark.parametrize("language", LANGUAGES)
def test_no_entry_of_the_catalogue_is_fuzzy(language):
    assert [entry.msgid for entry in live_entries(language) if entry.fuzzy] == []
    assert not catalog(language).metadata_is_fuzzy


@pytest.mark.parametrize("language", LANGUAGES)
def test_every_translation_keeps_the_placeholders_of_its_source(language):
    changed = [
        (entry.msgid, text)
        for entry in live_entries(language)
        for text in translations(entry)
        if set(PLACEHOLDER.findall(text)) != set(PLACEHOLDER.findall(entry.msgid))
    ]
    assert changed == []


@pytest.mark.parametrize("language", LANGUAGES)
def test_finnish_and_swedish_plurals_have_two_forms(language):
    assert catalog(language).metadata["Plural-Forms"] == "nplurals=2; plural=(n != 1);"
    plurals = [entry for entry in live_entries(language) if entry.msgid_plural]
    assert plurals
    assert all(sorted(entry.msgstr_plural) == [0, 1] for entry in plurals)


@pytest.mark.parametrize("language", LANGUAGES)
def test_the_compiled_catalogue_holds_exactly_the_translations_of_its_source(language):
    """The .mo files are committed so that a fresh clone needs no gettext tools: a .po edited
    without running compilemessages afterwards shows up here."""
    with open(LOCALE / language / "LC_MESSAGES" / "django.mo", "rb") as mo_file:
        compiled = gettext.GNUTranslations(mo_file)._catalog
    expected = {}
    for entry in live_entries(language):
        key = f"{entry.msgctxt}\x04{entry.msgid}" if entry.msgctxt else entry.msgid
        if entry.msgid_plural:
            expected |= {(key, index): text for index, text in entry.msgstr_plural.items()}
        else:
            expected[key] = entry.msgstr
    compiled = {key: text for key, text in compiled.items() if key != ""}
    assert compiled == expected


def test_the_english_accessibility_statement_is_in_english():
    """Its source text is Finnish, so English, unlike elsewhere, cannot fall back to the msgid."""
    statement = [
        entry
        for entry in live_entries("en")
        if any(path.endswith("accessibility.html") for path, _line in entry.occurrences)
    ]
    assert statement
    assert [entry.msgid for entry in statement if entry.msgstr == entry.msgid] == []


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("language", "title", "button"),
    [
        (None, "Hankkeet", "Näytä hankkeet"),
        ("fi", "Hankkeet", "Näytä hankkeet"),
        ("sv", "Projekt", "Visa projekt"),
        ("en", "Projects", "Show projects"),
    ],
)
def test_the_project_list_speaks_the_chosen_language(client, language, title, button):
    content = page(client, "/hankkeet/", language)
    assert f'<html lang="{language or "fi"}">' in content
    assert heading(content) == title
    assert f'<button type="submit">{button}</button>' in content


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("language", "one", "two"),
    [
        ("fi", "(1 hanke)", "(2 hanketta)"),
        ("sv", "(1 projekt)", "(2 projekt)"),
        ("en", "(1 project)", "(2 projects)"),
    ],
)
def test_facet_counts_use_the_plural_of_the_chosen_language(client, language, one, two):
    content = page(client, "/hankkeet/", language)
    assert one in content
    assert two in content


@pytest.mark.django_db
def test_finnish_is_spoken_when_the_cookie_names_an_unknown_language(client):
    assert heading(page(client, "/hankkeet/", "de")) == "Hankkeet"


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("language", "money", "start"),
    [
        ("fi", "48\u00a0806\u00a0€", "1.10.2017"),
        ("en", "€48,806", "1 Oct 2017"),
    ],
)
def test_money_and_dates_follow_the_chosen_language(client, language, money, start):
    content = page(client, KUMMIN_KANSSA, language)
    assert money in content
    assert start in content


@pytest.mark.django_db
def test_the_accessibility_statement_is_in_swedish_for_swedish_readers(client):
    content = page(client, "/saavutettavuus/", "sv")
    assert heading(content) == "Tillgänglighetsutlåtande"
    assert "Saavutettavuuden tila" not in content


@pytest.mark.parametrize(
    ("language", "shown"), [("fi", "päättynyt"), ("sv", "avslutat"), ("en", "ended")]
)
def test_a_choice_is_shown_in_the_language_of_the_moment_it_is_shown(language, shown):
    # The choices' labels are looked up in a dict built once (NaturalKeyModel), not per call.
    ended, unknown = Project(status="ended"), Project(status="paused")
    ended.get_status_display()
    with translation.override(language):
        assert ended.get_status_display() == shown
        assert unknown.get_status_display() == "paused"
