"""Parse an ESF+ funding application printed with the funder's assessment (fixture 004).

The printout starts at the specific objective, describes the project and its work packages,
gives the target group, indicators, area and the two summary tables (cost estimate, financing
plan), and ends with the funder's assessment, the score, the dated handling stages and whether
the funder recommends the application.
"""

import re
from dataclasses import astuple
from datetime import date
from decimal import Decimal

from django.utils.text import slugify

from .records import (
    Decision,
    DecisionStage,
    DocumentRecords,
    MoneyLine,
    OrganisationRef,
    Outcome,
    Passage,
    Programme,
    Project,
)
from .text import Lines, SourceText, clean_line, join_lines

PROGRAMME_KEY = "esr-plus-2021-2027"
NUMBER = re.compile(r"^\d+(?:,\d+)?$")
STAGE = re.compile(r"^(?P<body>.*\S)\s+(?P<day>\d{1,2})\.(?P<month>\d{1,2})\.(?P<year>\d{4})$")


def parse(source: SourceText) -> DocumentRecords:
    """Return the project, its decision and its programme from a funding application."""
    objective = source.require(r"^\s*\d+\.\d+\.\s+\S", 1, 3, what="the specific objective")
    description = source.require(r"^Kuvaus hankkeen sisällöstä", objective, what="the description")
    actions = source.require(r"^Hankkeen toimenpiteet", description, what="the actions")
    more = source.require(r"^Lisätietoja hakemuksesta", actions, what="the further information")
    target = source.require(r"^Kohderyhmä:", more, what="the target group")
    indicators = source.require(r"^Osallistujat ja indikaattorit:", target, what="the indicators")
    financing = source.require(r"^RAHOITUS\b", indicators, what="the financing notes")
    area = source.require(r"^Hankkeen toteutusalue", financing, what="the area")
    costs = source.require(r"^Kustannusarvion tiivistelmä", area, what="the cost estimate")
    plan = source.require(r"^Rahoitussuunnitelman tiivistelmä", costs, what="the financing plan")
    assessment = source.require(r"^Rahoittajan arvio hankkeesta", plan, what="the assessment")
    score_line = source.require(r"^Pisteet:", assessment, what="the score")
    stages_head = source.require(r"^Ratkaisun perustelut", score_line, what="the stages")
    verdict_head = source.require(r"^Rahoittaja puoltaa", stages_head, what="the recommendation")

    paragraphs = _paragraphs(source, description + 1, actions - 1)
    if len(paragraphs) < 3:
        raise source.error(description, "expected goals, a description and results")
    goals, *middle, results = paragraphs
    source.require(r"tavoite", goals.first, goals.last, what="the main goal")
    source.require(r"tulok", results.first, results.last, what="the expected results")
    name = _project_name(source, goals.first)

    verdict_line = _next_text(source, verdict_head)
    verdict = source.line(verdict_line).strip()
    if verdict not in ("Ei", "Kyllä"):
        raise source.error(verdict_line, f"expected Ei or Kyllä, found {verdict!r}")
    funded = verdict == "Kyllä"

    cost_lines = _money_table(source, "cost", costs + 1, plan - 1)
    financing_lines = _money_table(source, "financing", plan + 1, assessment - 1)
    total = cost_lines[-1]
    stages = _stages(source, stages_head + 1, verdict_head - 1)
    objective_text = clean_line(source.line(objective))
    # The application names its fund only in passing ("ESR+ logiikalla"), never the programme.
    source.require(r"\bESR\+", what="the fund (ESR+)")
    score, max_score = _score(source, score_line)
    answer = _answers(source, area, "Onko hankkeen toiminta valtakunnallista", "Maakunnat")
    if answer not in (["Ei"], ["Kyllä"]):
        raise source.error(area, f"expected Ei or Kyllä for a national project, found {answer}")

    project = Project(
        key=slugify(name),
        name=name,
        lines=Lines(objective, verdict_line),
        status="applied" if funded else "rejected",
        programme=PROGRAMME_KEY,
        funder=_funder(source, stages),
        implementers=[_implementer(source, actions + 1)],
        places=_answers(source, area, "Maakunnat", "Kunnat")
        + _answers(source, area, "Kunnat", "Kustannusarvion ja rahoitussuunnitelman"),
        is_national=answer == ["Kyllä"],
        target_groups_text=source.passage(target + 1, indicators - 1),
        sections={
            "goals": _passage(source, goals.first, goals.last),
            "description": _passage(source, middle[0].first, middle[-1].last),
            "results": _passage(source, results.first, results.last),
            "actions": _passage(source, actions + 1, more - 1),
            "notes": _passage(source, financing + 1, area - 1),
        },
        applied_total=total.applied,
        approved_total=total.approved,
        outcomes=_indicator_outcomes(source, indicators + 1, financing - 1)
        + _measured_outcomes(source, middle[0].first, middle[-1].last),
        decision=Decision(
            funded=funded,
            reasoning=_passage(source, assessment + 1, score_line - 1),
            score=score,
            max_score=max_score,
            stages=stages,
            money_lines=cost_lines + financing_lines,
            lines=Lines(assessment, verdict_line),
        ),
    )
    programme = Programme(
        key=PROGRAMME_KEY,
        name="ESR+",
        fund="ESR+",
        lines=Lines(objective, objective),
        detail=objective_text,
    )
    verdict_text = "puoltaa" if funded else "ei puolla"
    return DocumentRecords(
        document=source.name,
        title=f"{name} (rahoitushakemus)",
        kind="funding_application",
        summary=(
            f"ESR+-rahoitushakemus {name} ({project.implementers[0].name}), erityistavoite "
            f"{objective_text}. Haettu {_euros(total.applied)} €; rahoittajan arvio "
            f"{score}/{max_score} pistettä, rahoittaja "
            f"{verdict_text} hakemuksen hyväksymistä."
        ),
        projects=[project],
        programmes=[programme],
    )


def _paragraphs(source: SourceText, first: int, last: int) -> list[Lines]:
    """Return the runs of non-blank lines from first to last."""
    runs: list[Lines] = []
    start = None
    for number in range(first, last + 1):
        if source.line(number).strip():
            start = number if start is None else start
        elif start is not None:
            runs.append(Lines(start, number - 1))
            start = None
    if start is not None:
        runs.append(Lines(start, last))
    if not runs:
        raise source.error(first, "expected text but found only blank lines")
    return runs


def _next_text(source: SourceText, line: int) -> int:
    return source.require(r"\S", line + 1, what="a value after the heading")


def _passage(source: SourceText, first: int, last: int) -> Passage:
    """Return lines first..last as prose, giving each "- " list item its own paragraph."""
    first, last = astuple(source.trimmed(first, last))
    lines: list[str] = []
    for raw in source.lines[first - 1 : last]:
        line = clean_line(raw)
        if line.startswith("- "):
            lines += ["", line[2:]]
        elif lines and lines[-1].endswith("/"):
            # "työ/" + "harjoittelupaikkoja" is one word broken after a slash.
            lines[-1] += line
        else:
            lines.append(line)
        # A work package heading ends with its months ("kk)") and its text follows at once.
        if re.search(r"\d+\s*kk\)$", line):
            lines.append("")
    text = join_lines(lines)
    text = re.sub(r"\(\s+", "(", text)
    text = re.sub(r" +([.,;)])", r"\1", text)
    return Passage(text, Lines(first, last))


def _project_name(source: SourceText, line: int) -> str:
    match = re.match(r"^(.+?) -hank", source.line(line).strip())
    if not match:
        raise source.error(line, "expected the description to begin with the project's name")
    return match.group(1)


def _implementer(source: SourceText, line: int) -> OrganisationRef:
    """Return the association whose activity the first work package sets up."""
    found = source.require(r"ry:n\b", line, line + 2, what="the implementing association")
    match = re.search(r"((?:[A-ZÄÖÅ][\w-]*\s)+ry):n\b", source.line(found))
    if not match:
        raise source.error(found, "expected the name of the implementing association")
    return OrganisationRef(match.group(1), "main", Lines(found, found))


def _answers(source: SourceText, start: int, question: str, next_question: str) -> list[str]:
    """Return the comma-separated answers between a question and the next one in a form."""
    asked = source.require(rf"^{re.escape(question)}", start, what=repr(question))
    following = source.require(rf"^{re.escape(next_question)}", asked + 1, what=repr(next_question))
    answers = [
        part.strip()
        for line in source.lines[asked : following - 1]
        for part in line.split(",")
        if part.strip()
    ]
    if not answers:
        raise source.error(asked, f"expected an answer to {question!r}")
    return answers


def _funder(source: SourceText, stages: list[DecisionStage]) -> OrganisationRef:
    """Return the ELY centre whose funding meeting handled the application."""
    for stage in stages:
        match = re.match(r"^(.+ ELY-)keskuksen\b.*rahoituskokous", stage.body)
        if match:
            return OrganisationRef(f"{match.group(1)}keskus", "funder", stage.lines)
    raise source.error(stages[0].lines.first, "expected a funding meeting of an ELY centre")


def _stages(source: SourceText, first: int, last: int) -> list[DecisionStage]:
    stages = []
    for number in range(first, last + 1):
        line = clean_line(source.line(number))
        if not line:
            continue
        match = STAGE.match(line)
        if not match:
            raise source.error(number, f"expected a body and a date, found {line!r}")
        day, month, year = (int(match.group(part)) for part in ("day", "month", "year"))
        stages.append(DecisionStage(date(year, month, day), match["body"], Lines(number, number)))
    if not stages:
        raise source.error(first, "expected the dated handling stages")
    return stages


def _score(source: SourceText, line: int) -> tuple[int, int]:
    match = re.match(r"^Pisteet:\s*(\d+)\s*/\s*(\d+)\s*$", source.line(line).strip())
    if not match:
        raise source.error(line, "expected the score as Pisteet: N/M")
    return int(match.group(1)), int(match.group(2))


def to_decimal(text: str) -> Decimal:
    """Return a Finnish-written number ("154 727", "19 499€", "100,00") as a Decimal."""
    return Decimal(re.sub(r"[\s\u00a0€]", "", text).replace(",", "."))


def _euros(amount: Decimal | None) -> str:
    return f"{amount:,}".replace(",", " ")


def _group_numbers(tokens: list[str]) -> list[str]:
    """Group tokens into numbers written with spaces between thousands: 154 727 0 → 154727, 0."""
    numbers: list[str] = []
    for token in tokens:
        previous = numbers[-1] if numbers else ""
        joins = previous and not previous.startswith("0") and "," not in previous
        if joins and re.fullmatch(r"\d{3}(?:,\d+)?", token):
            numbers[-1] = previous + token
        else:
            numbers.append(token)
    return numbers


# The cost table's flat-rate row leaves its rejected column empty.
COLUMNS = {
    "cost": ("applied", "approved", "rejected"),
    "financing": ("applied", "approved", "share_percent"),
}


def _money_table(source: SourceText, section: str, first: int, last: int) -> list[MoneyLine]:
    """Return the rows of a summary table; the header lines come before the first row."""
    columns = COLUMNS[section]
    rows: list[MoneyLine] = []
    for number in range(first, last + 1):
        line = clean_line(source.line(number))
        tokens = line.split()
        split = len(tokens)
        while split > 0 and NUMBER.match(tokens[split - 1]):
            split -= 1
        if split == len(tokens):
            if rows and line:
                raise source.error(number, f"expected a row with amounts, found {line!r}")
            continue
        label = re.sub(r"^\d+\s+", "", " ".join(tokens[:split]))
        numbers = _group_numbers(tokens[split:])
        if not label or not 2 <= len(numbers) <= len(columns):
            raise source.error(number, f"expected a label and amounts, found {line!r}")
        values = {name: to_decimal(n) for name, n in zip(columns, numbers, strict=False)}
        rows.append(
            MoneyLine(
                section=section,
                position=len(rows) + 1,
                label=label,
                is_total="yhteensä" in label,
                lines=Lines(number, number),
                **values,
            )
        )
    if not rows or not rows[-1].is_total:
        raise source.error(last, f"expected the {section} table to end with its total row")
    _check_total(source, rows)
    return rows


def _check_total(source: SourceText, rows: list[MoneyLine]) -> None:
    """Check that the applied amounts add up, which catches a misread row."""
    *items, total = rows
    # "Tulot (vähennetään kustannuksista)": income is subtracted from the costs.
    added = sum(
        (-row.applied if "vähennetään" in row.label else row.applied for row in items),
        Decimal(0),
    )
    if added != total.applied:
        raise source.error(
            total.lines.first, f"the rows add up to {added}, but the total says {total.applied}"
        )


class _Prose:
    """Lines joined with spaces, able to tell which lines a stretch of the text came from."""

    def __init__(self, source: SourceText, first: int, last: int):
        self.source = source
        self.first = first
        lines = [clean_line(raw) for raw in source.lines[first - 1 : last]]
        self.text = " ".join(lines)
        self.starts = [sum(len(line) + 1 for line in lines[:i]) for i in range(len(lines))]

    def lines_of(self, start: int, end: int) -> Lines:
        def line_at(offset: int) -> int:
            return self.first + max(i for i, begins in enumerate(self.starts) if begins <= offset)

        return Lines(line_at(start), line_at(end - 1))

    def require(self, pattern: str, what: str) -> re.Match:
        match = re.search(pattern, self.text)
        if not match:
            raise self.source.error(self.first, f"expected {what}")
        return match

    def outcome(self, kind: str, unit: str, value: str, start: int, end: int, label: str = ""):
        return Outcome(
            kind=kind,
            stage="planned",
            value=to_decimal(value),
            unit=unit,
            phrase=self.text[start:end],
            lines=self.lines_of(start, end),
            label=label,
        )

    def items(self, match: re.Match) -> list[tuple[re.Match, int, int]]:
        """Split a list such as "19 työttömiä, 6 koulutuksessa olevia ja 33 ..." into items."""
        found = re.finditer(r"(\d+) (\D+?)(?=,| ja \d|$)", match.group(1))
        return [
            (item, match.start(1) + item.start(), match.start(1) + item.end()) for item in found
        ]


# "Hankkeen tuloksena 6 ryhtyy työnhakuun, 3 sijoittuu koulutukseen ja 2 työelämään."
RESULT_KINDS = (("työnhaku", "job_seeking"), ("koulutukseen", "in_education"), ("työ", "employed"))


def _indicator_outcomes(source: SourceText, first: int, last: int) -> list[Outcome]:
    """Return the planned participants, their breakdown and the planned results."""
    prose = _Prose(source, first, last)
    total = prose.require(r"osallistuu (\d+) henkilöä", "the number of participants")
    outcomes = [prose.outcome("participants", "persons", total[1], *total.span())]

    breakdown = prose.require(r"joista (.+?)\.", "the breakdown of the participants")
    for item, start, end in prose.items(breakdown):
        outcomes.append(prose.outcome("other", "persons", item[1], start, end, label=item[2]))

    results = prose.require(r"tuloksena (.+?)\.", "the planned results")
    for item, start, end in prose.items(results):
        kind = next((kind for word, kind in RESULT_KINDS if word in item[2]), "")
        if not kind:
            raise source.error(prose.lines_of(start, end).first, f"unknown result {item[0]!r}")
        outcomes.append(prose.outcome(kind, "persons", item[1], start, end, label=item[2]))
    return outcomes


def _measured_outcomes(source: SourceText, first: int, last: int) -> list[Outcome]:
    """Return the percentages and the satisfaction the description sets as targets."""
    prose = _Prose(source, first, last)
    employed = prose.require(r"(\d+) % osallistujista on työssä", "the share to be employed")
    education = prose.require(r"(\d+) % koulutuksessa", "the share to be in education")
    satisfaction = prose.require(
        r"asiakastyytyväisyys\s*\S?\s*(\d+(?:,\d+)?)/\d+", "the customer satisfaction target"
    )
    rating = prose.outcome("satisfaction", "score", satisfaction[1], *satisfaction.span())
    # The printout lost the ≥ of "asiakastyytyväisyys ≥ 4,5/5" and shows "?" instead.
    rating.phrase = rating.phrase.replace(" ? ", " ≥ ")
    rating.label = "asiakastyytyväisyys"
    return [
        prose.outcome("employed", "percent", employed[1], *employed.span(), label="osallistujista"),
        prose.outcome(
            "in_education", "percent", education[1], *education.span(), label="osallistujista"
        ),
        rating,
    ]
