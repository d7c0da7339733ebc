from django.db import models
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from .base import NaturalKeyModel


class SourceDocument(NaturalKeyModel):
    """A document the records were parsed from, kept whole so any cited passage can be shown."""

    class Kind(models.TextChoices):
        PROJECT_CARD = "project_card", _("project card")
        EVALUATION = "developmental_evaluation", _("developmental evaluation report")
        PRESENTATION = "presentation", _("presentation slides")
        ASSESSMENT = "practice_model_assessment", _("practice model assessment")
        APPLICATION = "funding_application", _("funding application with decision")

    NATURAL_KEY = ("slug",)

    slug = models.SlugField(_("slug"), max_length=80, unique=True)
    file_name = models.CharField(_("file name"), max_length=200, unique=True)
    title = models.CharField(_("title"), max_length=300)
    kind = models.CharField(_("kind"), max_length=40, choices=Kind)
    summary = models.TextField(_("summary"), blank=True, default="")
    text = models.TextField(
        _("text"), help_text=_("The document's text as extracted from the PDF.")
    )
    sha256 = models.CharField(_("SHA-256"), max_length=64)

    class Meta:
        ordering = ["file_name"]
        verbose_name = _("source document")
        verbose_name_plural = _("source documents")

    def __str__(self):
        return self.title

    def get_absolute_url(self):
        return reverse("projects:source-detail", args=[self.slug])

    def lines(self, first: int, last: int) -> str:
        return "\n".join(self.text.split("\n")[first - 1 : last])


class ImportRecord(models.Model):
    """What the last import wrote into one row, so the next import can tell staff edits apart.

    A field whose current value differs from `values` was edited by staff and is kept.
    """

    model = models.CharField(_("model"), max_length=100)
    natural_key = models.JSONField(_("natural key"))
    values = models.JSONField(_("imported values"))
    imported_at = models.DateTimeField(_("imported at"), auto_now=True)

    class Meta:
        ordering = ["model", "id"]
        verbose_name = _("import record")
        verbose_name_plural = _("import records")
        constraints = [
            models.UniqueConstraint(
                fields=["model", "natural_key"], name="import_record_unique_key"
            ),
        ]

    def __str__(self):
        return f"{self.model} {self.natural_key}"
