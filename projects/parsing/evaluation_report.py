"""Parse the final developmental evaluation report of the Hyvä alku part of Kotona Suomessa
(fixtures/sources/001_*): the final report and its ten theses, the three annual reports
appended in reverse order with their recommendations and the pilot projects each one lists,
the umbrella project, its fourth funding round and programme. The pilot compilation at the
end of the document is read by pilot_compilation.parse_pilots.
"""

import re
from dataclasses import dataclass
from datetime import date

from .evaluation_recommendations import (
    Block,
    blocks,
    paragraphs,
    read_recommendations,
    read_theses,
)
from .pilot_compilation import parse_pilots
from .records import (
    DocumentRecords,
    FundingRound,
    OrganisationRef,
    PartialDate,
    Passage,
    Precision,
    Programme,
    Project,
    ProjectMention,
    Report,
)
from .text import MONTH_NAMES, Lines, SourceText, fold

FINAL_KEY = "hyva-alku-arviointi-2020"
UMBRELLA_KEY = "kotona-suomessa"
PROGRAMME_KEY = "esr-2014-2020"
ORDINALS = {
    "ensimmäinen": 1, "ensimmäisen": 1, "toinen": 2, "toisen": 2,
    "kolmas": 3, "kolmannen": 3, "neljäs": 4, "neljännen": 4,
}  # fmt: skip
MONTHS = {name + "ssa": number for number, name in enumerate(MONTH_NAMES, start=1)}
# "Name (implementer)" optionally followed by ", status", as the reports list their pilots.
ENTRY = re.compile(
    r"^(?P<name>[^()]+?)\s*\((?P<by>[^()]*)\)\s*(?:,\s*(?P<status>[^,]+?))?(?:\s+sekä)?$"
)
ROUND_HEADER = re.compile(r"^(?P<round>\w+) hakukierros\s*(?:\((?P<note>[^)]*)\))?:$")
ACTIVE_ROUND = re.compile(r"(Aktiivisessa toimintavaiheessa) olevien (\w+) hakukierro")
ENDING_ALL = re.compile(r"Kaikki nämä pilottihankkeet (päättyvät vuoden \d{4} loppuun)")
# How each annual report opens, in document order (report 2 has no title of its own).
ANNUAL_OPENINGS = [
    (3, r"^\s*LIITE 1:"),
    (2, r"Raportissa tarkasteltavat pilottihankkeet"),
    (1, r"^\s*\d+\.\s+Johdanto"),
]
SUBTITLE = re.compile(r"\s+[-–—]\s+|\s*;\s*|:\s+")


@dataclass
class AnnualPart:
    """Where one annual report lies: its first line, its assessment and conclusions chapters,
    and its last line."""

    first: int
    assessment: int
    conclusions: int
    last: int


@dataclass
class Layout:
    """Where the final report's introduction, its theses, the annual reports and the pilot
    compilation lie."""

    intro: Lines
    theses: Lines
    annual: list[AnnualPart]
    compilation: int


def parse(source: SourceText) -> DocumentRecords:
    """Return everything the evaluation report says: reports, projects, rounds, programme."""
    layout = locate(source)
    rounds, pilots = parse_pilots(source)
    reports = read_reports(source, layout, pilots)
    apply_mentions(pilots, reports)
    final = reports[0]
    years = sorted(report.year for report in reports[1:])
    summary = (
        f"Kehittävän arvioinnin loppuraportti ({final.evaluator_person}; "
        f"{', '.join(final.evaluator_organisations)}): {len(final.theses)} teesiä, "
        f"vuosien {years[0]}–{years[-1]} arviointiraportit suosituksineen "
        f"ja kooste {len(pilots)} pilottihankkeesta."
    )
    return DocumentRecords(
        document=source.name,
        title=final.title,
        kind="developmental_evaluation",
        summary=summary,
        projects=[umbrella_project(source, layout), *pilots],
        funding_rounds=[*rounds, fourth_round(source, layout)],
        reports=reports,
        programmes=[programme(source)],
    )


def locate(source: SourceText) -> Layout:
    """Find the document's parts; a missing part is a ParseError naming where it was sought."""
    theses_heading = source.require(r"Arvioinnin loppupäätelmät", what="the theses chapter")
    annual = []
    start = theses_heading
    for number, opening in ANNUAL_OPENINGS:
        first = source.require(opening, start, what=f"annual report {number}")
        assessment = source.require(
            r"^\s*\d+\.\s+Pilottihankkeiden(\s+etenemisen)?\s*$",
            first,
            what=f"the assessment chapter of annual report {number}",
        )
        start = source.require(
            r"Johtopäätökset ja suositukset",
            assessment,
            what=f"the conclusions of annual report {number}",
        )
        annual.append(AnnualPart(first, assessment, start, last=0))
    compilation = source.require(
        r"koordinaatiohankkeen järjestämässä", start, what="the pilot compilation"
    )
    for part, following in zip(annual, [*(p.first for p in annual[1:]), compilation], strict=True):
        part.last = following - 1
    intro, theses = Lines(1, theses_heading - 1), Lines(theses_heading + 1, annual[0].first - 1)
    return Layout(intro, theses, annual, compilation)


def read_reports(source: SourceText, layout: Layout, pilots: list[Project]) -> list[Report]:
    """Return the final report (first) and the three annual reports with their contents."""
    intro = fold(_text(source, layout.intro.first, layout.intro.last))
    evaluator = _match(
        source,
        layout.intro.first,
        intro,
        r"tilattiin (?P<first>.+?):ltä ja arvioinnin toteutti (?P<person>\w+ \w+), "
        r"joka siirtyi (?P<second>.+?):n palvelukseen",
        "who carried out the evaluation",
    )
    organisations = [evaluator["first"], evaluator["second"]]
    final_year = int(_match(source, 1, intro, r"Vuonna (\d{4}) käynnissä", "the report year")[1])
    final = Report(
        key=FINAL_KEY,
        title="Kotona Suomessa – Hyvä alku -hankeosion kehittävän arvioinnin loppuraportti",
        kind="developmental_evaluation",
        lines=Lines(1, _last_text_line(source)),
        year=final_year,
        published=PartialDate(date(final_year, 1, 1), Precision.YEAR),
        evaluator_organisations=organisations,
        evaluator_person=evaluator["person"],
        summary=_sentence(intro, "Tämän viimeisen arviointiraportin alussa"),
        theses=read_theses(source, layout.theses.first, layout.theses.last),
    )
    written = _annual_dates(source, layout, intro)
    reports = [final]
    for number, part in zip((3, 2, 1), layout.annual, strict=True):
        covered, published = written[number]
        text = fold(_text(source, part.first, part.assessment - 1))
        reports.append(
            Report(
                key=f"hyva-alku-vuosiraportti-{covered}",
                title=f"Arviointiraportti {number} (koskien vuotta {covered})",
                kind="annual_evaluation",
                lines=Lines(part.first, part.last),
                year=covered,
                published=published,
                evaluator_organisations=list(organisations),
                evaluator_person=evaluator["person"],
                parent=FINAL_KEY,
                summary=_sentence(text, "Tässä raportissa tarkastellaan"),
                recommendations=read_recommendations(source, part.conclusions + 1, part.last),
                mentions=read_mentions(source, part.first, part.assessment - 1, pilots),
            )
        )
    return reports


def read_mentions(
    source: SourceText, first: int, last: int, projects: list[Project]
) -> list[ProjectMention]:
    """Return the pilot projects a report lists before its assessment (lines first..last),
    each with the status the list, its round heading or the introduction gives it."""
    found = blocks(source, first, last)
    texts = [block.text(source) for block in found]
    joined = " ".join(texts)
    active = ACTIVE_ROUND.search(joined)
    ending_all = ENDING_ALL.search(joined)
    default = ending_all[1] if ending_all else ""
    by_key = {project.key: project for project in projects}
    mentions: dict[str, ProjectMention] = {}
    round_phrase = ""
    for block, text in zip(found, texts, strict=True):
        if header := ROUND_HEADER.match(text):
            round_phrase = header["note"] or ""
            # Report 2 states no status in the third round's heading, but says before the
            # list that the third round's pilots are active (lines 1176-1178).
            if active and ORDINALS.get(header["round"].lower()) == ORDINALS.get(active[2]):
                round_phrase = _stating(round_phrase, active[1].lower())
            continue
        entry = ENTRY.match(text)
        key = entry and resolve_project(entry["name"], projects)
        if not key or key in mentions:
            continue
        phrase = _stating(entry["status"] or "", round_phrase, default)
        status, end = read_status(phrase)
        mentions[key] = ProjectMention(
            project=key,
            lines=block.span,
            implementers=_implementers(entry["by"], by_key[key]),
            status=status,
            end=end,
            remark=phrase,
        )
    if not mentions:
        raise source.error(first, "expected a list of the pilot projects the report discusses")
    return list(mentions.values())


def read_status(phrase: str) -> tuple[str, PartialDate | None]:
    """Return the status and end date a phrase states: "päättynyt" -> ("ended", None),
    "päättyy elokuussa 2020" -> ("ongoing", August 2020), "päättymässä 31.3.2019" -> day."""
    lowered = phrase.lower()
    if re.search(r"päättyi|päättyn|päättyne", lowered):
        status = "ended"
    elif re.search(r"käynnissä|aktiivisessa|päättyy|päättymässä|päättyvät|jatkuu", lowered):
        status = "ongoing"
    else:
        return "", None
    if day := re.search(r"(\d{1,2})\.(\d{1,2})\.(\d{4})", lowered):
        return status, PartialDate(date(int(day[3]), int(day[2]), int(day[1])))
    if (month := re.search(r"(\w+kuussa) (\d{4})", lowered)) and month[1] in MONTHS:
        return status, PartialDate(date(int(month[2]), MONTHS[month[1]], 1), Precision.MONTH)
    if year := re.search(r"vuoden (\d{4}) loppuun", lowered):
        return status, PartialDate(date(int(year[1]), 1, 1), Precision.YEAR)
    return status, None


def normalise_name(name: str) -> str:
    """Fold a project name for comparison: case, dashes, punctuation, "The ... Project"."""
    words = re.sub(r"[-–—;:,.”“\"'’()/\u00ad]", " ", name.casefold()).split()
    if words[:1] == ["the"]:
        words = words[1:]
    if words[-1:] == ["project"]:
        words = words[:-1]
    return " ".join(words)


def name_forms(name: str) -> set[str]:
    """Return a name and its main title (before a subtitle dash or semicolon), normalised."""
    return {normalise_name(name), normalise_name(SUBTITLE.split(name, maxsplit=1)[0])}


def resolve_project(name: str, projects: list[Project]) -> str | None:
    """Return the key of the one project a report's name for it means, or None.

    Names match when they or their main titles are equal once normalised ("Nipa" and
    "NIPA – Nivelvaiheen palvelumalli ..."; "Nice Work" and "The Nice Work Project"), or when
    the name is the first words of exactly one project's name ("Työnoste", "Työnoste Raahe").
    """
    query = name_forms(name)
    forms = {
        project.key: set().union(*(name_forms(n) for n in [project.name, *project.other_names]))
        for project in projects
    }
    exact = [key for key, known in forms.items() if query & known]
    if exact:
        return exact[0] if len(exact) == 1 else None
    prefixed = [
        key
        for key, known in forms.items()
        if any(form.startswith(q + " ") for form in known for q in query)
    ]
    return prefixed[0] if len(prefixed) == 1 else None


def apply_mentions(projects: list[Project], reports: list[Report]) -> None:
    """Set each project's status and end date from the reports; the latest report wins."""
    by_key = {project.key: project for project in projects}
    for report in sorted(reports, key=lambda report: report.year or 0):
        for mention in report.mentions:
            project = by_key[mention.project]
            project.status = mention.status or project.status
            project.end = mention.end or project.end


def umbrella_project(source: SourceText, layout: Layout) -> Project:
    """Return Kotona Suomessa itself, as the final report's introduction describes it."""
    first, second = paragraphs(source, layout.intro.first, layout.intro.last)[:2]
    text = first.text(source)
    years = _match(source, first.lines[0], text, r"vuosina (\d{4})–(\d{4})", "the project years")
    region = _match(
        source, first.lines[0], text, r"koordinoinut (\w+) elinkeino-", "the coordinating centre"
    )[1]
    goals = _goals(source, layout)
    return Project(
        key=UMBRELLA_KEY,
        name="Kotona Suomessa",
        lines=first.span,
        # "on toteutettu vuosina 2015–2020": the final report looks back on a finished project.
        status="ended",
        start=PartialDate(date(int(years[1]), 1, 1), Precision.YEAR),
        end=PartialDate(date(int(years[2]), 1, 1), Precision.YEAR),
        programme=PROGRAMME_KEY,
        implementers=[OrganisationRef(f"{region} ELY-keskus", "main", first.span)],
        is_national=True,
        sections={
            "background": Passage(text, first.span),
            "goals": Passage(goals.text(source), goals.span),
            "actions": Passage(second.text(source), second.span),
        },
    )


def fourth_round(source: SourceText, layout: Layout) -> FundingRound:
    """Return the fourth, ministry-coordinated funding round the introduction mentions."""
    paragraph = next(
        (
            block
            for block in paragraphs(source, layout.intro.first, layout.intro.last)
            if "neljännen hakukierroksen" in block.text(source)
        ),
        None,
    )
    if paragraph is None:
        raise source.error(layout.intro.first, "expected the fourth funding round")
    theme = _match(
        source,
        paragraph.lines[0],
        paragraph.text(source),
        r"neljännen hakukierroksen ”(.+?)”",
        "the theme of the fourth round",
    )[1]
    return FundingRound(
        key=f"{UMBRELLA_KEY}-4",
        name=f"Kotona Suomessa, 4. hankehaku ({theme})",
        number=4,
        lines=paragraph.span,
        programme=PROGRAMME_KEY,
        coordinator=UMBRELLA_KEY,
        theme=theme,
    )


def programme(source: SourceText) -> Programme:
    """Return the programme as the report names it: only as European Social Fund money."""
    line = source.require(r"Euroopan Sosiaalirahaston rahoittama", what="the funding programme")
    return Programme(
        key=PROGRAMME_KEY,
        name="Euroopan sosiaalirahasto (ESR)",
        fund="ESR",
        lines=Lines(line, line + 1),
        detail="Kotona Suomessa (2015–2020) on ”Euroopan Sosiaalirahaston rahoittama”.",
    )


def _goals(source: SourceText, layout: Layout) -> Block:
    """Return the paragraph of annual report 1 that states what Kotona Suomessa develops."""
    first = layout.annual[-1]
    for block in paragraphs(source, first.first, first.assessment - 1):
        if "Kotona Suomessa -hankkeessa kehitetään" in block.text(source):
            return block
    raise source.error(first.first, "expected the goals of Kotona Suomessa")


def _annual_dates(
    source: SourceText, layout: Layout, intro: str
) -> dict[int, tuple[int, PartialDate]]:
    """Return, by report number, the year each annual report covers and when it was written.

    The final report's introduction gives both ("toinen alkuvuodesta 2019 koskien vuotta
    2018"); annual report 3 names the months of the first two ("laadittiin tammikuussa 2018").
    """
    found = {}
    for match in re.finditer(
        r"(ensimmäinen|toinen|kolmas) (?:tehtiin )?alkuvuodesta (\d{4}) "
        r"koskien (?:edellistä vuotta|vuotta (\d{4}))",
        intro,
    ):
        number, year = ORDINALS[match[1]], int(match[2])
        found[number] = (int(match[3] or year - 1), PartialDate(date(year, 1, 1), Precision.YEAR))
    if sorted(found) != [1, 2, 3]:
        raise source.error(layout.intro.first, "expected the years of the three annual reports")
    third = layout.annual[0]
    text = fold(_text(source, third.first, third.assessment - 1))
    months = "|".join(MONTHS)
    for match in re.finditer(
        rf"(Ensimmäinen|toinen) (?:väliraportti laadittiin )?({months}) (\d{{4}})", text
    ):
        number = ORDINALS[match[1].lower()]
        month = PartialDate(date(int(match[3]), MONTHS[match[2]], 1), Precision.MONTH)
        found[number] = (found[number][0], month)
    return found


def _implementers(written: str, project: Project) -> list[str]:
    """Return the organisations in a list entry's brackets, without places and remarks:
    "Nuorten ystävät ry, Oulu" -> ["Nuorten ystävät ry"]; "Omnia, monta oppilaitosta"."""
    parts = re.split(r",\s*|\s+ja\s+|/", written)
    return [
        part.strip()
        for part in parts
        if part.strip()[:1].isupper() and part.strip() not in project.places
    ]


def _stating(*phrases: str) -> str:
    """Return the first phrase that states a status, or ""."""
    return next((phrase for phrase in phrases if read_status(phrase)[0]), "")


def _text(source: SourceText, first: int, last: int) -> str:
    return "\n\n".join(block.text(source) for block in blocks(source, first, last))


def _last_text_line(source: SourceText) -> int:
    return next(n for n in range(len(source), 0, -1) if source.line(n).strip())


def _sentence(text: str, start: str) -> str:
    match = re.search(re.escape(start) + r"[^.]*\.", text)
    return match[0] if match else ""


def _match(source: SourceText, line: int, text: str, pattern: str, what: str) -> re.Match:
    match = re.search(pattern, text)
    if match is None:
        raise source.error(line, f"expected {what}")
    return match
