"""What the synthetic generator's parts share: weights, the rows' shape, a chunk of COPY lines."""

from bisect import bisect
from collections import Counter
from dataclasses import dataclass, field
from itertools import accumulate

from .pools import Fragment

NULL = "\\N"
ZIPF_ORGANISATIONS = 1.3


def cumulative(weights) -> list[float]:
    return list(accumulate(weights))


def zipf_weights(count: int, exponent: float) -> list[float]:
    return [1 / rank**exponent for rank in range(1, count + 1)]


@dataclass
class Organisation:
    id: int
    name: str
    kind: str
    municipality: int | None  # index into RealRecords.municipalities
    region: str | None
    fragment: Fragment
    sentence_end: Fragment  # the name and a full stop, ending "Hanketta hallinnoi ..."


@dataclass
class References:
    """Primary keys of the rows the synthetic records point at, created before generation."""

    document: int
    programmes: dict[str, int]  # slug -> id
    rounds: list[tuple[int, str, int, int]]  # (id, programme slug, first year, last year)
    target_groups: dict[str, int]
    regions: dict[str, int]  # code -> id
    municipalities: dict[str, int]
    document_lines: int = 3


@dataclass
class Chunk:
    """A run of projects: its COPY lines by table (as one block of bytes each once finished,
    cheap to send from a worker process), and how often its projects used each fragment."""

    projects: int
    lines: dict[str, list[str]] = field(default_factory=dict)
    data: dict[str, bytes] = field(default_factory=dict)
    rows: dict[str, int] = field(default_factory=dict)
    uses: Counter = field(default_factory=Counter)  # fragment text -> uses

    def add(self, table: str, *values) -> None:
        self.lines.setdefault(table, []).append("\t".join(values) + "\n")

    def finish(self) -> None:
        self.data = {table: "".join(lines).encode() for table, lines in self.lines.items()}
        self.rows = {table: len(lines) for table, lines in self.lines.items()}
        self.lines = {}


def ranked(found: list) -> tuple[list, list[float]]:
    return found, cumulative(zipf_weights(len(found), ZIPF_ORGANISATIONS))


def pick(rng, pool):
    found, cum = pool
    return found[bisect(cum, rng.random() * cum[-1])]
