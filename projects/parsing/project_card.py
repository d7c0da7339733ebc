"""Parse a Sokra project card ("Hankekortti", ESF priority axis 5) into a project and a report.

The card is a two-column table: a label ("Toteuttajat") and its value. The extract gives the
labels in the card's fixed order, some broken over two lines and one sharing its line with the
value, and ends with the card's hyperlinks, one URL a line, in no reliable order.
"""

import re
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from pathlib import PurePosixPath
from urllib.parse import unquote, urlsplit

from django.utils.text import slugify

from .records import (
    DocumentRecords,
    OrganisationRef,
    Output,
    PartialDate,
    Passage,
    Precision,
    Programme,
    Project,
    ProjectMention,
    Report,
)
from .text import MONTH_NAMES, Lines, SourceText, clean_line, fold, join_lines

# Lines that carry text, each with its 1-based number.
Numbered = list[tuple[int, str]]

DATE = r"\d{1,2}\.\d{1,2}\.\d{4}"
EN_DASH = "\u2013"
DATE_RANGE = rf"(?P<start>{DATE})\s*[{EN_DASH}-]\s*(?P<end>{DATE})"
MONTHS = {name: number for number, name in enumerate(MONTH_NAMES, start=1)}
# A wrapped line in these extracts runs to about 85-95 characters; a shorter one that closes a
# sentence is the last line of its paragraph.
SHORT_LINE = 60

ESR_2014_2020 = "esr-2014-2020"

# (field, the label's first line, the label's second line when the card breaks it)
LABELS = [
    ("name", "Hankkeen nimi, S-numero ja", "toteutusaika"),
    ("funding", "Rahoittaja ja toteutunut", "julkinen rahoitus"),
    ("implementers", "Toteuttajat", None),
    ("target_groups", "Varsinaiset kohderyhmät", None),
    ("background", "Hankkeen tausta", None),
    ("goals", "Tavoitteet", None),
    ("actions", "Toimintatapa", None),
    ("outputs", "Tuotokset", None),
    ("practices", "Lupaavat osallisuuden", "käytännöt ja palaset"),
    ("results", "Muut tulokset ja vaikutukset", None),
    ("dissemination", "Levittäminen ja juurrutus", None),
    ("notes", "Erityishuomioita, kehittä-", "mistyön ongelmia"),
]
SECTIONS = ["background", "goals", "actions", "results", "dissemination", "notes"]


@dataclass
class Field:
    """A label's value: its text lines, and the label's line for errors about an empty value."""

    label_line: int
    lines: Numbered

    @property
    def line(self) -> int:
        """Return the line to name in an error about the value."""
        return self.lines[0][0] if self.lines else self.label_line


@dataclass
class Link:
    """A piece of card text that the card links to one of its URLs."""

    output: Output
    line: int
    matches: Callable[[str], bool]  # whether a URL is this link's target


def parse(source: SourceText) -> DocumentRecords:
    """Return the project, the card as a report, and the programme named in the card."""
    series = source.require(r"^Hankekortti, ", what='the heading "Hankekortti, ..."')
    axis = re.search(r"Euroopan sosiaalirahaston toimintalinja (\d+)", source.line(series))
    if axis is None:
        raise source.error(series, "the heading names no ESF priority axis (toimintalinja)")
    compiled = source.require(r"^Koonnut ", series + 1, what='"Koonnut <compiler>, <month year>"')
    by = re.fullmatch(
        r"Koonnut (?P<org>.+), (?P<month>\w+) (?P<year>\d{4})", _text(source, compiled)
    )
    if by is None or by["month"] not in MONTHS:
        raise source.error(compiled, "expected the compiler and a month such as 'joulukuu 2019'")
    published = PartialDate(date(int(by["year"]), MONTHS[by["month"]], 1), Precision.MONTH)
    heading = source.require(
        r"^[A-Z]\d{5}, ", compiled + 1, what="the card's heading '<code>, <name>'"
    )

    fields, urls_from = _fields(source, heading + 1)
    project = _project(source, fields, heading, published)
    project.outputs = _outputs(source, fields, project.code, urls_from)

    title = f"Hankekortti: {_text(source, heading)}"
    report = Report(
        key=slugify(f"sokra hankekortti {project.code}"),
        title=title,
        kind="project_card",
        lines=Lines(series, project.lines.last),
        year=published.value.year,
        published=published,
        evaluator_organisations=[by["org"]],
        mentions=[
            ProjectMention(
                project=project.key, lines=project.lines, status=project.status, end=project.end
            )
        ],
    )
    programme = Programme(
        key=ESR_2014_2020,
        name="Euroopan sosiaalirahasto",
        fund="ESR",
        lines=Lines(series, series),
        detail=f"toimintalinja {axis[1]}",
    )
    return DocumentRecords(
        document=source.name,
        title=title,
        kind="project_card",
        summary=f"{_text(source, series)}. {_text(source, compiled)}.",
        projects=[project],
        reports=[report],
        programmes=[programme],
    )


def _fields(source: SourceText, start: int) -> tuple[dict[str, Field], int]:
    """Return each label's value lines, and the line where the URL list begins."""
    found = []
    for key, head, tail in LABELS:
        line = source.require(rf"^\s*{re.escape(head)}(\s|$)", start, what=f'the label "{head}"')
        found.append((key, head, tail, line))
        start = line + 1
    urls_from = source.require(r"^https?://", start, what="the card's list of URLs")

    fields = {}
    for index, (key, head, tail, line) in enumerate(found):
        end = found[index + 1][3] - 1 if index + 1 < len(found) else urls_from - 1
        inline = _text(source, line)[len(head) :].strip()
        lines = ([(line, inline)] if inline else []) + numbered_lines(source, line + 1, end)
        if tail:
            if not lines or lines[0][1] != tail:
                raise source.error(line, f'expected the label to go on with "{tail}"')
            lines = lines[1:]
        fields[key] = Field(line, lines)
    return fields, urls_from


def _project(
    source: SourceText, fields: dict[str, Field], heading: int, published: PartialDate
) -> Project:
    name_field = fields["name"]
    named = re.fullmatch(
        rf"(?P<code>[A-Z]\d{{5}}), (?P<names>.+), {DATE_RANGE}"
        r"(?:\s*\([^)]*\))?",
        _joined(source, name_field),
    )
    if named is None:
        raise source.error(name_field.line, "expected '<code>, <name>, <start> - <end>'")
    name, *other_names = named["names"].split(f" {EN_DASH} ")
    if not _text(source, heading).startswith(f"{named['code']}, {name}"):
        raise source.error(heading, f"the heading does not name {named['code']}, {name}")

    funding_field = fields["funding"]
    funding = re.fullmatch(
        r"(?P<funder>.+?),\s*(?P<amount>\d{1,3}(?: \d{3})*(?:,\d{1,2})?)\s*€",
        _joined(source, funding_field),
    )
    if funding is None:
        raise source.error(funding_field.line, "expected '<funder>, <amount> €'")
    funding_lines = _span(funding_field)

    implementers_field = fields["implementers"]
    implementer_names = re.split(r",\s*|\s+sekä\s+", _joined(source, implementers_field))
    implementers = [
        OrganisationRef(org, "main" if index == 0 else "co", _span(implementers_field))
        for index, org in enumerate(implementer_names)
    ]

    start = parse_date(source, name_field.line, named["start"])
    end = parse_date(source, name_field.line, named["end"])
    # Priority axis 5 ("toimintalinja 5") belongs to the 2014-2020 programme; a card whose
    # project started outside it is not a card of that programme.
    if not date(2014, 1, 1) <= start <= date(2020, 12, 31):
        raise source.error(name_field.line, "the project did not start in 2014-2020")
    sections = {key: passage(fields[key].lines) for key in SECTIONS if fields[key].lines}

    return Project(
        key=slugify(name),
        name=name,
        lines=Lines(heading, _last_text_line(source)),
        other_names=other_names,
        code=named["code"],
        status="ended" if end < published.value else "ongoing",
        start=PartialDate(start),
        end=PartialDate(end),
        programme=ESR_2014_2020,
        funder=OrganisationRef(funding["funder"], "funder", funding_lines),
        implementers=implementers,
        target_groups_text=_joined(source, fields["target_groups"]),
        sections=sections,
        realised_public_funding=parse_money(funding["amount"]),
    )


def _outputs(
    source: SourceText, fields: dict[str, Field], code: str, urls_from: int
) -> list[Output]:
    """Return the publications, practices and register page, each with its URL from the list.

    The extract lists a link once for each piece of text it covers, so a URL can repeat.
    """
    links = _publication_links(source, fields["outputs"])
    links += _practice_links(source, fields["practices"])
    links.append(_register_link(source, fields["name"], code))

    urls: dict[str, int] = {}
    for number, url in numbered_lines(source, urls_from, len(source)):
        urls.setdefault(url, number)
    claimed = set()
    for link in links:
        targets = [url for url in urls if link.matches(url)]
        if len(targets) != 1:
            raise source.error(
                link.line, f'found {len(targets)} URLs for "{link.output.title}", expected one'
            )
        link.output.url = targets[0]
        claimed.add(targets[0])
    for url, number in urls.items():
        if url not in claimed:
            raise source.error(number, f"no text in the card links to {url}")
    return [link.output for link in links]


def _publication_links(source: SourceText, field: Field) -> list[Link]:
    """Read "Julkaisut: <title> (<publisher>) (pdf 582 kt), ..." into publication links."""
    text = re.sub(r"^Julkaisut:\s*", "", _joined(source, field))
    *titles, rest = re.split(r"\s*\(pdf [^)]*\)\s*,?\s*", text)
    if rest or not titles:
        raise source.error(field.line, "expected publications as '<title> (pdf <size>)'")
    links = []
    for title in titles:
        # The file name spells the title without the publisher: TYÖKUMMIN-HUONEENTAULU.pdf
        slug = slugify(re.sub(r"\s*\([^)]*\)", "", title))
        output = Output(title, kind="publication", lines=_span(field))
        links.append(Link(output, field.line, lambda url, s=slug: s in _file_slug(url)))
    return links


def _practice_links(source: SourceText, field: Field) -> list[Link]:
    """Read "<practice> (innokyla.fi)" into practice links to that site."""
    text = _joined(source, field)
    found = list(re.finditer(r"\s*(?P<title>.+?)\s*\((?P<site>[\w-]+(?:\.[\w-]+)+)\)", text))
    if not found or "".join(match[0] for match in found) != text:
        raise source.error(field.line, "expected practices as '<title> (<site>)'")
    links = []
    for match in found:
        output = Output(match["title"], kind="practice", lines=_span(field))
        site = match["site"]
        links.append(Link(output, field.line, lambda url, s=site: _on_site(url, s)))
    return links


def _register_link(source: SourceText, field: Field, code: str) -> Link:
    """Return the link "(hanke RR-tietopalvelussa)": the project's page in the EURA register."""
    note = re.search(r"\((hanke RR-tietopalvelussa)\)", _joined(source, field))
    if note is None:
        raise source.error(field.line, "expected '(hanke RR-tietopalvelussa)'")
    output = Output(note[1][0].upper() + note[1][1:], kind="link", lines=_span(field))
    return Link(output, field.line, lambda url: f"projektikoodi={code}" in url)


def _file_slug(url: str) -> str:
    return slugify(PurePosixPath(unquote(urlsplit(url).path)).stem)


def _on_site(url: str, site: str) -> bool:
    host = urlsplit(url).hostname or ""
    return host == site or host.endswith(f".{site}")


def numbered_lines(source: SourceText, first: int, last: int) -> Numbered:
    """Return the lines first..last that carry text, cleaned, with their numbers."""
    cleaned = ((number, clean_line(source.line(number))) for number in range(first, last + 1))
    return [(number, text) for number, text in cleaned if text]


def paragraphs(lines: Numbered) -> list[Passage]:
    """Join wrapped lines into paragraphs, each with the lines it came from.

    These extracts put a blank line after every wrapped line, so a blank line marks nothing:
    a paragraph ends at a short line that closes a sentence.
    """
    found: list[Passage] = []
    current: Numbered = []
    for number, text in lines:
        current.append((number, text))
        if text[-1] in ".!?" and len(text) < SHORT_LINE:
            found.append(_paragraph(current))
            current = []
    if current:
        found.append(_paragraph(current))
    return found


def passage(lines: Numbered) -> Passage:
    """Return the lines as one Passage, its paragraphs separated by an empty line."""
    return merge(paragraphs(lines))


def merge(passages: list[Passage]) -> Passage:
    """Return consecutive passages as one."""
    text = "\n\n".join(part.text for part in passages)
    return Passage(text, Lines(passages[0].lines.first, passages[-1].lines.last))


def parse_date(source: SourceText, line: int, text: str) -> date:
    """Return the date written "d.m.yyyy"; an impossible date is a ParseError."""
    day, month, year = (int(part) for part in text.split("."))
    try:
        return date(year, month, day)
    except ValueError as error:
        raise source.error(line, f"{text} is not a date") from error


def parse_money(text: str) -> Decimal:
    """Return euros written "48 806" or "1 234,50" as a Decimal."""
    return Decimal(text.replace(" ", "").replace(",", "."))


def _paragraph(lines: Numbered) -> Passage:
    return Passage(join_lines([text for _, text in lines]), Lines(lines[0][0], lines[-1][0]))


def _joined(source: SourceText, field: Field) -> str:
    if not field.lines:
        raise source.error(field.label_line, "the label has no value")
    return fold(join_lines([text for _, text in field.lines]))


def _span(field: Field) -> Lines:
    return Lines(field.lines[0][0], field.lines[-1][0])


def _text(source: SourceText, line: int) -> str:
    return clean_line(source.line(line))


def _last_text_line(source: SourceText) -> int:
    return max(number for number in range(1, len(source) + 1) if _text(source, number))
