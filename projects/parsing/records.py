"""Plain records that the document parsers return and the import command maps to models.

Nothing here touches the ORM. Names of organisations, places and target groups stay as the
document writes them (cleaned of hyphenation); the import command resolves them to rows.
Keys (`key` fields) are stable slugs used to say "the same thing" across documents.
"""

from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal

from .text import Lines


class Precision:
    DAY = "day"
    MONTH = "month"
    YEAR = "year"


@dataclass(frozen=True)
class PartialDate:
    """A date known to a day, a month (day is 1) or only a year (month and day are 1)."""

    value: date
    precision: str = Precision.DAY


@dataclass
class Passage:
    """A piece of text and the lines it came from."""

    text: str
    lines: Lines


@dataclass
class OrganisationRef:
    """An organisation as named in a document, and what it did there.

    role: "main" or "co" (implementers), "funder", "administrator", "evaluator",
    "developer", "partner".
    """

    name: str
    role: str = "main"
    lines: Lines | None = None


@dataclass
class Outcome:
    """A planned or achieved figure.

    kind: participants, employed, in_education, employed_or_education, entrepreneurs,
    job_seeking, satisfaction, other.
    stage: "planned" or "achieved". unit: "persons", "percent", "count" (or "score" for a
    rating such as 4.5/5). label: what is counted, in the document's words ("kurssit").
    """

    kind: str
    stage: str
    value: Decimal
    unit: str
    phrase: str
    lines: Lines
    label: str = ""


@dataclass
class Output:
    """A publication, product or link a project produced. kind: publication, practice, link."""

    title: str
    url: str = ""
    kind: str = "publication"
    lines: Lines | None = None


@dataclass
class Contact:
    """A contact person. Personal data: shown to staff only."""

    name: str
    organisation: str = ""
    title: str = ""
    email: str = ""
    phone: str = ""
    lines: Lines | None = None


@dataclass
class MoneyLine:
    """A line of a cost estimate ("cost") or a financing plan ("financing"), in euros."""

    section: str
    position: int
    label: str
    applied: Decimal | None = None
    approved: Decimal | None = None
    rejected: Decimal | None = None
    share_percent: Decimal | None = None
    is_total: bool = False
    lines: Lines | None = None


@dataclass
class DecisionStage:
    """A dated step in handling an application (a meeting of a named body)."""

    date: date
    body: str
    lines: Lines | None = None


@dataclass
class Decision:
    """The funder's decision on an application."""

    funded: bool
    reasoning: Passage
    score: int | None = None
    max_score: int | None = None
    stages: list[DecisionStage] = field(default_factory=list)
    money_lines: list[MoneyLine] = field(default_factory=list)
    lines: Lines | None = None


@dataclass
class Project:
    """One project.

    status: applied, rejected, ongoing, ended (or "" when no document says).
    sections: keys background, goals, actions, results, dissemination, notes, description.
    places: municipality or region names as written. target_groups_text: the document's wording.
    """

    key: str
    name: str
    lines: Lines
    other_names: list[str] = field(default_factory=list)
    code: str = ""
    status: str = ""
    start: PartialDate | None = None
    end: PartialDate | None = None
    programme: str = ""
    funding_round: str = ""
    parent: str = ""
    funder: OrganisationRef | None = None
    implementers: list[OrganisationRef] = field(default_factory=list)
    places: list[str] = field(default_factory=list)
    is_national: bool = False
    target_groups_text: str = ""
    sections: dict[str, Passage] = field(default_factory=dict)
    realised_public_funding: Decimal | None = None
    applied_total: Decimal | None = None
    approved_total: Decimal | None = None
    outcomes: list[Outcome] = field(default_factory=list)
    outputs: list[Output] = field(default_factory=list)
    contacts: list[Contact] = field(default_factory=list)
    decision: Decision | None = None


@dataclass
class FundingRound:
    """A call for projects. programme: a programme key; coordinator: a project key."""

    key: str
    name: str
    number: int
    lines: Lines
    programme: str = ""
    coordinator: str = ""
    call_year: int | None = None
    first_year: int | None = None
    last_year: int | None = None
    theme: str = ""
    summary_report: str = ""


@dataclass
class Thesis:
    number: int
    title: str
    text: str
    lines: Lines


@dataclass
class Recommendation:
    """A numbered recommendation; addressed_to names the group it speaks to."""

    number: int
    text: str
    lines: Lines
    addressed_to: str = ""


@dataclass
class ProjectMention:
    """A report discussing a project. project: the project key (resolved by the parser);
    implementers: the organisations the report names with it, as written ("TAMK", "Omnia")."""

    project: str
    lines: Lines
    implementers: list[str] = field(default_factory=list)
    status: str = ""
    end: PartialDate | None = None
    remark: str = ""


@dataclass
class Report:
    """An evaluation report, an annual report appended to it, a project card or an assessment.

    kind: developmental_evaluation, annual_evaluation, practice_model_assessment, project_card.
    parent: the key of the report this one is appended to.
    """

    key: str
    title: str
    kind: str
    lines: Lines
    year: int | None = None
    published: PartialDate | None = None
    evaluator_organisations: list[str] = field(default_factory=list)
    evaluator_person: str = ""
    parent: str = ""
    summary: str = ""
    theses: list[Thesis] = field(default_factory=list)
    recommendations: list[Recommendation] = field(default_factory=list)
    mentions: list[ProjectMention] = field(default_factory=list)


@dataclass
class Criterion:
    """One criterion a practice model was assessed against. group: participation or
    promising_practice."""

    group: str
    name: str
    assessment: str
    lines: Lines


@dataclass
class PracticeModel:
    """A practice model a project developed, and its assessment in a report."""

    key: str
    name: str
    project: str
    report: str
    description: Passage
    criteria: list[Criterion] = field(default_factory=list)


@dataclass
class Programme:
    """A programme or fund. key e.g. "esr-2014-2020", "esr-plus-2021-2027", "amif-2014-2020"."""

    key: str
    name: str
    fund: str
    lines: Lines | None = None
    detail: str = ""


@dataclass
class DocumentRecords:
    """Everything one parser takes from one document."""

    document: str
    title: str
    kind: str
    summary: str
    projects: list[Project] = field(default_factory=list)
    funding_rounds: list[FundingRound] = field(default_factory=list)
    reports: list[Report] = field(default_factory=list)
    practice_models: list[PracticeModel] = field(default_factory=list)
    programmes: list[Programme] = field(default_factory=list)
