"""A project's parts: its implementers, the sources of its sections, its outcomes and outputs,
and its contact persons."""

from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from .base import Cited, NaturalKeyModel, NaturalKeyQuerySet
from .organisations import Organisation


class Implementation(NaturalKeyModel):
    """An organisation taking part in a project: its main implementer, a co-implementer or a
    partner that helped prepare it."""

    class Role(models.TextChoices):
        MAIN = "main", _("main implementer")
        CO = "co", _("co-implementer")
        PARTNER = "partner", _("partner")

    NATURAL_KEY = ("project", "organisation")

    project = models.ForeignKey(
        "Project",
        verbose_name=_("project"),
        on_delete=models.CASCADE,
        related_name="implementations",
    )
    organisation = models.ForeignKey(
        Organisation,
        verbose_name=_("organisation"),
        on_delete=models.PROTECT,
        related_name="implementations",
    )
    role = models.CharField(_("role"), max_length=10, choices=Role, default=Role.CO)
    position = models.PositiveSmallIntegerField(_("position"), default=0)

    class Meta:
        ordering = ["project_id", "position"]
        verbose_name = _("implementer")
        verbose_name_plural = _("implementers")
        constraints = [
            models.UniqueConstraint(
                fields=["project", "organisation"], name="implementation_unique"
            ),
        ]
        indexes = [
            # The list's implementer filter and an organisation's page: projects by organisation.
            models.Index(fields=["organisation", "role"], name="implementation_org_role_idx"),
        ]

    def __str__(self):
        return f"{self.organisation} ({self.get_role_display()})"


class SectionSource(NaturalKeyModel, Cited):
    """Where a project's record or one of its text sections was taken from."""

    class Section(models.TextChoices):
        RECORD = "record", _("record")
        DESCRIPTION = "description", _("description")
        BACKGROUND = "background", _("background")
        GOALS = "goals", _("goals")
        ACTIONS = "actions", _("actions")
        RESULTS = "results", _("results")
        DISSEMINATION = "dissemination", _("dissemination")
        NOTES = "notes", _("notes")
        TARGET_GROUPS = "target_groups", _("target groups")

    NATURAL_KEY = ("project", "section", "document")

    project = models.ForeignKey(
        "Project", verbose_name=_("project"), on_delete=models.CASCADE, related_name="sources"
    )
    section = models.CharField(_("section"), max_length=20, choices=Section)

    class Meta:
        ordering = ["project_id", "section", "first_line"]
        verbose_name = _("section source")
        verbose_name_plural = _("section sources")
        constraints = [
            *Cited.Meta.constraints,
            models.UniqueConstraint(
                fields=["project", "section", "document"], name="section_source_unique"
            ),
        ]

    def __str__(self):
        return f"{self.project}: {self.get_section_display()}"


class Outcome(NaturalKeyModel, Cited):
    """A planned or achieved figure of a project, with the phrase it was read from."""

    class Kind(models.TextChoices):
        PARTICIPANTS = "participants", _("participants")
        EMPLOYED = "employed", _("employed")
        IN_EDUCATION = "in_education", _("in education")
        EMPLOYED_OR_EDUCATION = "employed_or_education", _("employed or in education")
        ENTREPRENEURS = "entrepreneurs", _("entrepreneurs")
        JOB_SEEKING = "job_seeking", _("job-seeking")
        SATISFACTION = "satisfaction", _("satisfaction")
        OTHER = "other", _("other")

    class Stage(models.TextChoices):
        PLANNED = "planned", _("planned")
        ACHIEVED = "achieved", _("achieved")

    class Unit(models.TextChoices):
        PERSONS = "persons", _("persons")
        PERCENT = "percent", _("percent")
        COUNT = "count", _("count")
        SCORE = "score", _("score")

    NATURAL_KEY = ("project", "position")

    project = models.ForeignKey(
        "Project", verbose_name=_("project"), on_delete=models.CASCADE, related_name="outcomes"
    )
    position = models.PositiveSmallIntegerField(_("position"))
    kind = models.CharField(_("kind"), max_length=30, choices=Kind)
    stage = models.CharField(_("planned or achieved"), max_length=10, choices=Stage)
    value = models.DecimalField(_("value"), max_digits=12, decimal_places=2)
    unit = models.CharField(_("unit"), max_length=10, choices=Unit)
    label = models.CharField(
        _("label"), max_length=200, blank=True, default="", help_text=_("What is counted.")
    )
    phrase = models.TextField(_("phrase"), blank=True, default="")

    class Meta:
        ordering = ["project_id", "position"]
        verbose_name = _("outcome")
        verbose_name_plural = _("outcomes")
        constraints = [
            *Cited.Meta.constraints,
            models.UniqueConstraint(fields=["project", "position"], name="outcome_unique"),
            models.CheckConstraint(condition=Q(value__gte=0), name="outcome_not_negative"),
            models.CheckConstraint(
                condition=~Q(unit="percent") | Q(value__lte=100), name="outcome_percent_to_100"
            ),
        ]
        indexes = [
            # Sums of achieved figures by kind for a filtered list of projects.
            models.Index(fields=["kind", "stage"], name="outcome_kind_stage_idx"),
        ]

    def __str__(self):
        return f"{self.get_kind_display()} {self.value} {self.get_unit_display()}"

    def clean(self):
        super().clean()
        if self.unit == self.Unit.PERCENT and self.value is not None and not 0 <= self.value <= 100:
            raise ValidationError(
                {"value": _("A percentage must be between 0 and 100.")},
                code="percent_out_of_range",
            )


class Output(NaturalKeyModel, Cited):
    """A publication, a practice description or a link a project produced."""

    class Kind(models.TextChoices):
        PUBLICATION = "publication", _("publication")
        PRACTICE = "practice", _("practice description")
        LINK = "link", _("link")

    NATURAL_KEY = ("project", "position")

    project = models.ForeignKey(
        "Project", verbose_name=_("project"), on_delete=models.CASCADE, related_name="outputs"
    )
    position = models.PositiveSmallIntegerField(_("position"))
    kind = models.CharField(_("kind"), max_length=20, choices=Kind, default=Kind.PUBLICATION)
    title = models.CharField(_("title"), max_length=300)
    url = models.URLField(_("address"), max_length=500, blank=True, default="")

    class Meta:
        ordering = ["project_id", "position"]
        verbose_name = _("output")
        verbose_name_plural = _("outputs")
        constraints = [
            *Cited.Meta.constraints,
            models.UniqueConstraint(fields=["project", "position"], name="output_unique"),
        ]

    def __str__(self):
        return self.title


class ContactPerson(NaturalKeyModel, Cited):
    """A project's contact person. Personal data: shown to staff only, never on public pages."""

    NATURAL_KEY = ("project", "name")

    objects = NaturalKeyQuerySet.as_manager()

    project = models.ForeignKey(
        "Project", verbose_name=_("project"), on_delete=models.CASCADE, related_name="contacts"
    )
    name = models.CharField(_("name"), max_length=200)
    organisation = models.CharField(_("organisation"), max_length=200, blank=True, default="")
    title = models.CharField(_("title"), max_length=200, blank=True, default="")
    email = models.EmailField(_("e-mail"), blank=True, default="")
    phone = models.CharField(_("phone"), max_length=40, blank=True, default="")

    class Meta:
        ordering = ["project_id", "name"]
        verbose_name = _("contact person")
        verbose_name_plural = _("contact persons")
        constraints = [
            *Cited.Meta.constraints,
            models.UniqueConstraint(fields=["project", "name"], name="contact_person_unique"),
        ]

    def __str__(self):
        return self.name
