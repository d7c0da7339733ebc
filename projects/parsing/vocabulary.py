"""Controlled vocabularies: target groups (and the words in a text that point to each), and
the official names of the programmes the documents refer to only by fund and period."""

import re
from dataclasses import dataclass


@dataclass(frozen=True)
class Term:
    slug: str
    name: str
    description: str
    pattern: str


TARGET_GROUPS = [
    Term(
        "maahanmuuttajat",
        "Maahanmuuttajat",
        "Maahanmuuttajat ja maahanmuuttajataustaiset henkilöt.",
        r"maahanmuutt|kotoutuj|kotoutumiskoulutu|oleskeluluv|ulkomaalais",
    ),
    Term(
        "pakolaistaustaiset",
        "Pakolaistaustaiset",
        "Pakolaisina tai turvapaikanhakijoina Suomeen tulleet.",
        r"pakolai|turvapaik|kiintiöpakol",
    ),
    Term("tyottomat", "Työttömät", "Työttömät työnhakijat.", r"työttöm"),
    Term(
        "pitkaaikaistyottomat",
        "Pitkäaikaistyöttömät ja vaikeasti työllistyvät",
        "Pitkään työttömänä olleet ja vaikeasti työllistyvät.",
        r"pitkäaikaistyöttöm|pitkään työttömänä|pitkittyn|vaikeasti työllistyv"
        r"|työllistämispalvelujen asiakk",
    ),
    Term("nuoret", "Nuoret", "Nuoret ja nuoret aikuiset.", r"\bnuor(et|ille|ten|ia)\b"),
    Term(
        "naiset-ja-kotivanhemmat",
        "Naiset ja kotivanhemmat",
        "Maahanmuuttajanaiset, äidit ja kotona lapsia hoitavat vanhemmat.",
        r"\bäidi|\bnais(et|ia|ten|ille)\b|maahanmuuttajanais|kotivanhem|kotiäid",
    ),
    Term(
        "vammaiset-ja-toimintarajoitteiset",
        "Vammaiset ja toimintarajoitteiset",
        "Vammaiset ja toimintarajoitteiset henkilöt.",
        r"vammai|toimintarajoit",
    ),
    Term(
        "tyossa-kayvat",
        "Työssä käyvät",
        "Työssä käyvät ja työpaikoilla toimivat.",
        r"työssä käyv|työntekijöi",
    ),
    Term(
        "tyonantajat",
        "Työnantajat ja yritykset",
        "Työnantajat, yritykset ja niiden vastuuhenkilöt.",
        r"työnantaj|yritysten|yrityksi",
    ),
    Term(
        "ammattilaiset",
        "Ammattilaiset ja viranomaiset",
        "Palveluja tuottavat ammattilaiset, viranomaiset ja järjestöt.",
        r"ammattilai|viranomai|henkilöstö|asiantuntij",
    ),
    Term(
        "opiskelijat",
        "Opiskelijat",
        "Opiskelijat ja koulutuksessa olevat.",
        r"opiskelij|koulutuksessa olev",
    ),
    Term(
        "ikaantyneet",
        "Ikääntyneet ja eläkeläiset",
        "Ikääntyneet ja eläkkeellä olevat.",
        r"ikäänty|ikäihmi|eläkkeellä|vanhu",
    ),
    Term(
        "syrjaytymisvaarassa",
        "Syrjäytymisvaarassa olevat",
        "Syrjäytymisvaarassa olevat ja työmarkkinoiden ulkopuolella olevat.",
        r"syrjäyty|työmarkkinoiden ulkopuol|kuntouttav",
    ),
]


def target_groups(text: str) -> list[str]:
    """Return the slugs of the target groups a text names, in vocabulary order."""
    lowered = text.casefold()
    return [term.slug for term in TARGET_GROUPS if re.search(term.pattern, lowered)]


# The documents say "ESR", "ESR TL5", "ESR+" or "AMIF"; these are the programmes' own names.
PROGRAMME_NAMES = {
    "esr-2014-2020": "Kestävää kasvua ja työtä 2014–2020 – Suomen rakennerahasto-ohjelma",
    "esr-plus-2021-2027": (
        "Uudistuva ja osaava Suomi 2021–2027 – EU:n alue- ja rakennepolitiikan ohjelma"
    ),
    "amif-2014-2020": "Turvapaikka-, maahanmuutto- ja kotouttamisrahasto 2014–2020",
}
