"""Resolve organisation names as the documents write them to one organisation each.

The documents name one organisation in several ways: the compilation of pilot projects gives
official names ("TAMK Oy", "Lahden ammattikorkeakoulu Oy") while the annual reports use
abbreviations ("TAMK", "LAMK", "Omnia", "Hdl"). KNOWN lists the organisations that go by more
than one name in the documents; any other name stands for itself.
"""

import re
from dataclasses import dataclass, field


@dataclass(frozen=True)
class KnownOrganisation:
    name: str
    kind: str
    abbreviations: tuple[str, ...] = ()
    other_names: tuple[str, ...] = ()


@dataclass
class ResolvedOrganisation:
    """An organisation and every name the documents used for it."""

    name: str
    kind: str
    abbreviations: set[str] = field(default_factory=set)
    other_names: set[str] = field(default_factory=set)


KNOWN = [
    # 001, report 3's list of pilots: "TOITA ... (TAMK)"; compilation: "TAMK Oy".
    KnownOrganisation("Tampereen ammattikorkeakoulu Oy", "uas", ("TAMK", "TAMK Oy")),
    KnownOrganisation("Lahden ammattikorkeakoulu Oy", "uas", ("LAMK",)),
    KnownOrganisation("Turun ammattikorkeakoulu Oy", "uas", ("Turku AMK",)),
    KnownOrganisation("Espoon seudun koulutuskuntayhtymä", "education_consortium", ("Omnia",)),
    KnownOrganisation("Kouvolan Ammatillinen Aikuiskoulutussäätiö", "foundation", ("Kouvola AKK",)),
    KnownOrganisation("Helsingin Diakonissalaitos", "foundation", ("Hdl",)),
    KnownOrganisation("Oulun seudun ammattiopisto", "school", ("OSAO",)),
    KnownOrganisation("Careeria Oy", "school", (), ("Careeria", "Edupoli", "Edupoli/Careeria")),
    KnownOrganisation(
        "Koulutuskuntayhtymä Tavastia", "education_consortium", (), ("Ammattiopisto Tavastia",)
    ),
    KnownOrganisation(
        "Salon seudun koulutuskuntayhtymä",
        "education_consortium",
        (),
        ("Salon seudun ammattiopisto",),
    ),
    KnownOrganisation("Länsirannikon koulutus Oy", "company", (), ("Länsirannikon koulutus",)),
    KnownOrganisation("Työtehoseura ry", "association", (), ("Työtehoseura",)),
    KnownOrganisation(
        "Keski-Suomen Monikulttuuristen liitto Wari ry", "association", (), ("Wari ry",)
    ),
    KnownOrganisation("Nuorten Ystävät ry", "association", (), ("Nuorten ystävät ry",)),
    KnownOrganisation(
        "Uudenmaan ELY-keskus",
        "ely_centre",
        (),
        ("Uudenmaan elinkeino-, liikenne- ja ympäristökeskus",),
    ),
    KnownOrganisation("Työ- ja elinkeinoministeriö", "ministry", ("TEM",)),
    KnownOrganisation("Opetus- ja kulttuuriministeriö", "ministry", ("OKM",)),
    KnownOrganisation("Terveyden ja hyvinvoinnin laitos", "agency", ("THL",)),
    KnownOrganisation(
        "Sosiaalisen osallisuuden edistämisen koordinaatiohanke Sokra",
        "project",
        ("Sokra",),
        ("Sosiaalisen osallisuuden edistämisen koordinaatiohanke – Sokra",),
    ),
]

KIND_PATTERNS = [
    ("ely_centre", r"\bELY-keskus|elinkeino-, liikenne- ja ympäristökeskus"),
    ("ministry", r"ministeriö"),
    ("agency", r"TE-toimisto|virasto|\blaitos$"),
    ("wellbeing_services", r"hyvinvointialue"),
    ("uas", r"ammattikorkeakoulu|\bAMK\b"),
    ("university", r"yliopisto"),
    ("education_consortium", r"koulutuskuntayhtymä|koulutuksen ky\b|för utbildning"),
    ("joint_authority", r"kuntayhtymä|samkommun"),
    ("municipality", r"\b(kaupunki|kunta)$|^(Kaupunki|Kunta)\b"),
    ("regional_council", r"^\w+ liitto$|förbund$"),
    ("foundation", r"säätiö"),
    ("school", r"opisto|oppilaitos|koulutuskeskus|College|Folkakademi|Amiedu"),
    ("company", r"\bOy\b|\bOyj\b|\bAb\b"),
    (
        "association",
        r"\bry\b|\brf\b|\bry\.|liitto|seura|yhdistys|Association|klubi|verkosto|\bSAK\b",
    ),
    ("project", r"hanke\b|-hanke"),
]

_BY_NAME = {}
for _known in KNOWN:
    for _name in (_known.name, *_known.abbreviations, *_known.other_names):
        _BY_NAME[re.sub(r"[\s.]+", " ", _name).strip().casefold()] = _known


def normalise(name: str) -> str:
    """Return the comparable form of a name: case and spacing folded, trailing dots dropped."""
    return re.sub(r"[\s.]+", " ", name).strip().casefold()


def guess_kind(name: str) -> str:
    """Return the organisation kind a Finnish or Swedish name suggests, or "other"."""
    for kind, pattern in KIND_PATTERNS:
        if re.search(pattern, name, re.IGNORECASE):
            return kind
    return "other"


def clean_name(name: str) -> str:
    """Tidy a name as written: spacing folded, "ry." written "ry", stray punctuation dropped."""
    name = re.sub(r"\s+", " ", name).strip(" ,;")
    return re.sub(r"\b(ry|rf)\.$", r"\1", name)


class OrganisationResolver:
    """Collect names as written and group them into organisations."""

    def __init__(self):
        self.organisations: dict[str, ResolvedOrganisation] = {}

    def resolve(self, written: str) -> ResolvedOrganisation:
        """Return the organisation a written name stands for, remembering the name."""
        written = clean_name(written)
        known = _BY_NAME.get(normalise(written))
        name = known.name if known else written
        organisation = self.organisations.get(normalise(name))
        if organisation is None:
            organisation = ResolvedOrganisation(
                name=name,
                kind=known.kind if known else guess_kind(name),
                abbreviations=set(known.abbreviations) if known else set(),
            )
            self.organisations[normalise(name)] = organisation
        if normalise(written) != normalise(name) and written not in organisation.abbreviations:
            organisation.other_names.add(written)
        return organisation
