"""What synthetic records are drawn from: the real records' sentences, names, places, target
groups and outcomes, read from the committed fixtures so that a seed gives the same data whatever
the database holds.

A `Fragment` is a piece of text ready for COPY (escaped once) with the words and Voikko lemmas the
search index needs from it, computed once: a million projects reuse a few thousand fragments.
"""

import json
import re
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path

import pyvoikko
from django.conf import settings

from projects.parsing.finnish import clean, is_vocabulary, lemmas_and_parts_of, words

FIXTURES = Path(settings.BASE_DIR) / "fixtures"
COPY_ESCAPES = str.maketrans({"\\": "\\\\", "\t": "\\t", "\n": "\\n", "\r": "\\r"})
NEEDS_ESCAPE = re.compile(r"[\\\t\n\r]")
SENTENCE_END = re.compile(r'(?<=[.!?])\s+(?=[A-ZÅÄÖ0-9"”])')
# A sentence with an e-mail address, a web address or a phone number may carry personal data.
PRIVATE = re.compile(r"@|https?:|www\.|\d{3}[ -]?\d{4}")

# Sections of the real records, and the evaluation texts that widen each section's pool.
SECTION_SOURCES = {
    "description": [
        ("projects.project", "description"),
        ("evaluations.practicemodel", "description"),
        ("evaluations.criterion", "assessment"),
    ],
    "background": [
        ("projects.project", "background"),
        ("evaluations.thesis", "text"),
        ("projects.decision", "reasoning"),
    ],
    "goals": [("projects.project", "goals")],
    "actions": [("projects.project", "actions"), ("evaluations.recommendation", "text")],
    "results": [("projects.project", "results")],
    "dissemination": [("projects.project", "dissemination"), ("evaluations.thesis", "text")],
    "notes": [("projects.project", "notes"), ("evaluations.recommendation", "text")],
    "target_groups_text": [
        ("projects.project", "target_groups_text"),
        ("projects.targetgroup", "description"),
    ],
}

# Statistics Finland's order of the largest municipalities; the others follow in code order.
LARGEST_MUNICIPALITIES = [
    "Helsinki",
    "Espoo",
    "Tampere",
    "Vantaa",
    "Oulu",
    "Turku",
    "Jyväskylä",
    "Kuopio",
    "Lahti",
    "Pori",
    "Kouvola",
    "Joensuu",
    "Lappeenranta",
    "Vaasa",
    "Hämeenlinna",
    "Seinäjoki",
    "Rovaniemi",
    "Mikkeli",
    "Porvoo",
    "Salo",
    "Kotka",
    "Kokkola",
    "Hyvinkää",
    "Lohja",
    "Järvenpää",
    "Nurmijärvi",
    "Rauma",
    "Kirkkonummi",
    "Tuusula",
    "Kerava",
    "Kajaani",
    "Kangasala",
    "Savonlinna",
    "Nokia",
    "Ylöjärvi",
    "Kaarina",
    "Vihti",
    "Riihimäki",
    "Raasepori",
    "Imatra",
]

VOWELS = "aeiouyäö"
STRONG_TO_WEAK = (
    ("nk", "ng"),
    ("kk", "k"),
    ("pp", "p"),
    ("tt", "t"),
    ("nt", "nn"),
    ("lt", "ll"),
    ("rt", "rr"),
    ("mp", "mm"),
    ("ht", "hd"),
    ("t", "d"),
    ("k", ""),
    ("p", "v"),
    ("k", "v"),
    ("k", "j"),
)
IRREGULAR_GENITIVES = {
    "Uusimaa": "Uudenmaan",
    "Uusikaupunki": "Uudenkaupungin",
    "Isokyrö": "Isonkyrön",
    "Virrat": "Virtain",
    "Pihtipudas": "Pihtiputaan",
    "Punkalaidun": "Punkalaitumen",
    "Varkaus": "Varkauden",
    "Alavus": "Alavuden",
    "Koski Tl": "Kosken Tl",
}
# The ELY centre that funds a region's projects (Kymenlaakso and Etelä-Karjala share one, etc.).
ELY_CENTRES = {
    "Uusimaa": "Uudenmaan",
    "Varsinais-Suomi": "Varsinais-Suomen",
    "Satakunta": "Satakunnan",
    "Kanta-Häme": "Hämeen",
    "Päijät-Häme": "Hämeen",
    "Pirkanmaa": "Pirkanmaan",
    "Kymenlaakso": "Kaakkois-Suomen",
    "Etelä-Karjala": "Kaakkois-Suomen",
    "Etelä-Savo": "Etelä-Savon",
    "Pohjois-Savo": "Pohjois-Savon",
    "Pohjois-Karjala": "Pohjois-Karjalan",
    "Keski-Suomi": "Keski-Suomen",
    "Etelä-Pohjanmaa": "Etelä-Pohjanmaan",
    "Pohjanmaa": "Pohjanmaan",
    "Keski-Pohjanmaa": "Pohjois-Pohjanmaan",
    "Pohjois-Pohjanmaa": "Pohjois-Pohjanmaan",
    "Kainuu": "Kainuun",
    "Lappi": "Lapin",
    "Ahvenanmaa": "Varsinais-Suomen",
}


def copy_text(text: str) -> str:
    """Return text escaped for PostgreSQL's COPY text format."""
    # Searching first: translate() walks a non-ASCII text char by char, and few need it.
    return text.translate(COPY_ESCAPES) if NEEDS_ESCAPE.search(text) else text


@dataclass(frozen=True, slots=True)
class Fragment:
    """Text ready for COPY, with what the search index takes from it. `id` numbers it in
    FRAGMENTS, and in the temporary table of fragment vectors the loader builds."""

    id: int
    text: str
    copy: str
    lemmas: frozenset = field(repr=False)
    found: frozenset = field(repr=False)


FRAGMENTS: list[Fragment] = []


@cache
def fragment(text: str) -> Fragment:
    """Return a text with its escaped form, its Voikko lemmas and compound parts, and the words
    and lemmas the word list counts (projects.models.search.search_document does the same)."""
    lemmas = frozenset(lemmas_and_parts_of(text))
    found = frozenset(word for word in {*words(text), *lemmas} if is_vocabulary(word))
    created = Fragment(len(FRAGMENTS), text, copy_text(text), lemmas, found)
    FRAGMENTS.append(created)
    return created


def genitive(name: str) -> str:
    """Return a Finnish place name in the genitive, for "Oulun kaupunki": the first of a few
    regular forms that Voikko reads as the name's genitive (Helsinki -> Helsingin, Lahti ->
    Lahden), else a plain -n (or -in after a consonant: Saltvikin)."""
    if name in IRREGULAR_GENITIVES:
        return IRREGULAR_GENITIVES[name]
    head, _, last = name.rpartition("-")
    if head:
        return f"{head}-{genitive(last)}"
    for candidate in _genitive_candidates(name):
        readings = pyvoikko.analyse(candidate.lower())
        if any(
            reading.SIJAMUOTO == "omanto"
            and reading.NUMBER == "singular"
            and reading.BASEFORM.replace("=", "").lower() == name.lower()
            for reading in readings
        ):
            return candidate
    return name + ("n" if name[-1] in VOWELS else "in")


def _genitive_candidates(name: str) -> list[str]:
    stems = [name]
    if name.endswith("vesi"):
        stems.insert(0, name[:-4] + "vede")
    if name.endswith("i"):
        stems.insert(0, name[:-1] + "e")
    if name.endswith("nen"):
        stems.insert(0, name[:-3] + "se")
    if name.endswith("e"):
        stems.insert(0, name + "e")
    if name.endswith("s"):
        stems += [name[:-1] + "kse", name + "e"]
    if name[-1] not in VOWELS:
        stems.append(name + "i")
    candidates = []
    for stem in stems:
        candidates.append(stem + "n")
        found = re.search(r"(nk|kk|pp|tt|nt|lt|rt|mp|ht|t|k|p)([aeiouyäö]+)$", stem)
        if found:
            cut, vowels = stem[: found.start(1)], found.group(2)
            candidates += [
                f"{cut}{weak}{vowels}n" for strong, weak in STRONG_TO_WEAK if found[1] == strong
            ]
    return candidates


@dataclass(frozen=True)
class Region:
    code: str
    name: str
    genitive: str
    ely_centre: str


@dataclass(frozen=True)
class Municipality:
    code: str
    name: str
    genitive: str
    region: str  # code
    rank: int  # 1 = the largest


class RealRecords:
    """The committed fixtures, read once: sentence pools by section, places, reference rows."""

    def __init__(self, fixtures: Path = FIXTURES):
        records = json.loads((fixtures / "records.json").read_text(encoding="utf-8"))
        places = json.loads((fixtures / "places.json").read_text(encoding="utf-8"))
        by_model: dict[str, list[dict]] = {}
        for record in records:
            by_model.setdefault(record["model"], []).append(record["fields"])
        self.by_model = by_model
        private_names = {person["name"] for person in by_model.get("projects.contactperson", [])}
        self.sentences = {
            section: self._sentences(sources, private_names)
            for section, sources in SECTION_SOURCES.items()
        }
        self.programmes = by_model["projects.programme"]
        self.target_groups = by_model["projects.targetgroup"]
        self.outcomes = by_model.get("projects.outcome", [])
        self.money_lines = by_model.get("projects.moneyline", [])
        self.decision_bodies = [
            stage["body"] for stage in by_model.get("projects.decisionstage", [])
        ]
        self.regions = {
            place["fields"]["code"]: Region(
                place["fields"]["code"],
                place["fields"]["name"],
                genitive(place["fields"]["name"]),
                ELY_CENTRES[place["fields"]["name"]] + " ELY-keskus",
            )
            for place in places
            if place["model"] == "projects.region"
        }
        municipalities = sorted(
            (place["fields"] for place in places if place["model"] == "projects.municipality"),
            key=lambda fields: fields["code"],
        )
        order = {name: rank for rank, name in enumerate(LARGEST_MUNICIPALITIES, start=1)}
        ranked = sorted(
            municipalities, key=lambda m: (order.get(m["name"], len(order) + 1), m["code"])
        )
        self.municipalities = [
            Municipality(m["code"], m["name"], genitive(m["name"]), m["region"][0], rank)
            for rank, m in enumerate(ranked, start=1)
        ]
        self.target_group_counts = {}
        for project in by_model["projects.project"]:
            for (slug,) in project["target_groups"]:
                self.target_group_counts[slug] = self.target_group_counts.get(slug, 0) + 1

    def _sentences(self, sources, private_names) -> list[Fragment]:
        found = []
        for model, attribute in sources:
            for fields in self.by_model.get(model, []):
                for paragraph in fields.get(attribute, "").split("\n"):
                    for sentence in SENTENCE_END.split(clean(paragraph)):
                        if not 25 <= len(sentence) <= 400 or PRIVATE.search(sentence):
                            continue
                        if any(name in sentence for name in private_names):
                            continue
                        found.append(sentence)
        return [fragment(sentence) for sentence in dict.fromkeys(found)]
