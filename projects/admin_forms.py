"""Admin forms that keep staff from losing work: conflicting edits and budgets that do not add up.

A change form carries the change history it was opened at (HISTORY_FIELD): the latest history
row of the record and of each kind of row edited inline with it. Saving refuses when any of
them has a newer row, naming who changed what and when, so that the second of two editors
never silently overwrites the first. See docs/adr/0004-admin-history.md.
"""

from decimal import Decimal

from django import forms
from django.core.exceptions import ValidationError
from django.forms.models import BaseInlineFormSet
from django.utils import formats, timezone
from django.utils.translation import gettext_lazy as _

from projects.models import MoneyLine

HISTORY_FIELD = "opened_at_history"


def latest_changes(instance, children) -> dict[str, object]:
    """Return the newest history row of a record and of each kind of its inline rows, by model
    label: {"projects.project": <HistoricalProject>, "projects.outcome": None, ...}.

    children: (model, foreign key attname) pairs, e.g. (Outcome, "project_id").
    """
    latest = {instance._meta.label_lower: instance.history.order_by("-history_id").first()}
    for model, fk_attname in children:
        rows = model.history.filter(**{fk_attname: instance.pk})
        latest[model._meta.label_lower] = rows.order_by("-history_id").first()
    return latest


def history_token(latest: dict[str, object]) -> str:
    """Return what the change form carries: "projects.project:12,projects.outcome:0"."""
    return ",".join(f"{label}:{row.history_id if row else 0}" for label, row in latest.items())


def parse_history_token(token: str) -> dict[str, int]:
    opened = {}
    for part in token.split(","):
        label, _colon, history_id = part.partition(":")
        if history_id.isdigit():
            opened[label] = int(history_id)
    return opened


def conflict_message(row) -> ValidationError:
    when = formats.date_format(timezone.localtime(row.history_date), "DATETIME_FORMAT")
    what = str(row.history_object)
    if row.history_user is None:
        message = _(
            "“%(what)s” was changed at %(when)s by an import or a script after you opened "
            "this page. Nothing was saved, so that those changes are not overwritten. Open "
            "the record again to see the current values, then make your changes again."
        )
        params = {"what": what, "when": when}
    else:
        message = _(
            "%(user)s changed “%(what)s” at %(when)s after you opened this page. Nothing was "
            "saved, so that their changes are not overwritten. Open the record again to see "
            "the current values, then make your changes again."
        )
        params = {"what": what, "when": when, "user": row.history_user.get_username()}
    return ValidationError(message, code="edit_conflict", params=params)


class ConflictCheckingForm(forms.ModelForm):
    """A change form that refuses to save over changes made after it was opened."""

    # Set by RecordAdmin.get_form(): the models edited inline, with their foreign key.
    history_children: tuple = ()

    opened_at_history = forms.CharField(widget=forms.HiddenInput, required=False)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if self.instance.pk is not None and not self.is_bound:
            self.initial[HISTORY_FIELD] = history_token(
                latest_changes(self.instance, self.history_children)
            )

    def clean(self):
        cleaned_data = super().clean()
        if self.instance.pk is not None:
            self._refuse_newer_changes()
        return cleaned_data

    def _refuse_newer_changes(self):
        # The row lock makes a second save of the same record wait for the first to commit,
        # so that it then sees the first one's history row.
        model = type(self.instance)
        list(model.objects.select_for_update().filter(pk=self.instance.pk).values_list("pk"))
        opened = parse_history_token(self.cleaned_data.get(HISTORY_FIELD) or "")
        latest = latest_changes(self.instance, self.history_children)
        newer = [
            row
            for label, row in latest.items()
            if row is not None and row.history_id > opened.get(label, 0)
        ]
        if newer:
            raise conflict_message(max(newer, key=lambda row: row.history_date))


def sum_of(values) -> Decimal:
    return sum((value for value in values if value is not None), Decimal(0))


class MoneyLineFormSet(BaseInlineFormSet):
    """Budget lines of a decision: in each section, the lines other than the total line must add
    up to the total line's applied, approved and rejected amounts, where the total states one."""

    AMOUNTS = {"applied": _("applied"), "approved": _("approved"), "rejected": _("rejected")}

    def clean(self):
        super().clean()
        if any(self.errors):
            return
        kept = [
            form.cleaned_data
            for form in self.forms
            if form.cleaned_data and not form.cleaned_data.get("DELETE")
        ]
        errors = []
        for section, label in MoneyLine.Section.choices:
            lines = [line for line in kept if line.get("section") == section]
            totals = [line for line in lines if line.get("is_total")]
            if len(totals) > 1:
                errors.append(
                    ValidationError(
                        _("The %(section)s has more than one total line."),
                        code="several_totals",
                        params={"section": label},
                    )
                )
                continue
            if not totals:
                continue
            parts = [line for line in lines if not line.get("is_total")]
            errors += self._mismatches(label, totals[0], parts)
        if errors:
            raise ValidationError(errors)

    def _mismatches(self, section_label, total, parts) -> list[ValidationError]:
        errors = []
        for amount, amount_label in self.AMOUNTS.items():
            stated = total.get(amount)
            if stated is None:
                continue
            added = sum_of(line.get(amount) for line in parts)
            if added != stated:
                errors.append(
                    ValidationError(
                        _(
                            "The %(amount)s amounts of the %(section)s add up to %(sum)s €, "
                            "but its total line says %(total)s €."
                        ),
                        code="total_mismatch",
                        params={
                            "amount": amount_label,
                            "section": section_label,
                            "sum": formats.number_format(
                                added, 2, use_l10n=True, force_grouping=True
                            ),
                            "total": formats.number_format(
                                stated, 2, use_l10n=True, force_grouping=True
                            ),
                        },
                    )
                )
        return errors
