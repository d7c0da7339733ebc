"""Read the Hyvä alku evaluation's text blocks: the ten theses and each report's numbered
recommendations, which the PDF extraction scatters across columns and pages."""

import re
from dataclasses import dataclass

from .records import Recommendation, Thesis
from .text import Lines, SourceText, fold, join_lines

NOISE = re.compile(
    r"^\s*(?:\d{1,3}"  # page number
    r"|Arviointiraportti \d \(koskien vuotta \d{4}\)"  # running page header
    r"|LIITE \d+:"
    r"|(?:\d+\s+)?https?://\S*"  # footnote or link
    r"|\S*(?:[/+]|\.pdf|\?t=)\S*"  # a link wrapped onto a line of its own
    r")\s*$"
)
BULLET = re.compile(r"^\s*[•✓▪●]\s")
ITEM = re.compile(r"^\s*(\d{1,2})\.\t\s*(?=\S)")
HEADING = re.compile(r"^\s*(\d+(?:\.\d+)+)\.?\s*\t\s*")
THESIS = re.compile(r"^\s*Teesi (\d+):\s*")
SENTENCE_END = re.compile(r"[.!?:]\W*$")

# Whom a recommendation speaks to: first the wording of the recommendation itself, then the
# subsection it stands in (each report groups its recommendations under such headings).
AUDIENCE_BY_TEXT = [
    (r"rakennerahastokau", "ministeriöt"),
    (r"kaupunkien tai ELY-keskusten palveluhankin", "kaupungit ja ELY-keskukset"),
    (r"TE-hallinnon \(ELY-keskus, TE-toimisto\)", "TE-hallinto (ELY-keskukset ja TE-toimistot)"),
    (r"Hyvä alku [-–]hankeosio", "Hyvä alku -hankeosio"),
]
AUDIENCE_BY_SECTION = [
    (r"loppukausi", "pilottihankkeet"),
    (r"Kansallinen kotouttamistyö", "Hyvä alku -hankeosio"),
    (r"Arvioinnin jatkoaskeleet", "Hyvä alku -hankeosio"),
    (r"Tulevien hankkeiden", "hankkeiden rahoittajat ja suunnittelijat"),
]


@dataclass
class Block:
    """A run of lines that belong together: a numbered item, a heading, a bullet or a paragraph.

    label: the item's number ("4") or the heading's ("5.2").
    """

    kind: str
    lines: list[int]
    label: str = ""

    def text(self, source: SourceText) -> str:
        return fold(join_lines(self.raw(source)))

    def raw(self, source: SourceText) -> list[str]:
        """Return the block's lines as written, without its number or heading label."""
        first = source.line(self.lines[0])
        marker = {"item": ITEM, "heading": HEADING, "thesis": THESIS}.get(self.kind)
        if marker:
            first = marker.sub("", first, count=1)
        return [first] + [source.line(n) for n in self.lines[1:]]

    @property
    def span(self) -> Lines:
        return Lines(self.lines[0], self.lines[-1])


def blocks(source: SourceText, first: int, last: int) -> list[Block]:
    """Split lines first..last into blocks, dropping page numbers, running headers and links.

    A blank line inside a sentence does not end a block: the extraction puts blank lines in
    the middle of list items ("kou-", "", "lutus)"). Page furniture always ends a block.
    """
    found: list[Block] = []
    current: Block | None = None
    blank = False
    for number in range(first, last + 1):
        raw = source.line(number)
        if not raw.strip():
            blank = True
            continue
        if NOISE.match(raw):
            current, blank = None, False
            continue
        kind, label = _marker(raw)
        if kind is None and current and _continues(source, current, raw, blank):
            current.lines.append(number)
        else:
            current = Block(kind or "text", [number], label)
            found.append(current)
        blank = False
    return found


def paragraphs(source: SourceText, first: int, last: int) -> list[Block]:
    """Return the blocks of lines first..last that hold text (no headings or list items)."""
    return [block for block in blocks(source, first, last) if block.kind in ("text", "bullet")]


def read_theses(source: SourceText, first: int, last: int) -> list[Thesis]:
    """Return the theses ("Teesi 1: title", then paragraphs) found in lines first..last."""
    starts = [n for n in range(first, last + 1) if THESIS.match(source.line(n))]
    if not starts:
        raise source.error(first, "expected theses (“Teesi 1: ...”) but found none")
    theses = []
    for index, start in enumerate(starts):
        end = starts[index + 1] - 1 if index + 1 < len(starts) else last
        title, *body = blocks(source, start, end)
        number = int(THESIS.match(source.line(start)).group(1))
        if number != index + 1:
            raise source.error(start, f"expected thesis {index + 1}, found thesis {number}")
        text = "\n\n".join(block.text(source) for block in body)
        last_line = body[-1].lines[-1] if body else title.lines[-1]
        theses.append(Thesis(number, title.text(source), text, Lines(start, last_line)))
    return theses


def read_recommendations(source: SourceText, first: int, last: int) -> list[Recommendation]:
    """Return the numbered recommendations in a report's conclusions (lines first..last).

    The reports print their conclusions in two columns per page, and the extraction reads
    them out of order: a column may start with the end of an item from another column
    (report 3, lines 1045 and 1144). Such a lowercase continuation belongs to the nearest
    unfinished item numbered below the next item that follows it in the document.
    """
    found = blocks(source, first, last)
    items: dict[int, list[Block]] = {}
    headings: list[tuple[tuple[int, ...], str, int | None]] = []
    for index, block in enumerate(found):
        if block.kind == "item":
            number = int(block.label)
            if number in items:
                raise source.error(block.lines[0], f"recommendation {number} appears twice")
            items[number] = [block]
        elif block.kind == "heading":
            following = _next_item(found, index)
            headings.append((_numbers(block.label), block.text(source), following))
    if not items:
        raise source.error(first, "expected numbered recommendations but found none")
    numbers = sorted(items)
    if numbers != list(range(numbers[0], numbers[-1] + 1)):
        missing = sorted(set(range(numbers[0], numbers[-1] + 1)) - set(numbers))
        raise source.error(first, f"recommendation numbering skips {missing}")
    for index, block in enumerate(found):
        if block.kind == "text" and block.text(source)[:1].islower():
            _attach(source, items, block, _next_item(found, index))
    return [
        _recommendation(source, number, items[number], _section(headings, number))
        for number in numbers
    ]


def audience(text: str, section: str) -> str:
    """Return the group a recommendation speaks to, from its wording or its subsection."""
    for pattern, group in AUDIENCE_BY_TEXT:
        if re.search(pattern, text):
            return group
    for pattern, group in AUDIENCE_BY_SECTION:
        if re.search(pattern, section):
            return group
    return ""


def _marker(raw: str) -> tuple[str | None, str]:
    if THESIS.match(raw):
        return "thesis", ""
    if match := HEADING.match(raw):
        return "heading", match.group(1)
    if match := ITEM.match(raw):
        return "item", match.group(1)
    if BULLET.match(raw):
        return "bullet", ""
    return None, ""


def _continues(source: SourceText, block: Block, raw: str, blank: bool) -> bool:
    """Tell whether a line goes on with block.

    After a blank line, or at the top of a column (the extraction indents it by a space,
    line 1372), only an unfinished sentence goes on.
    """
    if not blank and not raw.startswith(" "):
        return True
    previous = source.line(block.lines[-1]).strip()
    if SENTENCE_END.search(previous):
        return False
    if not blank:
        return True
    written = "".join(source.line(n) for n in block.lines)
    start = raw.strip()[:1]
    return start.islower() or start.isdigit() or written.count("(") > written.count(")")


def _next_item(found: list[Block], index: int) -> int | None:
    return next((int(b.label) for b in found[index + 1 :] if b.kind == "item"), None)


def _numbers(label: str) -> tuple[int, ...]:
    return tuple(int(part) for part in label.split("."))


def _attach(source: SourceText, items: dict[int, list[Block]], part: Block, before: int | None):
    unfinished = [
        number
        for number, parts in items.items()
        if (before is None or number < before)
        and not SENTENCE_END.search(source.line(parts[-1].lines[-1]).strip())
    ]
    if not unfinished:
        raise source.error(part.lines[0], "a continued sentence matches no unfinished item")
    items[max(unfinished)].append(part)


def _section(headings: list[tuple[tuple[int, ...], str, int | None]], number: int) -> str:
    """Return the title of the subsection holding item number: the last subsection, in
    heading order, whose first item is at or below number."""
    title = ""
    for _, heading, first_item in sorted(headings):
        if first_item is not None and first_item <= number:
            title = heading
    return title


def _recommendation(
    source: SourceText, number: int, parts: list[Block], section: str
) -> Recommendation:
    text = fold(join_lines([line for part in parts for line in part.raw(source)]))
    # Lines name where the item starts; a continuation elsewhere (see above) is in text only.
    return Recommendation(number, text, parts[0].span, audience(text, section))
