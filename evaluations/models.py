from django.db import models
from django.db.models import OuterRef, Prefetch
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from projects.models import (
    Cited,
    NaturalKeyModel,
    NaturalKeyQuerySet,
    Organisation,
    Precision,
    Project,
)
from projects.models.base import subquery_count


class ReportQuerySet(NaturalKeyQuerySet):
    def for_list(self):
        """Return reports with what a list row shows: parent, evaluators, counted contents."""
        return (
            self.select_related("parent")
            .prefetch_related("evaluators")
            .annotate(
                recommendation_count=subquery_count(
                    Recommendation.objects.filter(report=OuterRef("pk"))
                ),
                project_count=subquery_count(ProjectMention.objects.filter(report=OuterRef("pk"))),
            )
        )

    def for_detail(self):
        """Return reports with every related record a report page shows, one query each."""
        return self.select_related("parent").prefetch_related(
            "evaluators",
            "appendices",
            "theses",
            "recommendations",
            Prefetch(
                "mentions",
                queryset=ProjectMention.objects.select_related("project").order_by("project__name"),
            ),
            "practice_models",
        )


class Report(NaturalKeyModel, Cited):
    """An evaluation report, an annual report appended to one, a project card or an assessment."""

    class Kind(models.TextChoices):
        DEVELOPMENTAL = "developmental_evaluation", _("developmental evaluation")
        ANNUAL = "annual_evaluation", _("annual evaluation report")
        PRACTICE_MODEL = "practice_model_assessment", _("practice-model assessment")
        PROJECT_CARD = "project_card", _("project card")
        THESIS = "thesis", _("thesis")

    NATURAL_KEY = ("slug",)

    objects = ReportQuerySet.as_manager()

    slug = models.SlugField(_("slug"), max_length=120, unique=True)
    title = models.CharField(_("title"), max_length=300)
    kind = models.CharField(_("kind"), max_length=30, choices=Kind)
    year = models.PositiveSmallIntegerField(_("year"), null=True, blank=True)
    published = models.DateField(_("published"), null=True, blank=True)
    published_precision = models.CharField(
        _("publication date precision"), max_length=5, choices=Precision, default=Precision.DAY
    )
    parent = models.ForeignKey(
        "self",
        verbose_name=_("appended to"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="appendices",
    )
    evaluators = models.ManyToManyField(
        Organisation, verbose_name=_("evaluating organisations"), blank=True, related_name="reports"
    )
    evaluator_person = models.CharField(_("evaluator"), max_length=200, blank=True, default="")
    summary = models.TextField(_("summary"), blank=True, default="")
    projects = models.ManyToManyField(
        Project,
        verbose_name=_("projects discussed"),
        through="ProjectMention",
        blank=True,
        related_name="reports",
    )

    class Meta:
        ordering = ["-year", "title"]
        verbose_name = _("report")
        verbose_name_plural = _("reports")
        constraints = [*Cited.Meta.constraints]

    def __str__(self):
        return self.title

    def get_absolute_url(self):
        return reverse("evaluations:report-detail", args=[self.slug])


class Thesis(NaturalKeyModel, Cited):
    """One of a report's concluding theses."""

    NATURAL_KEY = ("report", "number")

    report = models.ForeignKey(
        Report, verbose_name=_("report"), on_delete=models.CASCADE, related_name="theses"
    )
    number = models.PositiveSmallIntegerField(_("number"))
    title = models.CharField(_("title"), max_length=300)
    text = models.TextField(_("text"), blank=True, default="")

    class Meta:
        ordering = ["report_id", "number"]
        verbose_name = _("thesis")
        verbose_name_plural = _("theses")
        constraints = [
            *Cited.Meta.constraints,
            models.UniqueConstraint(fields=["report", "number"], name="thesis_unique_number"),
        ]

    def __str__(self):
        return f"{self.number}. {self.title}"


class Recommendation(NaturalKeyModel, Cited):
    """A numbered recommendation of a report, and the group it speaks to."""

    NATURAL_KEY = ("report", "number")

    report = models.ForeignKey(
        Report, verbose_name=_("report"), on_delete=models.CASCADE, related_name="recommendations"
    )
    number = models.PositiveSmallIntegerField(_("number"))
    text = models.TextField(_("text"))
    addressed_to = models.CharField(_("addressed to"), max_length=200, blank=True, default="")

    class Meta:
        ordering = ["report_id", "number"]
        verbose_name = _("recommendation")
        verbose_name_plural = _("recommendations")
        constraints = [
            *Cited.Meta.constraints,
            models.UniqueConstraint(
                fields=["report", "number"], name="recommendation_unique_number"
            ),
        ]

    def __str__(self):
        return f"{self.report}: {self.number}"


class ProjectMention(NaturalKeyModel, Cited):
    """A report discussing a project, with the status and end date the report states."""

    NATURAL_KEY = ("report", "project")

    report = models.ForeignKey(
        Report, verbose_name=_("report"), on_delete=models.CASCADE, related_name="mentions"
    )
    project = models.ForeignKey(
        Project, verbose_name=_("project"), on_delete=models.CASCADE, related_name="mentions"
    )
    status = models.CharField(
        _("status stated"), max_length=20, choices=Project.Status, blank=True, default=""
    )
    end_date = models.DateField(_("end date stated"), null=True, blank=True)
    end_precision = models.CharField(
        _("end date precision"), max_length=5, choices=Precision, default=Precision.DAY
    )
    remark = models.TextField(_("remark"), blank=True, default="")

    class Meta:
        ordering = ["report_id", "project_id"]
        verbose_name = _("project discussed")
        verbose_name_plural = _("projects discussed")
        constraints = [
            *Cited.Meta.constraints,
            models.UniqueConstraint(fields=["report", "project"], name="project_mention_unique"),
        ]

    def __str__(self):
        return f"{self.report} – {self.project}"


class PracticeModelQuerySet(NaturalKeyQuerySet):
    def for_detail(self):
        """Return practice models with their project, assessment report and criteria."""
        return self.select_related("project", "report").prefetch_related("criteria")


class PracticeModel(NaturalKeyModel, Cited):
    """A practice model a project developed (e.g. Kumina), and the report that assessed it."""

    NATURAL_KEY = ("slug",)

    objects = PracticeModelQuerySet.as_manager()

    slug = models.SlugField(_("slug"), max_length=120, unique=True)
    name = models.CharField(_("name"), max_length=300)
    project = models.ForeignKey(
        Project,
        verbose_name=_("developed by"),
        on_delete=models.PROTECT,
        related_name="practice_models",
    )
    report = models.ForeignKey(
        Report,
        verbose_name=_("assessment"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="practice_models",
    )
    description = models.TextField(_("description"), blank=True, default="")

    class Meta:
        ordering = ["name"]
        verbose_name = _("practice model")
        verbose_name_plural = _("practice models")
        constraints = [*Cited.Meta.constraints]

    def __str__(self):
        return self.name

    def get_absolute_url(self):
        return reverse("evaluations:practice-model-detail", args=[self.slug])


class Criterion(NaturalKeyModel, Cited):
    """How a practice model meets one participation or promising-practice criterion."""

    class Group(models.TextChoices):
        PARTICIPATION = "participation", _("participation")
        PROMISING_PRACTICE = "promising_practice", _("promising practice")

    NATURAL_KEY = ("practice_model", "position")

    practice_model = models.ForeignKey(
        PracticeModel,
        verbose_name=_("practice model"),
        on_delete=models.CASCADE,
        related_name="criteria",
    )
    position = models.PositiveSmallIntegerField(_("position"))
    group = models.CharField(_("group"), max_length=20, choices=Group)
    name = models.CharField(_("criterion"), max_length=300)
    assessment = models.TextField(_("assessment"), blank=True, default="")

    class Meta:
        ordering = ["practice_model_id", "position"]
        verbose_name = _("assessment criterion")
        verbose_name_plural = _("assessment criteria")
        constraints = [
            *Cited.Meta.constraints,
            models.UniqueConstraint(
                fields=["practice_model", "position"], name="criterion_unique_position"
            ),
        ]

    def __str__(self):
        return self.name
