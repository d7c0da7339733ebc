"""Parse the slides of a 2020 webcast on immigration and integration (fixture 002).

The slides come from three talks: the ministry's current affairs, the national
Pakolaistaustaisten ohjaus project, and the City of Turku. Only the project is a record of this
portal; the agenda becomes the document's summary. Slide text is fragmented: a phrase is often
split over several lines, with blank lines between them.
"""

import re
from dataclasses import astuple
from datetime import date

from django.utils.text import slugify

from .organisations import OrganisationResolver
from .records import (
    Contact,
    DocumentRecords,
    OrganisationRef,
    Output,
    PartialDate,
    Passage,
    Precision,
    Programme,
    Project,
)
from .text import Lines, SourceText, clean_line, join_lines

DATE = r"(\d{1,2})\.(\d{1,2})\.(\d{4})"
# "Hankepäällikkö Eija Asikainen, puh. 02950 26043"
STAFF = re.compile(r"^(?P<title>\w+) (?P<first>[\w-]+) (?P<last>[\w-]+), puh\.? (?P<phone>[\d ]+)$")
# "Fogde Katarina (Kia), Pohjanmaan ELY-keskus, puh. 0295 056 048"
LISTED = re.compile(
    r"^(?P<last>[\w-]+) (?P<first>[\w-]+)(?: \(\w+\))?, (?P<organisation>[^,]+), "
    r"puh\.? (?P<phone>[\d ]+)$"
)
GROUP = re.compile(r"^(?P<group>\w+)(?: \([^)]*\))?:$")
EMAIL_RULE = re.compile(r"^sähköposti etunimi\.sukunimi@(?P<domain>[\w.-]+)$")
EMAIL = re.compile(r"\b[\w.-]+@[\w-]+(?:\.[\w-]+)+\b")
# "Uudenmaan-, Keski-Suomen, Satakunnan, Pohjanmaan ja Lapin ELY-keskuksissa": regions in the
# genitive, then the kind of office in the inessive.
OFFICES = re.compile(
    r"(?P<regions>(?:[A-ZÄÖÅ][\w-]*?n-?,?\s+(?:ja\s+)?)+)(?P<office>ELY-keskuk|TE-toimisto)\w*ssa\b"
)
OFFICE_NAMES = {"ELY-keskuk": "ELY-keskus", "TE-toimisto": "TE-toimisto"}
# The slides space these names "ELY -keskus", "ELY - keskuksissa", "TE -toimisto".
OFFICE_SPACING = re.compile(r"\b(ELY|TE) ?- ?(?=keskuk|keskus|toimisto)")
MINISTRY = re.compile(r"\b(?P<name>(?:\w+- ja )?\w+ministeriö)ssä\b")
# Email addresses write ä, ö and å as a, o and a.
EMAIL_LETTERS = str.maketrans("äöå", "aoa")


def parse(source: SourceText) -> DocumentRecords:
    """Return the Pakolaistaustaisten ohjaus project and its fund from the webcast's slides."""
    agenda_end = source.require(r"^Ohjelma\s*$", what="the agenda's heading")
    agenda = _passage(source, 1, agenda_end - 1).text.split("\n\n")
    project_item = next((item for item in agenda if item.endswith("-hanke")), "")
    named = re.search(
        r"(?P<national>valtakunnallinen )?(?P<name>[A-ZÄÖÅ][\w ]*?) -hanke$", project_item
    )
    if not named:
        raise source.error(1, "expected the agenda to name a project (… -hanke)")
    name = named["name"]

    title = source.require(rf"^\s*{re.escape(name)}\s*-", agenda_end, what="the title slide")
    # The project's talk is dated on its title slide: the day of the webcast, a Tuesday.
    talk_date = _date(source, source.require(DATE, title, title + 3, what="the talk's date"))
    plan = source.require(r"^\s*Hankkeen valmistelu ja toteutus", title, what="the plan slide")
    organisation = source.require(r"^\s*Hankeorganisaatio", plan, what="the organisation slide")
    goals = source.require(r"^Hankkeen tavoite\s*$", organisation, what="the goals slide")
    divider = source.require(r"^\s*Pakolaistaustaisista\s*$", goals, what="the next section")
    who = source.require(r"^Keitä ovat pakolaistaustaiset", divider, what="the target group")
    research = source.require(r"^\s*Tutkimusten mukaan", who, what="the research findings")
    quotes = source.require(r"^\s*TE-asiantuntijoiden kokemuksen", research, what="the quotes")
    practice = source.require(r"^\s*Kohtaava asiakastyö\s*$", quotes, what="the practice slides")
    how = source.require(r"^Miten kohtaavaa asiakastyötä", practice, what="the actions slide")
    thanks = source.require(r"^\s*KIITOS!", how, what="the closing slide")
    staff = source.require(r"^\s*Hankehenkilöstö:", thanks, what="the project staff")
    series = source.require(r"^Työllisyystiistai", staff, what="the name of the webcast series")

    plan_items = _paragraphs(source, plan + 1, organisation - 1)
    period, _ = _find(source, plan_items, rf"Toteutetaan {DATE}\s*-\s*{DATE}", "dates")
    start = _partial_date(*period.groups()[:3])
    end = _partial_date(*period.groups()[3:])
    administered, administered_lines = _find(
        source, plan_items, r"Hanketta hallinnoi (.+)$", "the administrator"
    )
    fund, fund_lines = _find(
        source, plan_items, r"Rahoitus (?P<name>.+?rahasto)sta \((?P<fund>\w+)\)", "the fund"
    )
    prepared, prepared_lines = _find(
        source, plan_items, r"valmisteltiin yhdessä (.+) kanssa", "who prepared the project"
    )
    implementers = _implementers(source, organisation, goals - 1)
    contacts, contacts_end = _contacts(
        source, staff, implementers[0].name, _emails(source, thanks, staff)
    )
    # "Hanke valmisteltiin yhdessä TEM:n, OKM:n ja ...": those not on the staff slide are partners.
    resolver = OrganisationResolver()
    staffed = {resolver.resolve(ref.name).name for ref in implementers}
    partners = [
        OrganisationRef(written, "partner", prepared_lines)
        for written in _nominatives(prepared[1])
        if resolver.resolve(written).name not in staffed
    ]

    project = Project(
        key=slugify(name),
        name=name,
        lines=Lines(title, contacts_end),
        status=_status(talk_date, start.value, end.value),
        start=start,
        end=end,
        programme=_programme_key(fund["fund"], start.value.year),
        is_national=bool(named["national"]),
        implementers=[
            OrganisationRef(administered[1], "administrator", administered_lines),
            *implementers,
            *partners,
        ],
        target_groups_text=_passage(source, who + 1, research - 1).text,
        sections={
            "description": _passage(source, plan + 1, organisation - 1),
            "goals": _passage(source, goals + 1, divider - 1),
            "background": _passage(source, research, quotes - 1),
            "actions": _passage(source, how, thanks - 1),
            "dissemination": _passage(source, thanks + 1, _before_emails(source, thanks)),
        },
        outputs=[
            Output(
                clean_line(source.line(practice)),
                kind="practice",
                lines=source.trimmed(practice, thanks - 1),
            )
        ],
        contacts=contacts,
    )
    programme = Programme(
        key=project.programme,
        name=fund["name"][0].upper() + fund["name"][1:],
        fund=fund["fund"],
        lines=fund_lines,
    )
    series_name = source.line(series).split()[0]
    spoken = f"{talk_date.day}.{talk_date.month}.{talk_date.year}"
    return DocumentRecords(
        document=source.name,
        title=f"{series_name} {spoken}",
        kind="webcast",
        summary=f"{series_name}-lähetys {spoken}. Ohjelma: {_agenda(agenda)}",
        projects=[project],
        programmes=[programme],
    )


def _passage(source: SourceText, first: int, last: int) -> Passage:
    """Return lines first..last as prose, without the slides' check marks."""
    first, last = astuple(source.trimmed(first, last))
    lines = [re.sub(r"^\s*✓\s*", "", raw) for raw in source.lines[first - 1 : last]]
    text = OFFICE_SPACING.sub(r"\1-", join_lines(lines))
    text = re.sub(r" +([.,;:)”])", r"\1", text)
    return Passage(text, Lines(first, last))


def _paragraphs(source: SourceText, first: int, last: int) -> list[Passage]:
    """Return each run of non-blank lines from first to last as its own passage."""
    runs: list[Passage] = []
    start = None
    for number in range(first, last + 2):
        blank = number > last or not source.line(number).strip()
        if not blank and start is None:
            start = number
        elif blank and start is not None:
            runs.append(_passage(source, start, number - 1))
            start = None
    return runs


def _find(source: SourceText, items: list[Passage], pattern: str, what: str):
    """Return the first match of pattern in the items, and the lines of the item."""
    for item in items:
        match = re.search(pattern, item.text)
        if match:
            return match, item.lines
    first = items[0].lines.first if items else 1
    raise source.error(first, f"expected {what} on the slide")


def _date(source: SourceText, line: int) -> date:
    day, month, year = re.search(DATE, source.line(line)).groups()
    return date(int(year), int(month), int(day))


def _partial_date(day: str, month: str, year: str) -> PartialDate:
    return PartialDate(date(int(year), int(month), int(day)), Precision.DAY)


def _status(talk: date, start: date, end: date) -> str:
    """Return the project's status on the day of the talk."""
    if start <= talk <= end:
        return "ongoing"
    return "ended" if talk > end else ""


def _programme_key(fund: str, start_year: int) -> str:
    """Return the programme a fund paid from for a project starting in start_year."""
    period = "2014-2020" if start_year <= 2020 else "2021-2027"
    return f"{slugify(fund)}-{period}"


def _nominatives(listed: str) -> list[str]:
    """Return the names in "TEM:n, OKM:n ja Kaakkois-Suomen ELY-keskuksen" in the nominative."""
    names = []
    for part in re.split(r",\s*|\s+ja\s+", listed):
        name = re.sub(r":n$", "", part.strip())
        name = re.sub(r"ELY-keskuksen$", "ELY-keskus", name)
        names.append(name)
    return names


def _implementers(source: SourceText, first: int, last: int) -> list[OrganisationRef]:
    """Return the offices where the slide places the project's staff, the leading one first.

    "Hankkeen johtaminen ja hallinnointi Kaakkois-Suomen ELY-keskuksessa. Projektiasiantuntijat
    työ- ja elinkeinoministeriössä, Uudenmaan-, ... ELY-keskuksissa. Asiantuntijat ... TE-
    toimistoissa." The list items ("- hankepäällikkö") are left out.
    """
    lines = [
        raw
        for raw in source.lines[first - 1 : last]
        if raw.strip() and not raw.strip().startswith("- ")
    ]
    text = OFFICE_SPACING.sub(r"\1-", join_lines(lines))
    found: list[tuple[int, int, str]] = []
    for match in OFFICES.finditer(text):
        office = OFFICE_NAMES[match["office"]]
        regions = re.split(r",\s*|\s+ja\s+", match["regions"].strip())
        for index, region in enumerate(regions):
            found.append((match.start(), index, f"{region.strip().rstrip('-')} {office}"))
    for match in MINISTRY.finditer(text):
        found.append((match.start(), 0, match["name"][0].upper() + match["name"][1:]))
    lead = re.search(r"johtaminen ja hallinnointi ", text)
    if not found or not lead:
        raise source.error(first, "expected the offices of the project's staff")
    slide = source.trimmed(first, last)
    return [
        OrganisationRef(name, "main" if (position, index) == (lead.end(), 0) else "co", slide)
        for position, index, name in sorted(found)
    ]


def _emails(source: SourceText, first: int, last: int) -> dict[str, str]:
    """Return the addresses written out from first to last by their local part."""
    found = (
        match.group(0) for line in source.lines[first - 1 : last] for match in EMAIL.finditer(line)
    )
    return {address.split("@")[0]: address for address in found}


def _before_emails(source: SourceText, thanks: int) -> int:
    """Return the last line of text on the closing slide before its email address."""
    email = source.require(EMAIL.pattern, thanks, what="an email address on the closing slide")
    return source.trimmed(thanks, email - 1).last


def _contacts(
    source: SourceText, staff: int, lead: str, emails: dict[str, str]
) -> tuple[list[Contact], int]:
    """Return the staff listed from the staff slide on, and the last line of the list.

    A slide may end with "sähköposti etunimi.sukunimi@ely-keskus.fi": that rule gives an
    address to the people on the slide who work in such an office and have none written out.
    """
    contacts: list[Contact] = []
    on_slide: list[tuple[Contact, str]] = []
    group_title = ""
    last = staff
    for number in range(staff, len(source) + 1):
        line = OFFICE_SPACING.sub(r"\1-", clean_line(source.line(number)))
        if not line:
            continue
        if group := GROUP.match(line):
            # "Projektiasiantuntijat (ELY/TEM):" is a plural; each person is a projektiasiantuntija.
            group_title = group["group"].lower().removesuffix("t")
        elif person := STAFF.match(line):
            on_slide.append(_contact(person, lead, person["title"].lower(), emails, number))
        elif person := LISTED.match(line):
            organisation = person["organisation"][0].upper() + person["organisation"][1:]
            on_slide.append(_contact(person, organisation, group_title, emails, number))
        elif rule := EMAIL_RULE.match(line):
            office = rule["domain"].split(".")[0]
            for contact, local_part in on_slide:
                if not contact.email and office in contact.organisation.casefold():
                    contact.email = f"{local_part}@{rule['domain']}"
            contacts += [contact for contact, _ in on_slide]
            on_slide = []
        else:
            break
        last = number
    contacts += [contact for contact, _ in on_slide]
    if not contacts:
        raise source.error(staff, "expected the project's staff with their phone numbers")
    return contacts, last


def _contact(
    person: re.Match, organisation: str, title: str, emails: dict[str, str], line: int
) -> tuple[Contact, str]:
    """Return the contact a line lists, and the local part of their email address."""
    local_part = f"{person['first']}.{person['last']}".lower().translate(EMAIL_LETTERS)
    contact = Contact(
        name=f"{person['first']} {person['last']}",
        organisation=organisation,
        title=title,
        email=emails.get(local_part, ""),
        phone=person["phone"].strip(),
        lines=Lines(line, line),
    )
    return contact, local_part


def _agenda(items: list[str]) -> str:
    """Return the agenda as one line: each time slot with its speakers in brackets."""
    entries: list[str] = []
    for item in items:
        if item.startswith("klo ") or not entries:
            entries.append(item)
        else:
            entries[-1] += f" ({item.removeprefix('- ')})"
    return "; ".join(entries) + "."
