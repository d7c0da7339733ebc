"""Keep personal data off public pages when a source document's text is shown.

The documents name contact persons with their e-mail addresses and phone numbers (the webcast
slides list a dozen officials, the Kumina assessment its contact person). The import keeps them
as ContactPerson rows for staff; on public pages their cited lines are blanked, and so is any
other e-mail address or phone number in the text.
"""

import re

from django.utils.translation import gettext as _

EMAIL = re.compile(r"[\w.+-]+@[\w-]+(?:\.[\w-]+)+")
# Finnish numbers as the documents write them: "02950 26043", "0295 056 048", "+358 40 123 4567".
PHONE = re.compile(r"(?<![\d.,])(?:\+358[ -]?\d|0\d)\d{0,3}(?:[ -]?\d{2,4}){1,3}(?![\d.,])")
MIN_PHONE_DIGITS = 7


def public_lines(text: str, private_line_numbers: set[int], names: set[str]) -> list[str]:
    """Return the text's lines with private lines, the names (written either way round: the
    slides list "Kanniainen Antti") and contact details replaced by a notice."""
    notice = _("[personal data removed]")
    lines = text.split("\n")
    while lines and not lines[-1].strip():
        lines.pop()  # the blank end of the extracted text (the 001 report ends in "\n ")
    for number in private_line_numbers:
        if 1 <= number <= len(lines):
            lines[number - 1] = notice
    name_pattern = _names_pattern(names)
    return [_without_contact_details(line, name_pattern, notice) for line in lines]


def public_text(text: str, names: set[str]) -> str:
    """Return the text with the names and any contact details replaced by a notice."""
    return _without_contact_details(text, _names_pattern(names), _("[personal data removed]"))


def _names_pattern(names: set[str]) -> re.Pattern | None:
    spellings = set()
    for name in names:
        spellings.add(name)
        first, _space, last = name.partition(" ")
        if last:
            spellings.add(f"{last} {first}")
    if not spellings:
        return None
    # Longest first, so that "Anna-Mari Väänänen" is not cut short by a shorter name.
    alternatives = sorted(map(re.escape, spellings), key=len, reverse=True)
    return re.compile(r"\b(?:" + "|".join(alternatives) + r")\b")


def _without_contact_details(line: str, names: re.Pattern | None, notice: str) -> str:
    if names:
        line = names.sub(notice, line)
    if "@" in line:
        line = EMAIL.sub(notice, line)
    return PHONE.sub(lambda match: _phone_or_number(match, notice), line)


def _phone_or_number(match: re.Match, notice: str) -> str:
    digits = sum(character.isdigit() for character in match[0])
    return notice if digits >= MIN_PHONE_DIGITS else match[0]
