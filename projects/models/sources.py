from django.apps import apps
from django.contrib.postgres.expressions import ArraySubquery
from django.db import models
from django.db.models import OuterRef
from django.db.models.functions import Coalesce, JSONObject
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from projects.personal_data import public_lines, public_text

from .base import NaturalKeyModel, NaturalKeyQuerySet, capped_count
from .parts import ContactPerson

# What a source document page counts: the records read from it, by app and model.
CITING_MODELS = {
    "project_count": ("projects", "Project"),
    "section_count": ("projects", "SectionSource"),
    "outcome_count": ("projects", "Outcome"),
    "output_count": ("projects", "Output"),
    "decision_count": ("projects", "Decision"),
    "money_line_count": ("projects", "MoneyLine"),
    "round_count": ("projects", "FundingRound"),
    "report_count": ("evaluations", "Report"),
    "thesis_count": ("evaluations", "Thesis"),
    "recommendation_count": ("evaluations", "Recommendation"),
    "mention_count": ("evaluations", "ProjectMention"),
    "practice_model_count": ("evaluations", "PracticeModel"),
}
# A larger count shows as "over 10 000": a real document is read into hundreds of records.
CITING_COUNTED_UP_TO = 10_000


class SourceDocumentQuerySet(NaturalKeyQuerySet):
    def with_record_counts(self):
        """Annotate how many records of each kind cite the document (CITING_MODELS), in the
        document's own query, each counted up to CITING_COUNTED_UP_TO."""
        return self.annotate(
            **{
                name: capped_count(
                    apps.get_model(app, model).objects.filter(document=OuterRef("pk")),
                    CITING_COUNTED_UP_TO,
                )
                for name, (app, model) in CITING_MODELS.items()
            }
        )

    def with_public_lines(self) -> list["SourceDocument"]:
        """Return the documents, each with `public_lines`: its text line by line, without the
        contact persons' lines and names, nor any e-mail address or phone number; and with
        `public_summary`, its summary without them. One query, the contact persons' lines and
        names read in it."""
        documents = list(self._with_contact_persons(lines=True))
        for document in documents:
            private_lines = {
                number
                for cited in document.contact_lines
                for number in range(cited["first"], cited["last"] + 1)
            }
            names = set(document.contact_names)
            document.public_lines = public_lines(document.text, private_lines, names)
            document.public_summary = public_text(document.summary, names)
        return documents

    def with_public_summaries(self) -> list["SourceDocument"]:
        """Return the documents without their text, each with `public_summary`: its summary
        without the contact persons' names (the webcast's programme names its speakers)."""
        documents = list(self.defer("text")._with_contact_persons(lines=False))
        for document in documents:
            document.public_summary = public_text(document.summary, set(document.contact_names))
        return documents

    def _with_contact_persons(self, lines: bool):
        """Annotate every contact person's name and, with `lines`, the lines of the document
        that cite one (first, last)."""
        contacts = ContactPerson.objects.order_by()
        annotations = {"contact_names": ArraySubquery(contacts.values("name"))}
        if lines:
            cited = contacts.filter(document=OuterRef("pk"), first_line__isnull=False)
            annotations["contact_lines"] = ArraySubquery(
                cited.values(
                    json=JSONObject(first="first_line", last=Coalesce("last_line", "first_line"))
                )
            )
        return self.annotate(**annotations)

    def attach_to(self, records) -> None:
        """Give each cited record its document with `public_lines`, every document loaded once
        however many records cite it (a report page cites one 4,180-line document 50 times)."""
        cited = [record for record in records if record.document_id]
        documents = {
            document.pk: document
            for document in self.filter(
                pk__in={record.document_id for record in cited}
            ).with_public_lines()
        }
        for record in cited:
            record.document = documents[record.document_id]


class SourceDocument(NaturalKeyModel):
    """A document the records were parsed from, kept whole so any cited passage can be shown."""

    class Kind(models.TextChoices):
        PROJECT_CARD = "project_card", _("project card")
        EVALUATION = "developmental_evaluation", _("developmental evaluation report")
        PRESENTATION = "presentation", _("presentation slides")
        ASSESSMENT = "practice_model_assessment", _("practice model assessment")
        APPLICATION = "funding_application", _("funding application with decision")

    NATURAL_KEY = ("slug",)

    objects = SourceDocumentQuerySet.as_manager()

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
