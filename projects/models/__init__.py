from .base import Cited, NaturalKeyModel, NaturalKeyQuerySet
from .funding import Decision, DecisionStage, FundingRound, MoneyLine, Programme
from .organisations import Organisation, OrganisationName, validate_business_id
from .parts import ContactPerson, Implementation, Outcome, Output, SectionSource
from .places import Municipality, Region
from .projects import Precision, Project, TargetGroup
from .search import ProjectSearch, SearchEntry, SearchWord
from .sources import ImportRecord, SourceDocument

__all__ = [
    "Cited",
    "ContactPerson",
    "Decision",
    "DecisionStage",
    "FundingRound",
    "Implementation",
    "ImportRecord",
    "MoneyLine",
    "Municipality",
    "NaturalKeyModel",
    "NaturalKeyQuerySet",
    "Organisation",
    "OrganisationName",
    "Outcome",
    "Output",
    "Precision",
    "Programme",
    "Project",
    "ProjectSearch",
    "Region",
    "SearchEntry",
    "SearchWord",
    "SectionSource",
    "SourceDocument",
    "TargetGroup",
    "validate_business_id",
]
