"""Parse the compilation of Kotona Suomessa pilot projects that closes the developmental
evaluation report (fixtures/sources/001_b7d4c47145c321c9.txt, from line 2985 on).

The compilation has three funding rounds, each opened by a paragraph ("Ensimmäinen hankehaku
toteutettiin vuonna 2015, ...") and followed by its pilots. A pilot is a record of four
headings: "Hankkeen nimi ja sijainti" (the name, then the location on the last line),
"Hankkeen toteuttaja(t)", "Keskeiset tavoitteet" and "Toimenpiteet ja tulokset", after which
links may follow.
"""

import re
from urllib.parse import unquote, urlsplit

from django.utils.text import slugify

from .outcomes import find_outcomes
from .records import FundingRound, OrganisationRef, Output, Passage, Project
from .text import KEEP_HYPHEN_BEFORE, Lines, SourceText, clean_line, join_lines

PROGRAMME = "esr-2014-2020"
COORDINATOR = "kotona-suomessa"
ROUNDS = [(1, "Ensimmäinen", "first"), (2, "Toinen", "second"), (3, "Kolmas", "third")]
# The report's own lists of pilots (lines 343-385) name 8, 8 and 9 projects per round; another
# count means a truncated copy or a change of layout.
EXPECTED_PROJECTS = {1: 8, 2: 8, 3: 9}

ROUND_HEADER = r"koordinaatiohankkeen järjestämässä\s*$"
PROJECT_HEAD = r"^\s*Hankkeen nimi ja sijainti\s*$"
IMPLEMENTERS_HEAD = r"^\s*Hankkeen toteuttaja\(t\)\s*$"
GOALS_HEAD = r"^\s*Keskeiset tavoitteet\s*$"
RESULTS_HEAD = r"^\s*Toimenpiteet ja tulokset\s*$"
PAGE_NUMBER = re.compile(r"^\s*\d{1,3}\s*$")
LINK_LINE = r"^\s*https?://"
IN_TEXT_URL = re.compile(r"https?://\S+|www\.[\w./-]*\w")


def parse_pilots(source: SourceText) -> tuple[list[FundingRound], list[Project]]:
    """Return the three funding rounds and their 25 pilot projects, in document order."""
    intros = _round_intros(source)
    rounds: list[FundingRound] = []
    projects: list[Project] = []
    for index, (number, intro) in enumerate(intros):
        section_end = (
            _header_line(source, intros[index + 1][1]) - 1
            if index + 1 < len(intros)
            else len(source)
        )
        funding_round = _funding_round(source, number, intro)
        heads = [
            line
            for line in range(intro, section_end + 1)
            if re.match(PROJECT_HEAD, source.line(line))
        ]
        if len(heads) != EXPECTED_PROJECTS[number]:
            raise source.error(
                intro,
                f"funding round {number} lists {len(heads)} pilot projects, expected "
                f"{EXPECTED_PROJECTS[number]}",
            )
        ends = [head - 1 for head in heads[1:]] + [section_end]
        projects += [
            _project(source, head, end, funding_round.key)
            for head, end in zip(heads, ends, strict=True)
        ]
        rounds.append(funding_round)
    return rounds, projects


def _round_intros(source: SourceText) -> list[tuple[int, int]]:
    intros, start = [], 1
    for number, ordinal, english in ROUNDS:
        line = source.require(
            rf"^\s*{ordinal} hankehaku toteutettiin vuonna",
            start,
            what=f"the introduction of the {english} funding round (“{ordinal} hankehaku …”)",
        )
        intros.append((number, line))
        start = line + 1
    return intros


def _header_line(source: SourceText, intro: int) -> int:
    """Return the line of the heading above a round's introduction, or the introduction."""
    header = source.find(ROUND_HEADER, intro - 3, intro - 1)
    return header if header is not None else intro


def _funding_round(source: SourceText, number: int, intro: int) -> FundingRound:
    last = intro
    while last < len(source) and clean_line(source.line(last + 1)):
        if re.match(PROJECT_HEAD, source.line(last + 1)):
            break
        last += 1
    text = source.passage(intro, last)
    called = re.search(r"hankehaku toteutettiin vuonna (\d{4})", text)
    years = re.search(r"vuosina (\d{4})\s*[–-]\s*(\d{4})", text)
    report = re.search(r"raporttiin [”“\"](.+?)[”“\"]\s*\((\d{4})\)", text)
    if not (called and years and report):
        raise source.error(
            intro, f"the introduction of funding round {number} lacks its years or its report"
        )
    call_year = int(called[1])
    return FundingRound(
        key=f"kotona-suomessa-{number}",
        name=f"Kotona Suomessa, {number}. hankehaku ({call_year})",
        number=number,
        lines=Lines(_header_line(source, intro), last),
        programme=PROGRAMME,
        coordinator=COORDINATOR,
        call_year=call_year,
        first_year=int(years[1]),
        last_year=int(years[2]),
        theme=re.split(r"(?<=\.)\s+(?=[A-ZÄÖÅ])", text, maxsplit=1)[0],
        summary_report=f"{report[1]} ({report[2]})",
    )


def _project(source: SourceText, head: int, end: int, funding_round: str) -> Project:
    end = _last_content_line(source, head, end)
    implementers_head = source.require(
        IMPLEMENTERS_HEAD, head + 1, end, what=f"“Hankkeen toteuttaja(t)” of the pilot at {head}"
    )
    goals_head = source.require(
        GOALS_HEAD,
        implementers_head + 1,
        end,
        what=f"“Keskeiset tavoitteet” of the pilot at {head}",
    )
    results_head = source.require(
        RESULTS_HEAD, goals_head + 1, end, what=f"“Toimenpiteet ja tulokset” of the pilot at {head}"
    )
    name_lines = _content_lines(source, head + 1, implementers_head - 1)
    if len(name_lines) < 2:
        raise source.error(head, "a pilot needs a name and a location under its heading")
    name = join_lines([source.line(line) for line in name_lines[:-1]])
    location = clean_line(source.line(name_lines[-1]))

    link_start = source.find(LINK_LINE, results_head + 1, end)
    results_end = link_start - 1 if link_start else end
    goals = _section(source, goals_head + 1, results_head - 1)
    results = _section(source, results_head + 1, results_end)
    if not results.text.endswith((".", "!", "?", ")")):
        raise source.error(
            results.lines.last, f"the results of “{name}” end mid-sentence: is the text cut?"
        )
    return Project(
        key=slugify(name),
        name=name,
        lines=Lines(head, end),
        other_names=_other_names(name),
        programme=PROGRAMME,
        funding_round=funding_round,
        parent=COORDINATOR,
        implementers=_implementers(source, implementers_head + 1, goals_head - 1),
        places=[place.strip() for place in location.split(",") if place.strip()],
        sections={"goals": goals, "results": results},
        outcomes=find_outcomes(source, results.lines.first, results.lines.last),
        outputs=_links(source, results_head + 1, end),
    )


def _content_lines(source: SourceText, first: int, last: int) -> list[int]:
    return [line for line in range(first, last + 1) if clean_line(source.line(line))]


def _last_content_line(source: SourceText, first: int, last: int) -> int:
    """Return the last line of a record, leaving out trailing blanks and page numbers."""
    for line in range(last, first, -1):
        text = source.line(line)
        if clean_line(text) and not PAGE_NUMBER.match(text):
            return line
    return first


def _section(source: SourceText, first: int, last: int) -> Passage:
    lines = _content_lines(source, first, last)
    if not lines:
        raise source.error(first, "a pilot's section is empty")
    return Passage(_prose(source, lines[0], lines[-1]), Lines(lines[0], lines[-1]))


def _prose(source: SourceText, first: int, last: int) -> str:
    """Join lines into paragraphs, mending two breaks the PDF put inside a sentence.

    Kototakuu's goals (lines 3469-3478) put a blank line before a list item's lowercase
    continuation: the blank is dropped and each numbered item starts a paragraph instead.
    Its results wrap an address after a dot ("(www.tyonhakijansalo." + "fi)."): it is rejoined.
    """
    raws = [source.line(number) for number in range(first, last + 1)]
    lines: list[str] = []
    next_item = 0
    for index, raw in enumerate(raws):
        text = clean_line(raw)
        following = clean_line(raws[index + 1]) if index + 1 < len(raws) else ""
        if not text and following[:1].islower():
            continue
        if lines and lines[-1].endswith(":"):
            next_item = 1
        item = re.match(r"(\d+)\.\s+[A-ZÄÖÅ]", text)
        # Only a numbering that a colon opened is a list: "valmistui / 6. Hankkeen" is not.
        if item and next_item and int(item[1]) == next_item:
            lines.append("")
            next_item += 1
        if text and lines and re.search(r"www\.\S*\.$", lines[-1]):
            head, _, text = text.partition(" ")
            lines[-1] += head
            if not text:
                continue
        lines.append(text)
    return join_lines(lines)


def _implementers(source: SourceText, first: int, last: int) -> list[OrganisationRef]:
    """Split the implementers on commas; "/" joins an organisation and its unit, so it stays."""
    text, starts = "", []
    for line in _content_lines(source, first, last):
        # "Etelä- Kymenlaakson" (line 3371): a hyphenated name that the PDF split inside a line.
        part = re.sub(r"(?<=\w)- (?=[A-ZÄÖÅ])", "-", clean_line(source.line(line)))
        text = _join_name_line(text, part)
        starts.append((len(text) - len(part), line))
    organisations = []
    for match in re.finditer(r"[^,\s][^,]*[^,\s]|[^,\s]", text):
        first_line = max(line for start, line in starts if start <= match.start())
        last_line = max(line for start, line in starts if start < match.end())
        role = "co" if organisations else "main"
        organisations.append(OrganisationRef(match[0], role, Lines(first_line, last_line)))
    if not organisations:
        raise source.error(first, "a pilot names no implementers")
    return organisations


def _join_name_line(text: str, line: str) -> str:
    """Join a line of organisation names, keeping hyphens that belong to proper names.

    In the names a line-final hyphen after a capitalised word is part of the name:
    "Kotkan-/Haminan", "Etelä-/Karjalan", "Brahea-/keskus", "Silta-/valmennusyhdistys".
    """
    if not text:
        return line
    if not text.endswith("-") or KEEP_HYPHEN_BEFORE.match(line):
        return f"{text} {line}"
    if re.split(r"[\s/]", text)[-1][:1].isupper():
        return text + line
    return text[:-1] + line


def _other_names(name: str) -> list[str]:
    """Return the short names a pilot's name states: "NIPA" in "NIPA – Nivelvaiheen ..."."""
    names = []
    dashed = re.match(r"(.+?)\s+[–-]\s+\S", name)
    if dashed and len(dashed[1].split()) <= 3:
        names.append(dashed[1])
    acronym = re.match(r"([A-ZÄÖÅ]{3,})\s", name)
    if acronym and acronym[1] not in names:
        names.append(acronym[1])
    return names


def _links(source: SourceText, first: int, last: int) -> list[Output]:
    """Return the addresses in the pilot's text and the links under it, each once."""
    outputs: dict[str, Output] = {}
    for line in range(first, last + 1):
        text = clean_line(source.line(line))
        lines = Lines(line, line)
        # An address the PDF wrapped: "www.osaan-" + "suomea.fi-", "(www.tyonhakijansalo." + "fi)".
        wrapped = re.search(r"www\.\S*[.-]$", text)
        if wrapped and line < last and clean_line(source.line(line + 1)):
            text = text.removesuffix("-") + clean_line(source.line(line + 1)).split()[0]
            lines = Lines(line, line + 1)
        for match in IN_TEXT_URL.finditer(text):
            url = match[0] if "://" in match[0] else f"http://{match[0]}"
            if url in outputs:
                outputs[url].lines = Lines(outputs[url].lines.first, lines.last)
            else:
                outputs[url] = Output(_link_title(url), url, "link", lines)
    return list(outputs.values())


def _link_title(url: str) -> str:
    parts = urlsplit(url)
    name = unquote(parts.path.rstrip("/").rsplit("/", 1)[-1].replace("+", " "))
    return re.sub(r"\.\w{2,4}$", "", name) if name else parts.netloc
