from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Count, F, Q
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from .base import Cited, NaturalKeyModel, NaturalKeyQuerySet

MONEY = {"max_digits": 14, "decimal_places": 2}


class Programme(NaturalKeyModel):
    """A programme or fund that projects are financed from (ESR 2014–2020, ESR+, AMIF)."""

    class Fund(models.TextChoices):
        ESF = "ESR", _("European Social Fund (ESR)")
        ESF_PLUS = "ESR+", _("European Social Fund Plus (ESR+)")
        AMIF = "AMIF", _("Asylum, Migration and Integration Fund (AMIF)")

    NATURAL_KEY = ("slug",)

    slug = models.SlugField(_("slug"), max_length=80, unique=True)
    name = models.CharField(_("name"), max_length=200)
    fund = models.CharField(_("fund"), max_length=10, choices=Fund)
    detail = models.CharField(
        _("priority or objective"),
        max_length=200,
        blank=True,
        default="",
        help_text=_(
            "Priority axis or specific objective, e.g. “4.3. Yhdenvertaiseen osallisuuteen”."
        ),
    )

    class Meta:
        ordering = ["slug"]
        verbose_name = _("programme")
        verbose_name_plural = _("programmes")

    def __str__(self):
        return self.name


class FundingRoundQuerySet(NaturalKeyQuerySet):
    def with_project_sizes(self, within=None) -> list:
        """Return the rounds, with the programme each names, each with `project_size` (a
        projects.overview.Size): how many projects it has, estimated when huge. `within`: the
        size of all projects, when known (projects.overview.sizes_by_key())."""
        from projects.overview import with_project_sizes  # overview imports the models

        rounds = list(self.select_related("programme"))
        return with_project_sizes(rounds, self.model.objects.project_counts, within)

    def project_counts(self, round_ids: list[int], per_mille: int) -> dict[int, int]:
        """Return how many projects each round has among the projects of the sample of
        per_mille (see projects.overview; SAMPLE_MODULUS: all of them). Counting every
        project of twenty rounds of 50,000 took 33 ms at a million projects."""
        from projects.overview import sample  # overview imports the models

        from .projects import SAMPLE_MODULUS, Project  # projects.py imports this module

        projects = Project.objects.filter(funding_round__in=round_ids)
        if per_mille < SAMPLE_MODULUS:
            projects = sample(projects, per_mille)
        # COUNT(*), not of a column, is counted from the index alone.
        return dict(projects.order_by().values_list("funding_round").annotate(n=Count("*")))


class FundingRound(NaturalKeyModel, Cited):
    """A call for projects, run by a programme or by a coordinating project."""

    def projects_by_region(self, size) -> list[dict]:
        """Return the regions of this round's projects with how many each has, most first.
        `size` is that of the round's projects (a projects.overview.Size): a huge round's are
        counted in the sample it reads, scaled, as counting the links of every one of them
        took 78 ms at a million projects."""
        from .projects import Project  # projects.py imports this module

        rows = (
            Project.regions.through.objects.filter(project__in=size.read(self.projects.all()))
            .values("region__code", "region__name")
            .annotate(projects=Count("project"))
            .order_by("-projects", "region__name")
        )
        return [{**row, "projects": size.scaled(row["projects"])} for row in rows]

    NATURAL_KEY = ("slug",)

    objects = FundingRoundQuerySet.as_manager()

    slug = models.SlugField(_("slug"), max_length=80, unique=True)
    name = models.CharField(_("name"), max_length=200)
    number = models.PositiveSmallIntegerField(_("number"), null=True, blank=True)
    programme = models.ForeignKey(
        Programme, verbose_name=_("programme"), on_delete=models.PROTECT, null=True, blank=True
    )
    coordinator = models.ForeignKey(
        "projects.Project",
        verbose_name=_("coordinating project"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="coordinated_rounds",
    )
    call_year = models.PositiveSmallIntegerField(_("call year"), null=True, blank=True)
    first_year = models.PositiveSmallIntegerField(
        _("first year of operation"), null=True, blank=True
    )
    last_year = models.PositiveSmallIntegerField(_("last year of operation"), null=True, blank=True)
    theme = models.TextField(_("theme"), blank=True, default="")
    summary_report = models.CharField(
        _("summary report"),
        max_length=300,
        blank=True,
        default="",
        help_text=_("The report that sums up the round's projects."),
    )

    class Meta:
        ordering = ["coordinator_id", "number", "name"]
        verbose_name = _("funding round")
        verbose_name_plural = _("funding rounds")
        constraints = [
            *Cited.Meta.constraints,
            models.CheckConstraint(
                condition=Q(last_year__gte=F("first_year")), name="funding_round_years_in_order"
            ),
        ]

    def __str__(self):
        return self.name

    def get_absolute_url(self):
        return reverse("projects:round-detail", args=[self.slug])

    def clean(self):
        super().clean()
        if self.first_year and self.last_year and self.last_year < self.first_year:
            raise ValidationError(
                {"last_year": _("The last year of operation cannot come before the first year.")},
                code="years_out_of_order",
            )


class Decision(NaturalKeyModel, Cited):
    """The funder's decision on a project's application."""

    class Outcome(models.TextChoices):
        FUNDED = "funded", _("funded")
        NOT_FUNDED = "not_funded", _("not funded")

    NATURAL_KEY = ("project",)

    project = models.OneToOneField(
        "projects.Project", verbose_name=_("project"), on_delete=models.CASCADE
    )
    decision = models.CharField(_("decision"), max_length=20, choices=Outcome)
    score = models.PositiveSmallIntegerField(_("score"), null=True, blank=True)
    max_score = models.PositiveSmallIntegerField(_("maximum score"), null=True, blank=True)
    reasoning = models.TextField(_("reasoning"), blank=True, default="")

    class Meta:
        ordering = ["project_id"]
        verbose_name = _("funder decision")
        verbose_name_plural = _("funder decisions")
        constraints = [
            *Cited.Meta.constraints,
            models.CheckConstraint(
                condition=Q(score__lte=F("max_score")), name="decision_score_within_maximum"
            ),
        ]

    def __str__(self):
        return f"{self.project}: {self.get_decision_display()}"

    def clean(self):
        super().clean()
        if self.score is not None and self.max_score is not None and self.score > self.max_score:
            message = _("The score cannot be higher than the maximum score, %(maximum)s.")
            raise ValidationError(
                {
                    "score": ValidationError(
                        message, code="score_above_maximum", params={"maximum": self.max_score}
                    )
                }
            )


class DecisionStage(NaturalKeyModel, Cited):
    """A dated step in handling an application: a meeting of a named body."""

    NATURAL_KEY = ("decision", "position")

    decision = models.ForeignKey(
        Decision, verbose_name=_("decision"), on_delete=models.CASCADE, related_name="stages"
    )
    position = models.PositiveSmallIntegerField(_("position"))
    date = models.DateField(_("date"))
    body = models.CharField(_("body"), max_length=300)

    class Meta:
        ordering = ["decision_id", "position"]
        verbose_name = _("decision stage")
        verbose_name_plural = _("decision stages")
        constraints = [
            *Cited.Meta.constraints,
            models.UniqueConstraint(fields=["decision", "position"], name="decision_stage_unique"),
        ]

    def __str__(self):
        return f"{self.date:%d.%m.%Y} {self.body}"


class MoneyLine(NaturalKeyModel, Cited):
    """A line of the cost estimate or the financing plan, as applied for and as approved."""

    class Section(models.TextChoices):
        COST = "cost", _("cost estimate")
        FINANCING = "financing", _("financing plan")

    NATURAL_KEY = ("decision", "section", "position")

    decision = models.ForeignKey(
        Decision, verbose_name=_("decision"), on_delete=models.CASCADE, related_name="money_lines"
    )
    section = models.CharField(_("section"), max_length=20, choices=Section)
    position = models.PositiveSmallIntegerField(_("position"))
    label = models.CharField(_("label"), max_length=200)
    applied = models.DecimalField(_("applied €"), **MONEY, null=True, blank=True)
    approved = models.DecimalField(_("approved €"), **MONEY, null=True, blank=True)
    rejected = models.DecimalField(_("rejected €"), **MONEY, null=True, blank=True)
    share_percent = models.DecimalField(
        _("share %"), max_digits=5, decimal_places=2, null=True, blank=True
    )
    is_total = models.BooleanField(_("total line"), default=False)

    class Meta:
        ordering = ["decision_id", "section", "position"]
        verbose_name = _("budget line")
        verbose_name_plural = _("budget lines")
        constraints = [
            *Cited.Meta.constraints,
            models.UniqueConstraint(
                fields=["decision", "section", "position"], name="money_line_unique"
            ),
            models.CheckConstraint(
                condition=Q(applied__gte=0) & Q(approved__gte=0) & Q(rejected__gte=0),
                name="money_line_not_negative",
            ),
            models.CheckConstraint(
                condition=Q(share_percent__gte=0, share_percent__lte=100),
                name="money_line_share_is_percent",
            ),
        ]

    def __str__(self):
        return self.label
