"""Finnish text for search: clean what people type, fold diacritics, find lemmas and compound
parts with Voikko, and read a web-search style query ("a phrase", -excluded, or).

Text in, plain data out: nothing here touches the database (projects/search.py does).
"""

import re
import unicodedata
from dataclasses import dataclass, replace
from functools import lru_cache

import pyvoikko

MAX_QUERY_LENGTH = 200
MAX_TERMS = 10
WORD = re.compile(r"[^\W_]+")
# Voikko's word classes that carry meaning. Conjunctions, pronouns, adpositions, numerals and the
# negation verb would only add bulk: nearly every document has "ja", "se" and "ei".
CONTENT_CLASSES = frozenset(
    {
        "nimisana",
        "laatusana",
        "nimisana_laatusana",
        "teonsana",
        "etunimi",
        "sukunimi",
        "paikannimi",
        "nimi",
        "lyhenne",
    }
)
# Longer tokens are not words (URLs, runs of letters); Voikko would spend time on them for nothing.
LONGEST_WORD = 50
# Control characters (NUL), format characters (bidi marks, zero-width joiners), lone surrogates,
# private-use and unassigned code points: none of them belongs in a search.
DROPPED_CATEGORIES = frozenset({"Cc", "Cf", "Cs", "Co", "Cn"})
QUOTES = str.maketrans({"“": '"', "”": '"', "„": '"', "«": '"', "»": '"', "−": "-"})
QUERY_TOKEN = re.compile(r'(-?)"([^"]*)"?|(\S+)')


def clean(text: str) -> str:
    """Return text with compatibility forms unified, invisible and control characters dropped and
    whitespace folded to single spaces."""
    text = "".join(char for char in text if unicodedata.category(char) not in DROPPED_CATEGORIES)
    text = unicodedata.normalize("NFKC", text)
    return " ".join(text.split())


def fold(text: str) -> str:
    """Return text in lower case without diacritics, as typed without Finnish keys: työ -> tyo."""
    decomposed = unicodedata.normalize("NFKD", text.lower())
    return "".join(char for char in decomposed if not unicodedata.combining(char))


def words(text: str) -> list[str]:
    """Return the lower-case words of a text: runs of letters and digits ("S21114" -> "s21114")."""
    return WORD.findall(text.lower())


def is_vocabulary(word: str) -> bool:
    """Tell whether a word belongs in the word list that "did you mean" draws from."""
    return 3 <= len(word) <= LONGEST_WORD and not word.isdigit()


@lru_cache(maxsize=500_000)
def _readings(word: str) -> tuple[tuple[str, tuple[str, ...]], ...]:
    """Return (lemma, compound-part lemmas) for each content-word reading Voikko gives a word."""
    if not 2 <= len(word) <= LONGEST_WORD:
        return ()
    readings = []
    for analysis in pyvoikko.analyse(word):
        if analysis.CLASS not in CONTENT_CLASSES:
            continue
        parts = tuple(
            _lemma(part.BASEFORM)
            for part in analysis.COMPOUND_PARTS or ()
            if part.CLASS in CONTENT_CLASSES
        )
        readings.append((_lemma(analysis.BASEFORM), parts))
    return tuple(readings)


def _lemma(baseform: str) -> str:
    # Voikko marks morpheme boundaries inside a base form: "maahan=muuttaja".
    return baseform.replace("=", "").lower()


def lemmas(word: str) -> set[str]:
    """Return the base forms of a lower-case word, one per reading: "työllistymisen" -> työllistyä.

    Only single words: a base form with a hyphen or a space cannot stand as one search term.
    """
    return {lemma for lemma, _ in _readings(word) if WORD.fullmatch(lemma)}


def lemmas_and_parts(word: str) -> set[str]:
    """Return the base forms of a word and of each part of it that is a compound:
    "työllistymispalvelut" -> työllistymispalvelu, työllistyä, palvelu."""
    found = set()
    for lemma, parts in _readings(word):
        found.update(form for form in (lemma, *parts) if WORD.fullmatch(form))
    return found


def lemmas_and_parts_of(text: str) -> set[str]:
    """Return the distinct lemmas and compound parts of a text's words, to be indexed alongside
    the text itself."""
    found = set()
    for word in set(words(text)):
        found |= lemmas_and_parts(word)
    return found


def lemma_prefixes(word: str) -> set[str]:
    """Return the beginning a word shares with each of its lemmas, when four letters or more:
    "työllistyminen" (työllistyä) -> "työllisty", which begins "työllistymisen" too."""
    prefixes = set()
    for lemma in lemmas(word):
        length = 0
        while length < min(len(word), len(lemma)) and word[length] == lemma[length]:
            length += 1
        if length >= 4:
            prefixes.add(word[:length])
    return prefixes


@dataclass(frozen=True)
class Term:
    """A word, or words that must stand together (a quoted phrase, or a hyphenated word)."""

    words: tuple[str, ...]
    excluded: bool = False

    @property
    def is_phrase(self) -> bool:
        return len(self.words) > 1

    def __str__(self):
        text = " ".join(self.words)
        text = f'"{text}"' if self.is_phrase else text
        return f"-{text}" if self.excluded else text


@dataclass(frozen=True)
class Query:
    """A search as read from the box: every clause must match, and a clause matches when one of
    its terms does ("a or b"). An excluded term is a clause of its own that must not match."""

    clauses: tuple[tuple[Term, ...], ...] = ()
    shortened: bool = False

    def __bool__(self):
        """A query searches only with something to find: exclusions alone would match the world."""
        return any(not term.excluded for clause in self.clauses for term in clause)

    def __str__(self):
        return " ".join(" or ".join(str(term) for term in clause) for clause in self.clauses)

    @property
    def terms(self) -> list[Term]:
        return [term for clause in self.clauses for term in clause]

    def replace_words(self, replacements: dict[str, str]) -> "Query":
        """Return this query with single-word terms replaced, e.g. a misspelling by a known word."""
        return replace(
            self,
            clauses=tuple(
                tuple(
                    replace(term, words=(replacements.get(term.words[0], term.words[0]),))
                    if not term.is_phrase
                    else term
                    for term in clause
                )
                for clause in self.clauses
            ),
        )


def parse_query(text: str) -> Query:
    """Read a search the way web search engines do: words must all match, "quoted words" match
    as a phrase, -word excludes, and "a or b" matches either. Anything else is ignored, so no
    input is an error; overlong input is cut to MAX_QUERY_LENGTH characters and MAX_TERMS terms."""
    text = clean(text).translate(QUOTES)
    shortened = len(text) > MAX_QUERY_LENGTH
    text = text[:MAX_QUERY_LENGTH]
    clauses: list[tuple[Term, ...]] = []
    joins_previous = False
    for match in QUERY_TOKEN.finditer(text):
        minus, quoted, bare = match.groups()
        if bare is not None and bare.lower() == "or":
            joins_previous = bool(clauses)
            continue
        if bare is not None:
            minus, quoted = ("-", bare[1:]) if bare.startswith("-") else ("", bare)
        term = Term(tuple(words(quoted)), excluded=bool(minus))
        if not term.words:
            continue
        if sum(map(len, clauses)) == MAX_TERMS:
            shortened = True
            break
        if joins_previous and not term.excluded and not any(t.excluded for t in clauses[-1]):
            clauses[-1] = (*clauses[-1], term)
        else:
            clauses.append((term,))
        joins_previous = False
    return Query(tuple(clauses), shortened)


def name_key(text: str) -> str:
    """Return a name as the search compares whole names: its words, folded ("Väylä" -> "vayla")."""
    return fold(" ".join(words(text)))
