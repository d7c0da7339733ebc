"""Map the parsers' plain records to Django fixture objects keyed by natural keys.

The result is deterministic: the same documents give byte-identical fixture files, so running
the import again with nothing changed leaves `git status` clean.
"""

import hashlib
import json
from collections import defaultdict
from decimal import Decimal
from pathlib import Path

from django.core.serializers.json import DjangoJSONEncoder
from django.utils.text import slugify

from projects.models import Project
from projects.parsing import records as r
from projects.parsing.organisations import OrganisationResolver, ResolvedOrganisation
from projects.parsing.text import Lines, ParseError, SourceText
from projects.parsing.vocabulary import PROGRAMME_NAMES, TARGET_GROUPS, target_groups

# Fixture objects of one model are written together, in this order, so that every natural
# foreign key points at an object written before it (loaddata and our loader read in order).
MODEL_ORDER = [
    "projects.sourcedocument",
    "projects.targetgroup",
    "projects.organisation",
    "projects.organisationname",
    "projects.programme",
    "projects.project",
    "projects.fundinground",
    "projects.implementation",
    "projects.sectionsource",
    "projects.outcome",
    "projects.output",
    "projects.contactperson",
    "projects.decision",
    "projects.decisionstage",
    "projects.moneyline",
    "evaluations.report",
    "evaluations.thesis",
    "evaluations.recommendation",
    "evaluations.projectmention",
    "evaluations.practicemodel",
    "evaluations.criterion",
]

# The parsers' roles (records.OrganisationRef) as Implementation roles.
IMPLEMENTER_ROLES = {"main": "main", "co": "co", "developer": "co", "partner": "partner"}

# Areas the documents name that are not a municipality or a region.
AREAS = {"pääkaupunkiseutu": ["Helsinki", "Espoo", "Vantaa", "Kauniainen"]}


def money(value: Decimal | None) -> str | None:
    return None if value is None else f"{value:.2f}"


def cited(document: str, lines: Lines | None) -> dict:
    if lines is None:
        return {"document": [document], "first_line": None, "last_line": None}
    return {"document": [document], "first_line": lines.first, "last_line": lines.last}


class Places:
    """Municipality and region names resolved to codes, from fixtures/places.json."""

    def __init__(self, places_fixture: Path):
        objects = json.loads(places_fixture.read_text(encoding="utf-8"))
        self.regions = {}
        self.municipalities = {}
        for obj in objects:
            fields = obj["fields"]
            if obj["model"] == "projects.region":
                self.regions[fields["name"].casefold()] = fields["code"]
            else:
                self.municipalities[fields["name"].casefold()] = (
                    fields["code"],
                    fields["region"][0],
                )

    def resolve(self, names: list[str], source: SourceText, line: int) -> tuple[list, list]:
        """Return (municipality codes, region codes) for place names; regions of the
        municipalities included. An unknown name is a ParseError at the record's line."""
        municipalities, regions = set(), set()
        for written in names:
            for name in AREAS.get(written.casefold(), [written]):
                key = name.casefold()
                if key in self.municipalities:
                    code, region = self.municipalities[key]
                    municipalities.add(code)
                    regions.add(region)
                elif key in self.regions:
                    regions.add(self.regions[key])
                else:
                    raise source.error(line, f"unknown municipality or region {written!r}")
        return sorted([c] for c in municipalities), sorted([c] for c in regions)


class FixtureBuilder:
    """Collect the records of every document and write them as fixture objects."""

    def __init__(self, places: Places):
        self.places = places
        self.organisations = OrganisationResolver()
        self.objects: dict[str, dict[tuple, dict]] = defaultdict(dict)

    def add(self, model: str, key: tuple, fields: dict) -> None:
        self.objects[model][key] = {"model": model, "fields": fields}

    def organisation(self, written: str) -> list[str]:
        return [slugify(self.organisations.resolve(written).name)]

    def add_document(self, slug: str, source: SourceText, records: r.DocumentRecords) -> None:
        text = "\n".join(source.lines)
        self.add(
            "projects.sourcedocument",
            (slug,),
            {
                "slug": slug,
                "file_name": source.name,
                "title": records.title,
                "kind": records.kind,
                "summary": records.summary,
                "text": text,
                "sha256": hashlib.sha256(text.encode()).hexdigest(),
            },
        )
        for programme in records.programmes:
            self.add_programme(programme)
        for project in records.projects:
            self.add_project(slug, source, project)
        for funding_round in records.funding_rounds:
            self.add_funding_round(slug, funding_round)
        for report in records.reports:
            self.add_report(slug, report)
        for model in records.practice_models:
            self.add_practice_model(slug, model)

    def add_programme(self, programme: r.Programme) -> None:
        existing = self.objects["projects.programme"].get((programme.key,))
        if existing and existing["fields"]["detail"]:
            return
        self.add(
            "projects.programme",
            (programme.key,),
            {
                "slug": programme.key,
                "name": PROGRAMME_NAMES.get(programme.key, programme.name),
                "fund": programme.fund,
                "detail": programme.detail,
            },
        )

    def add_funding_round(self, document: str, funding_round: r.FundingRound) -> None:
        self.add(
            "projects.fundinground",
            (funding_round.key,),
            {
                "slug": funding_round.key,
                "name": funding_round.name,
                "number": funding_round.number,
                "programme": [funding_round.programme] if funding_round.programme else None,
                "coordinator": [funding_round.coordinator] if funding_round.coordinator else None,
                "call_year": funding_round.call_year,
                "first_year": funding_round.first_year,
                "last_year": funding_round.last_year,
                "theme": funding_round.theme,
                "summary_report": funding_round.summary_report,
                **cited(document, funding_round.lines),
            },
        )

    def add_project(self, document: str, source: SourceText, project: r.Project) -> None:
        key = (project.key,)
        if key in self.objects["projects.project"]:
            raise source.error(project.lines.first, f"project {project.key!r} is parsed twice")
        municipalities, regions = self.places.resolve(project.places, source, project.lines.first)
        groups_text = " ".join(
            [project.target_groups_text]
            + [project.sections[s].text for s in ("goals", "description") if s in project.sections]
        )
        fields = {
            "code": project.code,
            "name": project.name,
            "other_names": project.other_names,
            "slug": project.key,
            "status": project.status,
            "start_date": project.start.value.isoformat() if project.start else None,
            "start_precision": project.start.precision if project.start else "day",
            "end_date": project.end.value.isoformat() if project.end else None,
            "end_precision": project.end.precision if project.end else "day",
            "parent": [project.parent] if project.parent else None,
            "funding_round": [project.funding_round] if project.funding_round else None,
            "programme": [project.programme] if project.programme else None,
            "funder": self.organisation(project.funder.name) if project.funder else None,
            "administrator": None,
            "realised_public_funding": money(project.realised_public_funding),
            "applied_total": money(project.applied_total),
            "approved_total": money(project.approved_total),
            "is_national": project.is_national,
            "regions": regions,
            "municipalities": municipalities,
            "target_groups": [[slug] for slug in target_groups(groups_text)],
            "target_groups_text": project.target_groups_text,
            **{
                s: project.sections[s].text if s in project.sections else ""
                for s in Project.SECTIONS
            },
            **cited(document, project.lines),
        }
        for ref in project.implementers:
            if ref.role == "administrator":
                fields["administrator"] = self.organisation(ref.name)
        self.add("projects.project", key, fields)
        self.add_section_sources(document, project)
        for ref in project.implementers:
            if ref.role != "administrator":
                self.add_implementation(project.key, ref.name, IMPLEMENTER_ROLES[ref.role])
        for position, outcome in enumerate(project.outcomes, start=1):
            self.add_outcome(document, project.key, position, outcome)
        for position, output in enumerate(project.outputs, start=1):
            self.add(
                "projects.output",
                (project.key, position),
                {
                    "project": [project.key],
                    "position": position,
                    "kind": output.kind,
                    "title": output.title,
                    "url": output.url,
                    **cited(document, output.lines),
                },
            )
        for contact in project.contacts:
            self.add(
                "projects.contactperson",
                (project.key, contact.name),
                {
                    "project": [project.key],
                    "name": contact.name,
                    "organisation": contact.organisation,
                    "title": contact.title,
                    "email": contact.email,
                    "phone": contact.phone,
                    **cited(document, contact.lines),
                },
            )
        if project.decision:
            self.add_decision(document, project.key, project.decision)

    def add_implementation(self, project: str, written: str, role: str) -> None:
        organisation = self.organisation(written)
        key = (project, *organisation)
        implementations = self.objects["projects.implementation"]
        if key in implementations:
            return
        position = 1 + sum(1 for other in implementations if other[0] == project)
        self.add(
            "projects.implementation",
            key,
            {
                "project": [project],
                "organisation": organisation,
                "role": role,
                "position": position,
            },
        )

    def add_section_sources(self, document: str, project: r.Project) -> None:
        passages = {"record": project.lines} | {s: p.lines for s, p in project.sections.items()}
        for section, lines in passages.items():
            self.add(
                "projects.sectionsource",
                (project.key, section, document),
                {"project": [project.key], "section": section, **cited(document, lines)},
            )

    def add_outcome(self, document: str, project: str, position: int, outcome: r.Outcome) -> None:
        self.add(
            "projects.outcome",
            (project, position),
            {
                "project": [project],
                "position": position,
                "kind": outcome.kind,
                "stage": outcome.stage,
                "value": money(outcome.value),
                "unit": outcome.unit,
                "label": outcome.label,
                "phrase": outcome.phrase,
                **cited(document, outcome.lines),
            },
        )

    def add_decision(self, document: str, project: str, decision: r.Decision) -> None:
        self.add(
            "projects.decision",
            (project,),
            {
                "project": [project],
                "decision": "funded" if decision.funded else "not_funded",
                "score": decision.score,
                "max_score": decision.max_score,
                "reasoning": decision.reasoning.text,
                **cited(document, decision.lines or decision.reasoning.lines),
            },
        )
        for position, stage in enumerate(decision.stages, start=1):
            self.add(
                "projects.decisionstage",
                (project, position),
                {
                    "decision": [project],
                    "position": position,
                    "date": stage.date.isoformat(),
                    "body": stage.body,
                    **cited(document, stage.lines),
                },
            )
        for line in decision.money_lines:
            self.add(
                "projects.moneyline",
                (project, line.section, line.position),
                {
                    "decision": [project],
                    "section": line.section,
                    "position": line.position,
                    "label": line.label,
                    "applied": money(line.applied),
                    "approved": money(line.approved),
                    "rejected": money(line.rejected),
                    "share_percent": money(line.share_percent),
                    "is_total": line.is_total,
                    **cited(document, line.lines),
                },
            )

    def add_report(self, document: str, report: r.Report) -> None:
        self.add(
            "evaluations.report",
            (report.key,),
            {
                "slug": report.key,
                "title": report.title,
                "kind": report.kind,
                "year": report.year,
                "published": report.published.value.isoformat() if report.published else None,
                "published_precision": report.published.precision if report.published else "day",
                "parent": [report.parent] if report.parent else None,
                "evaluators": sorted(self.organisation(n) for n in report.evaluator_organisations),
                "evaluator_person": report.evaluator_person,
                "summary": report.summary,
                **cited(document, report.lines),
            },
        )
        for thesis in report.theses:
            self.add(
                "evaluations.thesis",
                (report.key, thesis.number),
                {
                    "report": [report.key],
                    "number": thesis.number,
                    "title": thesis.title,
                    "text": thesis.text,
                    **cited(document, thesis.lines),
                },
            )
        for recommendation in report.recommendations:
            self.add(
                "evaluations.recommendation",
                (report.key, recommendation.number),
                {
                    "report": [report.key],
                    "number": recommendation.number,
                    "text": recommendation.text,
                    "addressed_to": recommendation.addressed_to,
                    **cited(document, recommendation.lines),
                },
            )
        for mention in report.mentions:
            self.add(
                "evaluations.projectmention",
                (report.key, mention.project),
                {
                    "report": [report.key],
                    "project": [mention.project],
                    "status": mention.status,
                    "end_date": mention.end.value.isoformat() if mention.end else None,
                    "end_precision": mention.end.precision if mention.end else "day",
                    "remark": mention.remark,
                    **cited(document, mention.lines),
                },
            )
            # A report naming an organisation beside a project ("Monet Polut Työelämään
            # (Koulutuskuntayhtymä Tavastia ja Kiipulasäätiö)") states that it implements it.
            for written in mention.implementers:
                self.add_implementation(mention.project, written, "co")

    def add_practice_model(self, document: str, model: r.PracticeModel) -> None:
        self.add(
            "evaluations.practicemodel",
            (model.key,),
            {
                "slug": model.key,
                "name": model.name,
                "project": [model.project],
                "report": [model.report] if model.report else None,
                "description": model.description.text,
                **cited(document, model.description.lines),
            },
        )
        for position, criterion in enumerate(model.criteria, start=1):
            self.add(
                "evaluations.criterion",
                (model.key, position),
                {
                    "practice_model": [model.key],
                    "position": position,
                    "group": criterion.group,
                    "name": criterion.name,
                    "assessment": criterion.assessment,
                    **cited(document, criterion.lines),
                },
            )

    def add_reference_data(self) -> None:
        for term in TARGET_GROUPS:
            self.add(
                "projects.targetgroup",
                (term.slug,),
                {"slug": term.slug, "name": term.name, "description": term.description},
            )
        for organisation in self.organisations.organisations.values():
            self.add_organisation(organisation)

    def add_organisation(self, organisation: ResolvedOrganisation) -> None:
        slug = slugify(organisation.name)
        self.add(
            "projects.organisation",
            (slug,),
            {"slug": slug, "name": organisation.name, "kind": organisation.kind, "business_id": ""},
        )
        names = [(n, "abbreviation") for n in organisation.abbreviations]
        names += [(n, "other") for n in organisation.other_names]
        for name, kind in names:
            self.add(
                "projects.organisationname",
                (name,),
                {"organisation": [slug], "name": name, "kind": kind},
            )

    def fixture(self) -> dict[str, list[dict]]:
        """Return the objects of each fixture file, models in MODEL_ORDER, rows sorted by key.

        Projects that belong to a funding round come after the rounds, and the rest before
        them, because a round names its coordinating project: one order for both would be a
        cycle. An umbrella project comes before its subprojects.
        """
        self.add_reference_data()
        ordered = []
        for model in MODEL_ORDER:
            rows = self.objects.get(model, {})
            keys = sorted(rows, key=lambda k: [str(part) for part in k])
            if model == "projects.project":
                keys.sort(key=lambda k: rows[k]["fields"]["parent"] is not None)
                late_projects = [rows[k] for k in keys if rows[k]["fields"]["funding_round"]]
                ordered += [rows[k] for k in keys if not rows[k]["fields"]["funding_round"]]
                continue
            ordered += [rows[k] for k in keys]
            if model == "projects.fundinground":
                ordered += late_projects
        documents = [o for o in ordered if o["model"] == "projects.sourcedocument"]
        return {
            "sources.json": documents,
            "records.json": [o for o in ordered if o["model"] != "projects.sourcedocument"],
        }


def dump(objects: list[dict]) -> str:
    return json.dumps(objects, ensure_ascii=False, indent=1, cls=DjangoJSONEncoder) + "\n"


__all__ = ["FixtureBuilder", "ParseError", "Places", "dump"]
