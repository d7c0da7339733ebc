"""Find the figures a passage states ("Kurssin kävi 311 henkilöä", "32 % työllistyi") as
Outcome records, each with the sentence it came from and the lines where the figure stands.

A figure is classified by the words around it, inside its clause: first what happened to the
people counted (employed, in education, ...), then what is counted (persons or things such as
courses). Figures that are not results are left out: years, dates, ordinals, durations ("10
viikon"), rates ("1 krt/vko"), sums of money.
"""

import re
from dataclasses import dataclass
from decimal import Decimal

from .records import Outcome
from .text import Lines, SourceText, clean_line, join_lines

PERSONS, STAFF, COUNT = "persons", "staff", "count"

# What happened to the people a figure counts; the earliest match in the clause decides.
DESTINATIONS = [
    (
        "employed",
        r"työllist(?:yi|yivät|yneet|yneitä|yneistä|ynyt|ettiin)\b|\btöihin\b|\btyöhön\b"
        r"|\btyöelämään\b",
    ),
    (
        "in_education",
        r"opiskel(?!ij)|opinto|koulutukseen\b|aloitti\w* koulutuksen|opetukseen\b",
    ),
    (
        "entrepreneurs",
        r"perusti\w* yrityksen|\boma yritys|\boman yrityksen|yrittäjyyden\b|yrittäjäksi\b"
        r"|yrittäjänä\b",
    ),
    ("job_seeking", r"työttöm(?:äksi|änä|inä|iä)\b|työelämän ulkopuolel"),
    ("satisfaction", r"tyytyväi"),
    ("other", r"eteenpäin|työkokeilu|työharjoittelu|kuntouttava"),
]
DESTINATION = re.compile("|".join(f"(?P<{kind}>{pattern})" for kind, pattern in DESTINATIONS))

# What a figure counts, tested word by word; more specific stems come first.
NOUNS = [
    (r"asiakaskäyn", "asiakaskäynnit", COUNT),
    (r"henkilöasiak", "henkilöasiakkaat", PERSONS),
    (r"vertaisohjaaj", "vertaisohjaajat", STAFF),
    (r"ohjaaj", "ohjaajat", STAFF),
    (r"opettaj", "opettajat", STAFF),
    (r"kurssilai", "kurssilaiset", PERSONS),
    (r"^heng", "henkilöt", PERSONS),
    (r"asiak", "asiakkaat", PERSONS),
    (r"henkilö", "henkilöt", PERSONS),
    (r"opiskelij", "opiskelijat", PERSONS),
    (r"osallistuj", "osallistujat", PERSONS),
    (r"maahanmuuttaj", "maahanmuuttajat", PERSONS),
    (r"muuttan(?:ut|eet|eita)", "maahan muuttaneet", PERSONS),
    (r"osaaj", "osaajat", PERSONS),
    (r"^nais|äiti|äidi|äite", "naiset", PERSONS),
    (r"^nuor(?:ta|ia|et|ten|ille)$", "nuoret", PERSONS),
    (r"yhteydeno", "yhteydenotot", COUNT),
    (r"intensiivijakso", "intensiivijaksot", COUNT),
    (r"orientaatiojakso", "orientaatiojaksot", COUNT),
    (r"jakso", "jaksot", COUNT),
    (r"vertaisryhm", "vertaisryhmät", COUNT),
    (r"ryhm", "ryhmät", COUNT),
    (r"kurss", "kurssit", COUNT),
    (r"valmennu", "valmennukset", COUNT),
    (r"koulutu", "koulutukset", COUNT),
    (r"tilaisuu", "tilaisuudet", COUNT),
    (r"työpaj", "työpajat", COUNT),
    (r"kummityöpaik", "kummityöpaikat", COUNT),
    (r"oppilaito", "oppilaitokset", COUNT),
    (r"ammattial", "ammattialat", COUNT),
    # "Neuvontaa annettiin koko Suomen alueella 15 kielellä": the languages a service ran in.
    (r"^kiel(?:ellä|elle|eltä|tä|en|iä|illä)$", "kielet", COUNT),
]

# Words that turn a count of persons into something other than the participants.
PERSON_CUES = [
    (r"valmistu", "valmistuneet {}"),
    (r"koulutettiin", "koulutetut {}"),
    (r"tavoitettiin|tavoittivat|tavoitti\b", "tavoitetut {}"),
    (r"kuukaudessa|viikossa|vuodessa|päivässä", "{} {cue}"),
]

WORD_NUMBERS = {
    **dict.fromkeys(["yksi", "yhden", "yhdelle"], 1),
    **dict.fromkeys(["kaksi", "kahden", "kahdelle"], 2),
    **dict.fromkeys(["kolme", "kolmen", "kolmelle"], 3),
    **dict.fromkeys(["neljä", "neljän", "neljälle"], 4),
    **dict.fromkeys(["viisi", "viiden", "viidelle"], 5),
    **dict.fromkeys(["kuusi", "kuuden", "kuudelle"], 6),
    **dict.fromkeys(["seitsemän", "seitsemälle"], 7),
    **dict.fromkeys(["kahdeksan", "kahdeksalle"], 8),
    **dict.fromkeys(["yhdeksän", "yhdeksälle"], 9),
    **dict.fromkeys(["kymmenen", "kymmenelle"], 10),
    **dict.fromkeys(["sata", "sataa", "sadalle"], 100),
    **dict.fromkeys(["tuhat", "tuhatta"], 1000),
}

NUMBER = r"\d{1,3}(?:[ \u00a0]\d{3})+(?!\d)|\d+(?:,\d+)?"
FIGURE = re.compile(
    rf"(?<![\w.,/])(?P<value>{NUMBER})(?:\s*[–-]\s*(?P<upto>{NUMBER}))?(?!\w)"
    r"(?P<percent>\s*%|\s+prosenttia\b)?(?P<score>\s*/\s*(?:5|10)\b)?"
    r"(?:\s*\((?P<paired>\d+)\))?"
    rf"|\b(?P<word>{'|'.join(WORD_NUMBERS)})\b",
    re.IGNORECASE,
)
NOT_COUNTED = re.compile(
    r"\s*(?:viiko?n|viikkoa|viikoksi|kuukauden|kuukautta|kk|päivän|päivää|vuoden|vuotta"
    r"|tunnin|tuntia|h|min|minuutin|vrk|€|euro[an]?|milj)\b"
    r"|\s*\w*\s*/\s*(?:vk|vko|viikko|kk|pv|päivä|v|vuosi|h)\b",
    re.IGNORECASE,
)
BOUNDARY = re.compile(r"[,;:()]|(?<!-) ja ")
TEMPORAL = re.compile(r"\s+(?:jälkeen|aikana|päättyessä|alussa|lopussa)\b")
URL = re.compile(r"https?://\S+|www\.\S+")
ABBREVIATIONS = {"n", "mm", "esim", "ml", "ns", "ks", "vrt", "ym", "yms", "tms", "jne", "klo"}
LONG_SENTENCE = 200


def find_outcomes(
    source: SourceText, first: int, last: int, stage: str = "achieved"
) -> list[Outcome]:
    """Return every figure lines first..last state, as Outcome records in document order.

    The same figure stated twice with the same meaning (kind, unit, value, label) is kept once.
    """
    outcomes: list[Outcome] = []
    seen: set[tuple] = set()
    for paragraph in _paragraphs(source, first, last):
        for start, end in _sentences(paragraph.text):
            for outcome in _sentence_outcomes(paragraph, start, end, stage):
                identity = (outcome.kind, outcome.unit, outcome.value, outcome.label)
                if identity not in seen:
                    seen.add(identity)
                    outcomes.append(outcome)
    return outcomes


@dataclass
class _Paragraph:
    """A paragraph of joined prose and the offset where each of its lines starts."""

    text: str
    starts: list[tuple[int, int]]

    def line_at(self, offset: int) -> int:
        return next(number for start, number in reversed(self.starts) if start <= offset)


@dataclass
class _Figure:
    """A number in a sentence; unit is "percent", "score" or "" (decided by its words)."""

    value: Decimal
    start: int
    end: int
    unit: str = ""
    upto: str = ""
    paired: Decimal | None = None
    is_word: bool = False


@dataclass
class _Reading:
    """What a figure means, and the span of the words that said so."""

    kind: str
    unit: str
    label: str
    span: tuple[int, int] | None = None


def _paragraphs(source: SourceText, first: int, last: int) -> list[_Paragraph]:
    groups: list[list[tuple[int, str]]] = [[]]
    for number in range(first, last + 1):
        raw = source.line(number)
        if clean_line(raw):
            groups[-1].append((number, raw))
        elif groups[-1]:
            groups.append([])
    paragraphs = []
    for group in filter(None, groups):
        raws = [raw for _, raw in group]
        # join_lines only ever appends a whole line, so a prefix's length locates each line.
        starts = [
            (len(join_lines(raws[: index + 1])) - len(clean_line(raw)), number)
            for index, (number, raw) in enumerate(group)
        ]
        text = URL.sub(lambda match: " " * len(match[0]), join_lines(raws))
        paragraphs.append(_Paragraph(text, starts))
    return paragraphs


def _sentences(text: str) -> list[tuple[int, int]]:
    spans, start = [], 0
    for match in re.finditer(r"[.!?]\s+(?=[A-ZÄÖÅ0-9”“\"])", text):
        before = text[start : match.start()].split()
        if before and before[-1].lower() in ABBREVIATIONS:
            continue
        spans.append((start, match.start() + 1))
        start = match.end()
    if start < len(text):
        spans.append((start, len(text)))
    return spans


def _sentence_outcomes(paragraph: _Paragraph, start: int, end: int, stage: str) -> list[Outcome]:
    text = paragraph.text
    figures = _figures(text, start, end)
    outcomes: list[Outcome] = []
    previous: _Reading | None = None
    for index, figure in enumerate(figures):
        left = figures[index - 1].end if index else start
        right = figures[index + 1].start if index + 1 < len(figures) else end
        reading = _read(text, figure, left, right, previous)
        if reading is None:
            continue
        previous = reading
        spans = [(figure.start, figure.end)] + ([reading.span] if reading.span else [])
        lines = Lines(
            min(paragraph.line_at(a) for a, _ in spans),
            max(paragraph.line_at(b - 1) for _, b in spans),
        )
        phrase = _phrase(text, start, end, spans)
        label = f"{reading.label} ({figure.value}–{figure.upto})" if figure.upto else reading.label
        outcomes.append(
            Outcome(reading.kind, stage, figure.value, reading.unit, phrase, lines, label)
        )
        if figure.paired is not None:
            outcomes.append(
                Outcome(reading.kind, stage, figure.paired, PERSONS, phrase, lines, label)
            )
    return outcomes


def _figures(text: str, start: int, end: int) -> list[_Figure]:
    figures = []
    for match in FIGURE.finditer(text, start, end):
        following = text[match.end() : end]
        if match["word"]:
            if not NOT_COUNTED.match(following):
                figures.append(
                    _Figure(
                        Decimal(WORD_NUMBERS[match["word"].lower()]),
                        match.start(),
                        match.end(),
                        is_word=True,
                    )
                )
            continue
        value = Decimal(re.sub(r"\s", "", match["value"]).replace(",", "."))
        has_unit = match["percent"] or match["score"]
        if not has_unit and (
            _is_ordinal(text, match.end("value"), end)
            or NOT_COUNTED.match(following)
            or _is_year(value, match, following)
        ):
            continue
        unit = "percent" if match["percent"] else "score" if match["score"] else ""
        upto = re.sub(r"\s", "", match["upto"]) if match["upto"] else ""
        paired = Decimal(match["paired"]) if match["paired"] else None
        figures.append(_Figure(value, match.start(), match.end(), unit, upto, paired))
    return figures


def _is_ordinal(text: str, at: int, end: int) -> bool:
    """Tell "3. sektorin" and "1.–2. luokkalaisille" from a figure ending a sentence."""
    return text[at : at + 1] == "." and at + 1 < end


def _is_year(value: Decimal, match: re.Match, following: str) -> bool:
    if not 1900 <= value <= 2099 or "," in match["value"]:
        return False
    if match["upto"]:
        return True
    word = following.split()[0] if following.split() else ""
    return _noun(word) is None and not word.startswith("kpl")


def _read(
    text: str, figure: _Figure, left: int, right: int, previous: _Reading | None
) -> _Reading | None:
    after_end = _first_boundary(text, figure.end, right)
    before_start = _last_boundary(text, left, figure.start)
    after = (figure.end, after_end)
    before = (before_start, figure.start)
    cue_text = text[before_start:after_end]
    reading = _destination(text, *after, figure) or _counted(text, *after, figure, cue_text)
    if reading or figure.is_word:
        return reading
    reading = _destination(text, *before, figure) or _counted(
        text, *before, figure, cue_text, forward=False
    )
    if reading:
        return reading
    if previous and previous.kind != "other" and previous.unit != "count":
        label = _label(text[after[0] : after[1]])
        return _Reading(previous.kind, figure.unit or PERSONS, label)
    if figure.unit == "score":
        return _Reading("satisfaction", "score", "")
    # A bare number ending its sentence is a list item or a page number, not a figure.
    words = re.findall(r"\w[\w-]*", text[after[0] : after[1]])
    if not words:
        return None
    return _Reading("other", figure.unit or COUNT, words[0])


def _first_boundary(text: str, start: int, end: int) -> int:
    match = BOUNDARY.search(text, start, end)
    return match.start() if match else end


def _last_boundary(text: str, start: int, end: int) -> int:
    found = start
    for match in BOUNDARY.finditer(text, start, end):
        found = match.end()
    return found


def _destination(text: str, start: int, end: int, figure: _Figure) -> _Reading | None:
    matches = list(DESTINATION.finditer(text, start, end))
    if not matches:
        return None
    segment = text[start:end]
    kinds = {match.lastgroup for match in matches}
    # "59 % pääsi töihin tai opiskelemaan": work or study is one figure of its own kind; other
    # alternatives of different kinds are one other figure.
    if len(kinds) > 1 and " tai " in segment:
        kind = "employed_or_education" if kinds == {"employed", "in_education"} else "other"
    else:
        kind = matches[0].lastgroup
    unit = figure.unit or PERSONS
    return _Reading(kind, unit, _label(segment), (matches[0].start(), matches[0].end()))


def _counted(
    text: str, start: int, end: int, figure: _Figure, cue_text: str, forward: bool = True
) -> _Reading | None:
    words = list(re.finditer(r"[\w-]+", text[start:end]))
    for word in words if forward else reversed(words):
        after_word = text[start + word.end() : end]
        if "taustai" in word[0].lower() or TEMPORAL.match(after_word):
            continue
        noun = _noun(word[0])
        if noun is None:
            continue
        label, category = noun
        span = (start + word.start(), start + word.end())
        if category == COUNT:
            return _Reading("other", figure.unit or COUNT, label, span)
        kind = "other" if category == STAFF else "participants"
        for pattern, template in PERSON_CUES:
            cue = re.search(pattern, cue_text)
            if cue:
                kind, label = "other", template.format(label, cue=cue[0])
        return _Reading(kind, figure.unit or PERSONS, label, span)
    return None


def _noun(word: str) -> tuple[str, str] | None:
    lowered = word.lower().strip("-")
    for pattern, label, category in NOUNS:
        if re.search(pattern, lowered):
            return label, category
    return None


def _label(segment: str) -> str:
    """Return a clause's words with the counted persons and fillers in front dropped."""
    words = segment.replace("(", " ").replace(")", " ").split()
    while words and (
        words[0].lower() in {"hankkeen", "kpl", "jopa", "noin", "n."}
        or (_noun(words[0]) or ("", ""))[1] == PERSONS
    ):
        words = words[1:]
    return " ".join(words).strip(" .,:;")


def _phrase(text: str, start: int, end: int, spans: list[tuple[int, int]]) -> str:
    """Return the sentence, or for a long one the comma-separated clauses the figure uses."""
    if end - start > LONG_SENTENCE:
        comma = text.rfind(", ", start, min(a for a, _ in spans))
        start = comma + 2 if comma != -1 else start
        comma = text.find(", ", max(b for _, b in spans), end)
        end = comma if comma != -1 else end
    return text[start:end].strip()
