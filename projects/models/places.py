from django.db import connection, models
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from .base import NaturalKeyModel, NaturalKeyQuerySet


class RegionQuerySet(NaturalKeyQuerySet):
    def with_project_sizes(self) -> list:
        """Return the regions, each with `project_size` (a projects.overview.Size): how many
        projects name the region or one of its municipalities, estimated when huge."""
        from projects.overview import with_project_sizes  # overview imports the models

        return with_project_sizes(list(self), self.model.objects.project_counts)

    def project_counts(self, region_ids: list[int], per_mille: int) -> dict[int, int]:
        """Return how many projects name each region, directly or through one of its
        municipalities, among the projects of the sample of per_mille (see projects.overview;
        SAMPLE_MODULUS: all of them). Read from the link tables, a link once per project."""
        from .projects import SAMPLE_MODULUS, Project  # projects.py imports this module

        in_sample = f"AND mod(link.project_id, {SAMPLE_MODULUS}) < %(per_mille)s"
        if per_mille >= SAMPLE_MODULUS:
            in_sample = ""
        sql = f"""
            SELECT region_id, count(*) FROM (
                SELECT link.region_id, link.project_id
                FROM {Project.regions.through._meta.db_table} AS link
                WHERE link.region_id = ANY(%(regions)s) {in_sample}
                UNION
                SELECT municipality.region_id, link.project_id
                FROM {Project.municipalities.through._meta.db_table} AS link
                JOIN {Municipality._meta.db_table} AS municipality
                    ON municipality.id = link.municipality_id
                WHERE municipality.region_id = ANY(%(regions)s) {in_sample}
            ) AS linked
            GROUP BY region_id"""
        with connection.cursor() as cursor:
            cursor.execute(sql, {"regions": list(region_ids), "per_mille": per_mille})
            return dict(cursor.fetchall())


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
