"""Load fixture objects into the database without ever overwriting staff edits silently.

The rule, per field of each row found by its natural key:
- a row that does not exist is created;
- a field whose value is what the last import wrote (ImportRecord) takes the document's value;
- a field staff changed since the last import is kept, and reported with the document's value;
- a row with no ImportRecord (created by staff, or by a plain loaddata) counts every field that
  differs from the document as edited.
Rows the documents no longer mention are reported, never deleted.
"""

from collections import Counter
from dataclasses import dataclass, field
from decimal import Decimal

from django.apps import apps
from django.core import serializers
from django.db import models

from projects.models import ImportRecord
from projects.models.base import remembering_natural_keys


@dataclass
class KeptEdit:
    model: str
    natural_key: list
    field: str
    current: object
    document: object
    document_lines: str

    def __str__(self):
        return (
            f"{self.model} {self.natural_key}: kept {self.field}={self.current!r} "
            f"(the document says {self.document!r}{self.document_lines})"
        )


@dataclass
class LoadReport:
    created: Counter = field(default_factory=Counter)
    updated: Counter = field(default_factory=Counter)
    unchanged: Counter = field(default_factory=Counter)
    kept: list[KeptEdit] = field(default_factory=list)
    stale: list[str] = field(default_factory=list)
    seen: set[tuple[str, str]] = field(default_factory=set)

    def summary(self) -> list[str]:
        lines = []
        for model in sorted(set(self.created) | set(self.updated) | set(self.unchanged)):
            kept = sum(1 for edit in self.kept if edit.model == model)
            lines.append(
                f"{model}: {self.created[model]} created, {self.updated[model]} updated, "
                f"{self.unchanged[model]} unchanged, {kept} fields kept as edited by staff"
            )
        lines += [str(edit) for edit in self.kept]
        lines += [f"no longer in the documents (kept): {stale}" for stale in self.stale]
        return lines


def canonical_value(model_field: models.Field, value):
    """Return a JSON-comparable form of a field value from a fixture or a serialized row."""
    if value is None:
        return None
    if model_field.many_to_many:
        return sorted(list(key) for key in value)
    if model_field.is_relation:
        return list(value) if isinstance(value, list | tuple) else [value]
    value = model_field.to_python(value)
    if isinstance(value, Decimal):
        return f"{value:.{model_field.decimal_places}f}"
    if hasattr(value, "isoformat"):
        return value.isoformat()
    return value


def canonical(model: type[models.Model], fields: dict) -> dict:
    return {name: canonical_value(model._meta.get_field(name), v) for name, v in fields.items()}


def natural_key_of(model: type[models.Model], fields: dict) -> list:
    key = []
    for name in model.NATURAL_KEY:
        value = fields[name]
        key += list(value) if model._meta.get_field(name).is_relation else [value]
    return key


def current_fields(instance: models.Model, names) -> dict:
    serialized = serializers.serialize(
        "python", [instance], use_natural_foreign_keys=True, use_natural_primary_keys=True
    )[0]["fields"]
    return {name: serialized.get(name) for name in names}


def load(objects: list[dict], report: LoadReport) -> None:
    """Create, update or keep each fixture object by the rule above, recording what happened.

    The rows pointed to are found once each, the import records in one query, and each
    existing row with what it points to: found for each row anew, an import of the real
    records that changed nothing took 6,347 queries (now 2,672)."""
    records = {
        (record.model, repr(record.natural_key)): record
        for record in ImportRecord.objects.filter(model__in={data["model"] for data in objects})
    }
    with remembering_natural_keys():
        for data in objects:
            label = data["model"]
            model = apps.get_model(label)
            key = natural_key_of(model, data["fields"])
            report.seen.add((label, repr(key)))
            document = canonical(model, data["fields"])
            deserialized = next(serializers.deserialize("python", [data]))
            instance = deserialized.object
            existing = _existing(model, instance.pk)
            record = records.get((label, repr(key)))
            if existing is None:
                deserialized.save()
                report.created[label] += 1
            else:
                merge(label, model, key, existing, deserialized, document, record, report)
            if record is None:
                records[label, repr(key)] = ImportRecord.objects.create(
                    model=label, natural_key=key, values=document
                )
            elif record.values != document:
                record.values = document
                record.save(update_fields=["values", "imported_at"])


def _existing(model: type[models.Model], pk) -> models.Model | None:
    """Return the row with this key, if any, with the rows it points to: their natural keys
    are what it is compared by."""
    if pk is None:
        return None
    rows = model.objects.filter(pk=pk)
    if pointed_to := [field.name for field in model._meta.concrete_fields if field.is_relation]:
        rows = rows.select_related(*pointed_to)
    return rows.first()


def find_stale(report: LoadReport) -> None:
    """Report the rows an earlier import wrote that no loaded fixture mentions any more."""
    for record in ImportRecord.objects.order_by("model", "id"):
        if (record.model, repr(record.natural_key)) not in report.seen:
            report.stale.append(f"{record.model} {record.natural_key}")


def merge(label, model, key, existing, deserialized, document, record, report) -> None:
    """Update the fields the last import wrote and staff left alone; report the others."""
    current = canonical(model, current_fields(existing, document))
    imported = record.values if record else {}
    changed = []
    for name, value in document.items():
        if current[name] == value:
            continue
        if record is not None and imported.get(name) == current[name]:
            changed.append(name)
        else:
            report.kept.append(
                KeptEdit(label, key, name, current[name], value, cited_lines(document))
            )
    if not changed:
        report.unchanged[label] += 1
        return
    plain = [n for n in changed if not model._meta.get_field(n).many_to_many]
    for name in plain:
        attname = model._meta.get_field(name).attname
        setattr(existing, attname, getattr(deserialized.object, attname))
    if plain:
        existing.save(update_fields=plain)
    for name in changed:
        if model._meta.get_field(name).many_to_many:
            getattr(existing, name).set(deserialized.m2m_data[name])
    report.updated[label] += 1


def cited_lines(document: dict) -> str:
    if not document.get("first_line"):
        return ""
    return f", {document['document'][0]} lines {document['first_line']}–{document['last_line']}"
