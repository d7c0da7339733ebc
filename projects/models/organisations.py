import re

from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import OuterRef, Q
from django.db.models.functions import Lower
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from .base import NaturalKeyModel, NaturalKeyQuerySet, subquery_count, union_count

BUSINESS_ID = re.compile(r"^(\d{7})-(\d)$")
BUSINESS_ID_WEIGHTS = (7, 9, 10, 5, 8, 4, 2)


def validate_business_id(value: str) -> None:
    """Check a Finnish business ID (Y-tunnus): seven digits, a hyphen and a check digit."""
    match = BUSINESS_ID.match(value)
    if not match:
        raise ValidationError(_("A business ID looks like 1234567-8."), code="format")
    remainder = sum(int(d) * w for d, w in zip(match[1], BUSINESS_ID_WEIGHTS, strict=True)) % 11
    if remainder == 1 or int(match[2]) != (0 if remainder == 0 else 11 - remainder):
        raise ValidationError(_("The check digit of this business ID is wrong."), code="checksum")


class OrganisationQuerySet(NaturalKeyQuerySet):
    def with_project_counts(self):
        """Annotate `project_count`: the projects it implements, funds or administers, each
        once. A union of three index lookups: the projects matching any of the three (an OR)
        were found by reading every project, for each organisation."""
        from .parts import Implementation  # parts.py imports this module
        from .projects import Project

        implements = Implementation.objects.filter(organisation=OuterRef("pk"))
        funds = Project.objects.filter(funder=OuterRef("pk"))
        administers = Project.objects.filter(administrator=OuterRef("pk"))
        involved = (
            implements.order_by()
            .values("project_id")
            .union(funds.order_by().values("id"), administers.order_by().values("id"))
        )
        return self.annotate(project_count=union_count(involved))

    def for_detail(self):
        """Return organisations with their names and reports, and how many projects they
        implement, fund and administer (the page shows the first few of each)."""
        from .parts import Implementation
        from .projects import Project

        return self.prefetch_related("names", "reports").annotate(
            implementation_count=subquery_count(
                Implementation.objects.filter(organisation=OuterRef("pk"))
            ),
            funded_count=subquery_count(Project.objects.filter(funder=OuterRef("pk"))),
            administered_count=subquery_count(Project.objects.filter(administrator=OuterRef("pk"))),
        )


class Organisation(NaturalKeyModel):
    """An organisation that implements, funds, administers or evaluates projects."""

    class Kind(models.TextChoices):
        MUNICIPALITY = "municipality", _("municipality")
        JOINT_AUTHORITY = "joint_authority", _("joint municipal authority")
        WELLBEING_SERVICES = "wellbeing_services", _("wellbeing services county")
        REGIONAL_COUNCIL = "regional_council", _("regional council")
        ELY_CENTRE = "ely_centre", _("ELY centre")
        MINISTRY = "ministry", _("ministry")
        GOVERNMENT_AGENCY = "agency", _("government agency")
        EDUCATION_CONSORTIUM = "education_consortium", _("education consortium")
        UNIVERSITY_OF_APPLIED_SCIENCES = "uas", _("university of applied sciences")
        UNIVERSITY = "university", _("university")
        SCHOOL = "school", _("educational institution")
        ASSOCIATION = "association", _("association")
        FOUNDATION = "foundation", _("foundation")
        COMPANY = "company", _("company")
        PROJECT = "project", _("coordination project")
        OTHER = "other", _("other")

    NATURAL_KEY = ("slug",)

    objects = OrganisationQuerySet.as_manager()

    slug = models.SlugField(_("slug"), max_length=120, unique=True)
    name = models.CharField(_("official name"), max_length=200)
    kind = models.CharField(_("kind"), max_length=30, choices=Kind, default=Kind.OTHER)
    business_id = models.CharField(
        _("business ID"),
        max_length=9,
        blank=True,
        default="",
        validators=[validate_business_id],
        help_text=_("Y-tunnus, e.g. 0245437-2. Leave empty when unknown."),
    )

    class Meta:
        ordering = ["name"]
        verbose_name = _("organisation")
        verbose_name_plural = _("organisations")
        constraints = [
            models.UniqueConstraint(
                fields=["business_id"],
                condition=~Q(business_id=""),
                name="organisation_unique_business_id",
            ),
        ]

    def __str__(self):
        return self.name

    def get_absolute_url(self):
        return reverse("projects:organisation-detail", args=[self.slug])


class OrganisationName(NaturalKeyModel):
    """Another name an organisation goes by in the documents: an abbreviation or an older name."""

    class Kind(models.TextChoices):
        ABBREVIATION = "abbreviation", _("abbreviation")
        OTHER = "other", _("other name")

    NATURAL_KEY = ("name",)

    organisation = models.ForeignKey(
        Organisation, verbose_name=_("organisation"), on_delete=models.CASCADE, related_name="names"
    )
    name = models.CharField(_("name"), max_length=200)
    kind = models.CharField(_("kind"), max_length=20, choices=Kind, default=Kind.OTHER)

    class Meta:
        ordering = ["name"]
        verbose_name = _("other name")
        verbose_name_plural = _("other names")
        constraints = [
            # One name means one organisation wherever it appears.
            models.UniqueConstraint(Lower("name"), name="organisation_name_unique_ci"),
        ]

    def __str__(self):
        return self.name
