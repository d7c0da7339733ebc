"""Read PDF-extracted text: numbered lines, anchors that must exist, and passages joined back
into clean prose (hyphenation undone, whitespace folded, bullet glyphs dropped)."""

import re
from dataclasses import dataclass
from pathlib import Path

# The Finnish months, January first, in the nominative ("tammikuu"); "-ssa" gives "in March".
MONTH_NAMES = (
    "tammikuu", "helmikuu", "maaliskuu", "huhtikuu", "toukokuu", "kesäkuu",
    "heinäkuu", "elokuu", "syyskuu", "lokakuu", "marraskuu", "joulukuu",
)  # fmt: skip
BULLETS = "•✓▪●◦■□–"
VOWELS = set("aeiouyäöå")
# A line-final hyphen stays when the next line goes on with a conjunction: "sosiaali- ja terveys".
KEEP_HYPHEN_BEFORE = re.compile(r"^(ja|tai|sekä|eli|och|and)\b")


class ParseError(Exception):
    """A document is not what its parser expects; names the document and the line."""

    def __init__(self, document: str, line: int, message: str):
        self.document = document
        self.line = line
        self.message = message
        super().__init__(f"{document}, line {line}: {message}")


@dataclass(frozen=True)
class Lines:
    """A 1-based, inclusive range of lines in a source document."""

    first: int
    last: int


class SourceText:
    """One source document as numbered lines (line 1 is the first line of the file)."""

    def __init__(self, name: str, text: str):
        self.name = name
        self.lines = text.split("\n")

    @classmethod
    def load(cls, path: Path) -> "SourceText":
        data = path.read_bytes()
        if b"\x00" in data:
            raise ParseError(path.name, 1, "the file holds binary data (NUL bytes), not text")
        try:
            text = data.decode("utf-8")
        except UnicodeDecodeError as error:
            line = data[: error.start].count(b"\n") + 1
            raise ParseError(path.name, line, "the file is not valid UTF-8 text") from error
        if not text.strip():
            raise ParseError(path.name, 1, "the file is empty")
        return cls(path.name, text)

    def __len__(self) -> int:
        return len(self.lines)

    def line(self, number: int) -> str:
        return self.lines[number - 1]

    def error(self, line: int, message: str) -> ParseError:
        return ParseError(self.name, line, message)

    def find(self, pattern: str, start: int = 1, end: int | None = None) -> int | None:
        """Return the number of the first line from start to end (inclusive) matching pattern."""
        regex = re.compile(pattern)
        last = len(self.lines) if end is None else min(end, len(self.lines))
        for number in range(max(start, 1), last + 1):
            if regex.search(self.lines[number - 1]):
                return number
        return None

    def require(self, pattern: str, start: int = 1, end: int | None = None, what: str = "") -> int:
        """Like find(), but a missing anchor is a ParseError naming where the search began."""
        number = self.find(pattern, start, end)
        if number is None:
            raise self.error(start, f"expected {what or repr(pattern)} but the document ends")
        return number

    def trimmed(self, first: int, last: int) -> Lines:
        """Return first..last without the blank lines at either end."""
        while first <= last and not self.line(first).strip():
            first += 1
        while last >= first and not self.line(last).strip():
            last -= 1
        if first > last:
            raise self.error(first, "expected text but found only blank lines")
        return Lines(first, last)

    def passage(self, first: int, last: int) -> str:
        """Return lines first..last (inclusive) as one clean paragraph-folded string."""
        return join_lines(self.lines[first - 1 : last])


def join_lines(lines: list[str]) -> str:
    """Join PDF lines into prose: undo hyphenation, keep paragraph breaks, drop bullet glyphs.

    A blank line ends a paragraph; paragraphs are separated by one empty line in the result.
    """
    paragraphs: list[str] = []
    current = ""
    for raw in lines:
        line = clean_line(raw)
        if not line:
            if current:
                paragraphs.append(current)
                current = ""
            continue
        current = _append(current, line)
    if current:
        paragraphs.append(current)
    return "\n\n".join(paragraphs)


def clean_line(raw: str) -> str:
    line = raw.replace("\u00ad", "").replace("\t", " ").strip()
    line = line.lstrip(BULLETS).strip() if line[:1] in BULLETS and line[1:2] in " \t" else line
    return re.sub(r"\s+", " ", line)


def _append(text: str, line: str) -> str:
    if not text:
        return line
    if text.endswith("-") and len(text) > 1 and text[-2].isalpha():
        before, after = text[-2], line[0]
        if KEEP_HYPHEN_BEFORE.match(line):
            return f"{text} {line}"
        if before.isupper() or after.isupper() or after.isdigit():
            return text + line
        if before.lower() == after.lower() and before.lower() in VOWELS:
            return text + line
        return text[:-1] + line
    return f"{text} {line}"


def fold(text: str) -> str:
    """Fold all whitespace, paragraph breaks included, to single spaces."""
    return re.sub(r"\s+", " ", text).strip()
