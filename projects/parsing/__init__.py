"""Parsers of the source documents: text in, plain records (records.py) out. No ORM here."""

from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from . import (
    evaluation_report,
    funding_application,
    practice_assessment,
    project_card,
    webcast,
)
from .records import DocumentRecords
from .text import SourceText


@dataclass(frozen=True)
class Document:
    file_name: str
    slug: str
    parse: Callable[[SourceText], DocumentRecords]


DOCUMENTS = [
    Document("000_262a80a8a10a29a4.txt", "hankekortti-s21114", project_card.parse),
    Document("001_b7d4c47145c321c9.txt", "hyva-alku-arviointi-2020", evaluation_report.parse),
    Document("002_a985242d530abe44.txt", "webinaari-kotoutuminen-2020", webcast.parse),
    Document("003_1f83011d27571953.txt", "kumina-arvio-2019", practice_assessment.parse),
    Document("004_753faef5c611e7c3.txt", "hakemus-kaveria-ei-jateta", funding_application.parse),
]


def parse_documents(directory: Path) -> list[tuple[Document, SourceText, DocumentRecords]]:
    """Parse every source document in directory; the first broken one raises ParseError."""
    parsed = []
    for document in DOCUMENTS:
        source = SourceText.load(directory / document.file_name)
        parsed.append((document, source, document.parse(source)))
    return parsed
