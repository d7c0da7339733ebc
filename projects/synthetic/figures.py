"""Synthetic figures: a project's outcomes, and the funder's decision with its stages and budget
lines, every total the sum of its lines."""

import math
from bisect import bisect
from datetime import timedelta

from .common import NULL
from .pools import copy_text

OUTCOME_COUNT_WEIGHTS = (12, 10, 12, 12, 11, 10, 9, 8, 6, 5, 5)  # 0..10 outcomes
OUTCOME_LABELS = {
    "participants": "osallistujat",
    "employed": "työllistyneet",
    "in_education": "koulutukseen ohjautuneet",
    "employed_or_education": "työhön tai koulutukseen",
    "entrepreneurs": "yrittäjiksi ryhtyneet",
    "job_seeking": "työnhakuun ryhtyneet",
    "satisfaction": "asiakastyytyväisyys",
    "other": "muut tulokset",
}
UNIT_WORDS = {"persons": " henkilöä", "percent": " %", "count": " kpl", "score": " / 5"}
STAGE_WORDS = {"planned": "Tavoite", "achieved": "Toteutunut"}
FINANCING_SHARES = (0.80, 0.02, 0.09, 0.09, 0.0)


class FiguresMixin:
    def _outcomes(self, chunk, ref, status):
        rng = self.rng
        participants = int(min(max(rng.lognormvariate(math.log(80), 0.9), 3), 3000))
        count = rng.choices(range(11), OUTCOME_COUNT_WEIGHTS)[0]
        achieved_share = {"ended": 0.75, "ongoing": 0.3}.get(status, 0.0)
        document, lines = str(self.refs.document), str(self.refs.document_lines)
        for position in range(1, count + 1):
            kind, unit = self._outcome_kinds[
                bisect(self._outcome_cum, rng.random() * self._outcome_cum[-1])
            ]
            stage = "achieved" if rng.random() < achieved_share else "planned"
            if unit == "percent":
                value = f"{rng.randint(1, 95)}.00"
            elif unit == "score":
                value = f"{rng.uniform(3, 5):.2f}"
            elif unit == "count":
                value = f"{rng.randint(1, 60)}.00"
            elif kind == "participants":
                value = f"{participants}.00"
            else:
                value = f"{int(participants * rng.uniform(0.02, 0.5))}.00"
            labels = self._outcome_labels.get((kind, unit))
            label = rng.choice(labels) if labels else OUTCOME_LABELS[kind]
            phrase = f"{STAGE_WORDS[stage]}: {label} {value.removesuffix('.00')}{UNIT_WORDS[unit]}."
            chunk.add(
                "outcome",
                ref,
                str(position),
                kind,
                stage,
                value,
                unit,
                copy_text(label),
                copy_text(phrase),
                document,
                "1",
                lines,
            )

    def _decision(self, chunk, decision_id, project_id, funded, start, applied, region, funder):
        """Write a decision with its stages and budget lines; return (applied, approved) totals.
        The cost lines add up to their total, the financing lines to the same total."""
        rng, refs = self.rng, self.refs
        document, lines = str(refs.document), str(refs.document_lines)
        max_score = rng.choice((57, 60, 45))
        score = int(max_score * (rng.uniform(0.6, 1.0) if funded else rng.uniform(0.2, 0.6)))
        reasoning = " ".join(
            f.copy
            for f in rng.choices(
                self._pools["background"][0], cum_weights=self._pools["background"][1], k=3
            )
        )
        ref = str(decision_id)
        chunk.add(
            "decision",
            ref,
            str(project_id),
            "funded" if funded else "not_funded",
            str(score),
            str(max_score),
            reasoning,
            document,
            "1",
            lines,
        )
        owner = (
            region.ely_centre.replace("ELY-keskus", "ELY-keskuksen")
            if region
            else "Työ- ja elinkeinoministeriön"
        )
        bodies = [f"{owner} hankeryhmä", f"{owner} rakennerahastopalveluiden rahoituskokous"]
        if region:
            bodies.append(f"{region.genitive} maakunnan yhteistyöryhmän sihteeristö")
        day = start - timedelta(days=rng.randint(60, 240))
        for position, body in enumerate(bodies, start=1):
            chunk.add(
                "stage", ref, str(position), day.isoformat(), copy_text(body), document, "1", lines
            )
            day += timedelta(days=rng.randint(7, 45))

        salary = int(applied / 1.4)
        approved_salary = int(salary * rng.uniform(0.8, 1.0)) if funded else 0
        cost = [
            ("Palkkakustannukset", salary, approved_salary),
            ("Flat rate 40 % kehittäminen", round(salary * 0.4), round(approved_salary * 0.4)),
            ("Tulot (vähennetään kustannuksista)", 0, 0),
        ]
        applied_total = sum(line[1] for line in cost)
        approved_total = sum(line[2] for line in cost)
        for position, (label, applied_, approved_) in enumerate(cost, start=1):
            chunk.add(
                "money",
                ref,
                "cost",
                str(position),
                label,
                f"{applied_}.00",
                f"{approved_}.00",
                f"{applied_ - approved_}.00",
                NULL,
                "f",
                document,
                "1",
                lines,
            )
        chunk.add(
            "money",
            ref,
            "cost",
            "4",
            "Nettokustannusarvio yhteensä",
            f"{applied_total}.00",
            f"{approved_total}.00",
            f"{applied_total - approved_total}.00",
            NULL,
            "t",
            document,
            "1",
            lines,
        )
        labels = (
            "Haettava EU- ja valtion rahoitus",
            "Omarahoitus: Yksityinen rahoitus",
            "Kuntarahoitus",
            "Muu julkinen rahoitus",
            "Yksityinen rahoitus",
        )
        applied_parts = split(applied_total, FINANCING_SHARES)
        approved_parts = split(approved_total, FINANCING_SHARES)
        for position, (label, applied_, approved_) in enumerate(
            zip(labels, applied_parts, approved_parts, strict=True), start=1
        ):
            share = f"{100 * approved_ / approved_total:.2f}" if approved_total else "0.00"
            chunk.add(
                "money",
                ref,
                "financing",
                str(position),
                label,
                f"{applied_}.00",
                f"{approved_}.00",
                NULL,
                share,
                "f",
                document,
                "1",
                lines,
            )
        chunk.add(
            "money",
            ref,
            "financing",
            "6",
            "Rahoitussuunnitelma yhteensä",
            f"{applied_total}.00",
            f"{approved_total}.00",
            NULL,
            "100.00",
            "t",
            document,
            "1",
            lines,
        )
        return applied_total, approved_total


def split(total: int, shares) -> list[int]:
    """Split a whole sum by shares; the first part takes the rounding, so the parts add up."""
    parts = [int(total * share) for share in shares]
    parts[0] += total - sum(parts)
    return parts
