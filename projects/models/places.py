from django.db import models
from django.db.models import OuterRef
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from .base import NaturalKeyModel, NaturalKeyQuerySet, subquery_count


class RegionQuerySet(NaturalKeyQuerySet):
    def with_project_counts(self):
        """Annotate `project_count`: projects naming the region or one of its municipalities."""
        from .projects import Project  # projects.py imports this module

        # Project.in_region nests the region one subquery deeper than the projects.
        in_region = Project.objects.in_region(OuterRef(OuterRef("pk")))
        return self.annotate(project_count=subquery_count(in_region))


class Region(NaturalKeyModel):
    """A region (maakunta), by Statistics Finland's code."""

    NATURAL_KEY = ("code",)

    objects = RegionQuerySet.as_manager()

    code = models.CharField(_("code"), max_length=2, unique=True)
    name = models.CharField(_("name"), max_length=100, unique=True)
    name_sv = models.CharField(_("name in Swedish"), max_length=100, blank=True, default="")

    class Meta:
        ordering = ["name"]
        verbose_name = _("region")
        verbose_name_plural = _("regions")

    def __str__(self):
        return self.name

    def get_absolute_url(self):
        return reverse("projects:region-detail", args=[self.code])


class Municipality(NaturalKeyModel):
    """A municipality (kunta), by Statistics Finland's code."""

    NATURAL_KEY = ("code",)

    code = models.CharField(_("code"), max_length=3, unique=True)
    name = models.CharField(_("name"), max_length=100)
    name_sv = models.CharField(_("name in Swedish"), max_length=100, blank=True, default="")
    region = models.ForeignKey(
        Region, verbose_name=_("region"), on_delete=models.PROTECT, related_name="municipalities"
    )

    class Meta:
        ordering = ["name"]
        verbose_name = _("municipality")
        verbose_name_plural = _("municipalities")

    def __str__(self):
        return self.name
