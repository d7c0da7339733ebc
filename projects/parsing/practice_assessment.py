"""Parse a Sokra assessment of a practice model into the model, the project that developed it,
and the assessment as a report.

The assessment is prose under fixed headings: the model's title and summary, who assessed it,
"Kehittäjä:" (the project, its implementers and dates), "Yhteyshenkilöt:", "Mallin kuvaus" with
the model's own sub-headings, then "Mallin arviointi" in two parts, one from the viewpoint of the
participation areas ("Osallisuuden toteutuminen mallissa") and one from that of the
promising-practice criteria ("Toimintamalli lupaavana käytäntönä"), and "Lopuksi". The document
assesses each viewpoint as a whole, under no finer headings, so each part is one criterion.
"""

import re
from dataclasses import dataclass
from decimal import Decimal

from django.utils.text import slugify

from .project_card import (
    DATE,
    DATE_RANGE,
    EN_DASH,
    ESR_2014_2020,
    Numbered,
    merge,
    numbered_lines,
    paragraphs,
    parse_date,
    passage,
)
from .records import (
    Contact,
    Criterion,
    DocumentRecords,
    OrganisationRef,
    Outcome,
    PartialDate,
    Passage,
    PracticeModel,
    Programme,
    Project,
    ProjectMention,
    Report,
)
from .text import Lines, SourceText, clean_line, fold, join_lines

THL = "Terveyden ja hyvinvoinnin laitos"
# Implementers are written "Joensuun kaupunki"; the place is "Joensuu". Finnish genitives do not
# turn back into names by one rule (Kontiolahden: Kontiolahti), so the known ones are listed.
MUNICIPALITIES = {"Joensuun": "Joensuu", "Kontiolahden": "Kontiolahti"}
EMAIL = r"[\w.+-]+@[\w-]+(?:\.[\w-]+)+"
SENTENCE_END = re.compile(r"(?<=[.!?])\s+(?=[A-ZÅÄÖ])")


@dataclass
class Layout:
    """The line of each fixed heading, in document order, and the lines a footnote takes."""

    sokra: int
    date: int
    title: Lines
    assessed: int
    developer: int
    contacts: int
    description: int
    assessment: int
    participation: int
    promising: int
    closing: int
    end: int
    footnote: Lines | None


def parse(source: SourceText) -> DocumentRecords:
    """Return the developing project, the practice model, the assessment and the programme."""
    at = _layout(source)
    text = _Text(source, at.footnote)

    title = text.joined(at.title.first, at.title.last)
    model_name = title.split(f" {EN_DASH} ")[0]
    published = PartialDate(parse_date(source, at.date, clean_line(source.line(at.date))))
    assessed = text.joined(at.assessed, at.developer - 1)
    # The assessment sentence carries the footnote's mark: "Malli on arvioitu1 osana ..."
    assessed = re.sub(r"(?<=[^\W\d])1\b", "", assessed) if at.footnote else assessed
    axis = re.search(r"\bESR TL ?(\d+)\b", assessed)
    programmes = []
    if axis:
        programmes.append(
            Programme(
                key=ESR_2014_2020,
                name="Euroopan sosiaalirahasto",
                fund="ESR",
                lines=text.span(at.assessed, at.developer - 1),
                detail=f"toimintalinja {axis[1]}",
            )
        )
    project = _project(source, text, at, published)
    project.programme = programmes[0].key if programmes else ""

    evaluators = [clean_line(source.line(at.sokra))]
    if re.search(r"Terveyden ja hyvinvoinnin laitok", assessed):
        evaluators.append(THL)
    report_key = slugify(f"sokra arvio {model_name} {published.value.year}")
    report = Report(
        key=report_key,
        title=title,
        kind="practice_model_assessment",
        lines=Lines(at.sokra, at.end),
        year=published.value.year,
        published=published,
        evaluator_organisations=evaluators,
        summary=" ".join(filter(None, [assessed, text.footnote])),
        mentions=[
            ProjectMention(
                project=project.key,
                lines=project.lines,
                implementers=[org.name for org in project.implementers],
                status=project.status,
                end=project.end,
            )
        ],
    )
    model = PracticeModel(
        key=slugify(model_name),
        name=title,
        project=project.key,
        report=report_key,
        description=_description(text, at.description + 1, at.assessment - 1),
        criteria=[
            _criterion(source, text, "participation", at.participation, at.promising - 1),
            _criterion(source, text, "promising_practice", at.promising, at.closing - 1),
        ],
    )
    return DocumentRecords(
        document=source.name,
        title=title,
        kind="practice_model_assessment",
        summary=fold(project.sections["description"].text),
        projects=[project],
        reports=[report],
        practice_models=[model],
        programmes=programmes,
    )


def _layout(source: SourceText) -> Layout:
    find = source.require
    sokra = find(
        r"^Sosiaalisen osallisuuden edistämisen koordinaatiohanke\b", what="the Sokra heading"
    )
    dated = find(rf"^\s*{DATE}\s*$", sokra + 1, what="the assessment's date")
    title = find(r"\S", dated + 1, what="the model's title")
    title_last = title
    # The title goes on over lines that start in lower case; the summary starts a sentence.
    following = source.find(r"\S", title_last + 1)
    while following and clean_line(source.line(following))[:1].islower():
        title_last = following
        following = source.find(r"\S", title_last + 1)
    assessed = find(r"^Malli on arvioitu", title_last + 1, what='"Malli on arvioitu"')
    developer = find(r"^Kehittäjä:", assessed + 1, what='"Kehittäjä:"')
    contacts = find(r"^Yhteyshenkilö", developer + 1, what='"Yhteyshenkilöt:"')
    description = find(r"^Mallin kuvaus\s*$", contacts + 1, what='"Mallin kuvaus"')
    assessment = find(r"^Mallin arviointi\s*$", description + 1, what='"Mallin arviointi"')
    participation = find(
        r"^Osallisuuden toteutuminen mallissa\s*$",
        assessment + 1,
        what='"Osallisuuden toteutuminen mallissa"',
    )
    promising = find(
        r"^Toimintamalli lupaavana käytäntönä\s*$",
        participation + 1,
        what='"Toimintamalli lupaavana käytäntönä"',
    )
    closing = find(r"^Lopuksi\s*$", promising + 1, what='"Lopuksi"')
    end = max(number for number in range(1, len(source) + 1) if source.line(number).strip())
    return Layout(
        sokra=sokra,
        date=dated,
        title=Lines(title, title_last),
        assessed=assessed,
        developer=developer,
        contacts=contacts,
        description=description,
        assessment=assessment,
        participation=participation,
        promising=promising,
        closing=closing,
        end=end,
        footnote=_footnote(source),
    )


def _footnote(source: SourceText) -> Lines | None:
    """Return the lines of footnote 1, the document's only one: "1" alone on a line, then its
    text up to the page break (two or more empty lines)."""
    for number in range(1, len(source)):
        if source.line(number).strip() == "1" and source.line(number + 1).startswith(" "):
            last = number + 1
            while last + 2 <= len(source) and (
                source.line(last + 1).strip() or source.line(last + 2).strip()
            ):
                last += 1
            while not source.line(last).strip():
                last -= 1
            return Lines(number, last)
    return None


class _Text:
    """The document's lines with the footnote taken out of the running text."""

    def __init__(self, source: SourceText, footnote: Lines | None):
        self.source = source
        self.skip = range(footnote.first, footnote.last + 1) if footnote else range(0)
        self.footnote = ""
        if footnote:
            note = numbered_lines(source, footnote.first + 1, footnote.last)
            self.footnote = fold(join_lines([text for _, text in note]))

    def lines(self, first: int, last: int) -> Numbered:
        numbered = numbered_lines(self.source, first, last)
        kept = [(number, text) for number, text in numbered if number not in self.skip]
        if not kept:
            raise self.source.error(first, "expected text here")
        return kept

    def span(self, first: int, last: int) -> Lines:
        kept = self.lines(first, last)
        return Lines(kept[0][0], kept[-1][0])

    def joined(self, first: int, last: int) -> str:
        return fold(join_lines([text for _, text in self.lines(first, last)]))

    def paragraphs(self, first: int, last: int) -> list[Passage]:
        return paragraphs(self.lines(first, last))

    def passage(self, first: int, last: int) -> Passage:
        return passage(self.lines(first, last))


def _project(source: SourceText, text: _Text, at: Layout, published: PartialDate) -> Project:
    developer = re.sub(r"^Kehittäjä:\s*", "", text.joined(at.developer, at.contacts - 1))
    developed = re.fullmatch(rf"(?P<name>[^,]+)-hanke, (?P<orgs>.+), {DATE_RANGE}\.?", developer)
    if developed is None:
        raise source.error(
            at.developer, "expected 'Kehittäjä: <name>-hanke, <implementers>, <start>-<end>'"
        )
    lines = text.span(at.developer, at.contacts - 1)
    names = re.split(r",\s*|\s+sekä\s+", developed["orgs"])
    # The assessment does not say which implementer led; the first named is taken as the main one.
    implementers = [
        OrganisationRef(org, "main" if index == 0 else "co", lines)
        for index, org in enumerate(names)
    ]
    end = parse_date(source, at.developer, developed["end"])
    background, target_groups = _target_group(source, text, at)
    return Project(
        key=slugify(developed["name"]),
        name=developed["name"],
        lines=lines,
        status="ended" if end < published.value else "ongoing",
        start=PartialDate(parse_date(source, at.developer, developed["start"])),
        end=PartialDate(end),
        implementers=implementers,
        places=_places(source, at.developer, names),
        target_groups_text=target_groups,
        sections={
            "description": text.passage(at.title.last + 1, at.assessed - 1),
            "background": background,
            # The participation part closes on the evidence: what feedback and figures showed.
            "results": text.paragraphs(at.participation + 1, at.promising - 1)[-1],
            "dissemination": text.passage(at.closing + 1, at.end),
        },
        outcomes=_outcomes(source, at.promising + 1, at.closing - 1),
        contacts=_contacts(source, text, at.contacts, at.description - 1),
    )


def _places(source: SourceText, line: int, organisations: list[str]) -> list[str]:
    """Return the municipalities among the implementers ("Joensuun kaupunki": Joensuu)."""
    places = []
    for organisation in organisations:
        municipality = re.fullmatch(r"(\S+) (kaupunki|kunta)", organisation)
        if municipality is None:
            continue
        if municipality[1] not in MUNICIPALITIES:
            raise source.error(line, f'no municipality name known for "{organisation}"')
        places.append(MUNICIPALITIES[municipality[1]])
    return places


def _contacts(source: SourceText, text: _Text, first: int, last: int) -> list[Contact]:
    """Read "Yhteyshenkilöt: <name>, <organisation>, <email>" (one or more, ";" between)."""
    written = re.sub(r"^Yhteyshenkilö(t)?:\s*", "", text.joined(first, last))
    pattern = rf"\s*(?P<name>[^,;]+), (?P<organisation>[^;]+), (?P<email>{EMAIL})\s*;?"
    found = list(re.finditer(pattern, written))
    if not found or "".join(match[0] for match in found) != written:
        raise source.error(first, "expected contacts as '<name>, <organisation>, <email>'")
    return [
        Contact(
            name=match["name"],
            organisation=match["organisation"],
            email=match["email"],
            lines=text.span(first, last),
        )
        for match in found
    ]


def _target_group(source: SourceText, text: _Text, at: Layout) -> tuple[Passage, str]:
    """Return the background and the target group from the model's "Kohderyhmä" sub-section.

    It tells why the work began, then "Toiminta on suunnattu ..." (whom it serves).
    """
    heading = source.require(
        r"^Kohderyhmä", at.description + 1, at.assessment - 1, what='the sub-heading "Kohderyhmä"'
    )
    body = text.lines(heading + 1, at.assessment - 1)
    sentences = SENTENCE_END.split(fold(join_lines([line for _, line in body])))
    aimed = next((i for i, sentence in enumerate(sentences) if "suunnattu" in sentence), None)
    if not aimed:
        raise source.error(heading, 'expected "Toiminta on suunnattu ..." after the background')
    aimed_line = source.require(
        r"suunnattu", heading + 1, at.assessment - 1, what='"suunnattu" on one line'
    )
    background = Passage(" ".join(sentences[:aimed]), Lines(body[0][0], aimed_line))
    return background, sentences[aimed]


def _outcomes(source: SourceText, first: int, last: int) -> list[Outcome]:
    """Return the participant figure the promising-practice part gives as evidence of demand."""
    line = source.find(r"osallistunut noin \d+ asiakasta vuodessa", first, last)
    if line is None:
        return []
    found = re.search(r"osallistunut noin (\d+) (asiakasta vuodessa)", source.line(line))
    return [
        Outcome(
            kind="participants",
            stage="achieved",
            value=Decimal(found[1]),
            unit="persons",
            phrase=found[0],
            lines=Lines(line, line),
            label=found[2],
        )
    ]


def _description(text: _Text, first: int, last: int) -> Passage:
    """Return the model's description, each of its sub-headings a paragraph of its own."""
    lines = text.lines(first, last)
    parts: list[Passage] = []
    body: Numbered = []
    for index, (number, line) in enumerate(lines):
        if _is_subheading(lines, index):
            parts.extend(paragraphs(body))
            parts.append(Passage(line, Lines(number, number)))
            body = []
        else:
            body.append((number, line))
    parts.extend(paragraphs(body))
    return merge(parts)


def _is_subheading(lines: Numbered, index: int) -> bool:
    """Return whether a line is a sub-heading such as "Kohderyhmä ja kiinnittyminen".

    A sub-heading has no sentence punctuation, follows a closed sentence and is followed by a
    new one; a wrapped line of prose fails one of these.
    """
    line = lines[index][1]
    before = lines[index - 1][1] if index else ""
    after = lines[index + 1][1] if index + 1 < len(lines) else ""
    return (
        line[0].isupper()
        and not re.search(r"[.!?:;]|[,-]$", line)
        and before.endswith((".", "!", "?"))
        and after[:1].isupper()
    )


def _criterion(source: SourceText, text: _Text, group: str, heading: int, last: int) -> Criterion:
    assessed = text.passage(heading + 1, last)
    return Criterion(group, clean_line(source.line(heading)), assessed.text, assessed.lines)
