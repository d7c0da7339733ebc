"""Rows of synthetic records as lines of PostgreSQL's COPY text format, generated in chunks.

The organisations come from random.Random(seed); each chunk of projects from its own stream,
seeded from the seed and the chunk's number, so chunks can be made in any order and in any process
and a seed still gives the same rows. Texts are built from pre-escaped fragments (pools.Fragment),
so no project's text is escaped, split into words or analysed by Voikko again: the search index's
lemmas and the word list's counts are unions of the fragments' precomputed sets.
"""

import math
import random
from bisect import bisect
from collections import Counter
from datetime import date, timedelta

from django.utils.text import slugify

from projects.models.search import lemma_vector
from projects.parsing.finnish import name_key

from . import names as N
from .common import NULL, Chunk, Organisation, References, cumulative, pick, zipf_weights
from .figures import FiguresMixin
from .organisations import OrganisationsMixin
from .pools import Fragment, RealRecords, copy_text, fragment

LAST_DAY = date(2027, 12, 31)
SECTIONS = ("description", "background", "goals", "actions", "results", "dissemination", "notes")
# (chance a project has the section, its share of the text)
SECTION_SHAPES = {
    "description": (0.9, 3),
    "background": (0.45, 2),
    "goals": (0.9, 3),
    "actions": (0.55, 3),
    "dissemination": (0.2, 1),
    "notes": (0.1, 1),
    "target_groups_text": (0.6, 1),
}
C_SECTIONS = (
    "description",
    "background",
    "actions",
    "dissemination",
    "notes",
    "target_groups_text",
)
RESULTS_CHANCE = {"ended": 0.9, "ongoing": 0.4}
ZIPF_ORGANISATIONS = 1.3
ZIPF_SENTENCES = 0.8


class Generator(OrganisationsMixin, FiguresMixin):
    """Synthetic organisations and projects, from one seed."""

    def __init__(self, records: RealRecords, references: References, seed: int, today: date):
        self.records, self.refs, self.today = records, references, today
        self.seed = seed
        self.rng = random.Random(seed)
        self.fragment_uses = Counter()  # fragment text -> uses, added up from the chunks
        self.taken_codes: set[str] = set()
        self.organisations: list[Organisation] = []
        self._sentences = {}
        for section, sentences in records.sentences.items():
            shuffled = list(sentences)
            self.rng.shuffle(shuffled)
            self._sentences[section] = shuffled
        municipalities = records.municipalities
        self._place_sentences = [
            [fragment(template.format(g=m.genitive)) for template in N.PLACE_SENTENCES]
            for m in municipalities
        ]
        self._implementer_sentences = [fragment(text) for text in N.IMPLEMENTER_SENTENCES]
        self._region_fragments = {code: fragment(r.name) for code, r in records.regions.items()}
        self._municipality_cum = cumulative(1 / m.rank for m in municipalities)
        self._by_region: dict[str, list[int]] = {}
        for index, municipality in enumerate(municipalities):
            self._by_region.setdefault(municipality.region, []).append(index)
        self._regions_by_name = sorted(records.regions.values(), key=lambda region: region.name)
        self._outcome_kinds = Counter((o["kind"], o["unit"]) for o in records.outcomes)
        self._outcome_cum = cumulative(self._outcome_kinds.values())
        self._outcome_kinds = list(self._outcome_kinds)
        labels: dict[tuple[str, str], list[str]] = {}
        for outcome in records.outcomes:
            if outcome["label"]:
                labels.setdefault((outcome["kind"], outcome["unit"]), []).append(outcome["label"])
        self._outcome_labels = labels
        groups = records.target_groups
        self._target_groups = [references.target_groups[g["slug"]] for g in groups]
        self._target_group_cum = cumulative(
            1 + records.target_group_counts.get(g["slug"], 0) for g in groups
        )
        slugs = list(N.PROGRAMME_SHARES)
        self._programmes, self._programme_cum = slugs, cumulative(N.PROGRAMME_SHARES.values())
        self._rounds = {slug: [r for r in references.rounds if r[1] == slug] for slug in slugs}
        self._dates = {}

    def leave_out(self, unusable: set[int]) -> None:
        """Stop using the fragments whose search vector cannot be joined to the next one's
        (loading.unjoinable_fragments), then rank the implementers."""
        for section, sentences in self._sentences.items():
            kept = [sentence for sentence in sentences if sentence.id not in unusable]
            self._sentences[section] = kept
        self._pools = {
            section: (kept, cumulative(zipf_weights(len(kept), ZIPF_SENTENCES)))
            for section, kept in self._sentences.items()
        }
        self._place_sentences = [
            [f for f in found if f.id not in unusable] for found in self._place_sentences
        ]
        self._implementer_sentences = [
            f for f in self._implementer_sentences if f.id not in unusable
        ]
        assert not {f.id for f in self._region_fragments.values()} & unusable
        self._rank_organisations(
            [
                o
                for o in self.organisations
                if o.kind not in ("ministry", "ely_centre")
                and not {o.fragment.id, o.sentence_end.id} & unusable
            ]
        )

    def chunk(self, number: int, first_id: int, count: int, first_decision_id: int) -> Chunk:
        """Return chunk `number`: the COPY data of `count` projects with ids from first_id, and
        of their decisions with ids after first_decision_id, drawn from the chunk's own stream."""
        self.rng = random.Random(f"{self.seed}/{number}")
        chunk = Chunk(projects=count)
        decision_id = first_decision_id
        for project_id in range(first_id, first_id + count):
            decision_id = self._project(chunk, project_id, decision_id)
        chunk.finish()
        return chunk

    def _project(self, chunk: Chunk, project_id: int, decision_id: int) -> int:
        rng, refs = self.rng, self.refs
        random_ = rng.random
        programme = self._programmes[
            bisect(self._programme_cum, random_() * self._programme_cum[-1])
        ]
        rounds = self._rounds[programme]
        funding_round = rng.choice(rounds) if rounds and random_() < 0.65 else None
        first, last = funding_round[2:] if funding_round else N.PROGRAMME_YEARS[programme]
        start = end = None
        start_precision = end_precision = "day"
        if random_() < 0.97:
            start = date(rng.randint(first, last), 1, 1) + timedelta(days=rng.randrange(365))
            end = min(start + timedelta(days=int(rng.triangular(180, 1460, 730))), LAST_DAY)
            roll = random_()
            if roll < 0.05:
                start, start_precision = start.replace(month=1, day=1), "year"
            elif roll < 0.15:
                start, start_precision = start.replace(day=1), "month"
        decided = (
            start is not None
            and start <= self.today
            and random_()
            < (
                0.6
                if programme == "esr-plus-2021-2027"
                else 0.2
                if programme == "esr-2014-2020"
                else 0
            )
        )
        funded = not decided or random_() < 0.7
        if not funded:
            status = "rejected"
        elif start is None or start > self.today:
            status = "applied"
        elif end >= self.today:
            status = "ongoing"
        else:
            status = "ended"

        # Places: a municipality by population-like skew, sometimes a few more of its region.
        national = random_() < 0.03
        municipalities, region_codes = [], set()
        home = None
        if not national:
            home = bisect(self._municipality_cum, random_() * self._municipality_cum[-1])
            region_code = self.records.municipalities[home].region
            region_codes.add(region_code)
            if random_() < 0.95:
                municipalities.append(home)
                extra = rng.choices((0, 1, 2, 3, 4), (60, 20, 10, 6, 4))[0]
                neighbours = self._by_region[region_code]
                for _ in range(extra):
                    municipalities.append(rng.choice(neighbours))
                municipalities = list(dict.fromkeys(municipalities))

        implementers = self._implementers(home, region_codes)
        region = self.records.regions[next(iter(region_codes))] if region_codes else None
        if programme == "amif-2014-2020":
            funder = self._funders["Sisäministeriö"]
        elif region is None:
            funder = self._funders[rng.choice(N.MINISTRIES[:3])[0]]
        else:
            funder = self._funders[region.ely_centre]
        administrator = funder if random_() < 0.15 else None

        # Texts, sentence by sentence from the real records' pools.
        texts = self._texts(status, home, implementers[0][0])
        name, name_fragments, acronym = self._name(home)
        code = (
            f"{'SAMBCDEFGHJKLNPRTUVWXYZ'[project_id // 1_000_000 % 23]}{project_id % 1_000_000:06d}"
        )
        code = code if random_() < 0.85 and code not in self.taken_codes else ""

        # Money and the funder's decision.
        applied = int(min(max(rng.lognormvariate(math.log(280_000), 0.7), 20_000), 4_000_000))
        applied_total = approved_total = realised = NULL
        if decided:
            decision_id += 1
            applied, approved = self._decision(
                chunk, decision_id, project_id, funded, start, applied, region, funder
            )
            applied_total, approved_total = f"{applied}.00", f"{approved}.00"
        elif random_() < 0.6:
            applied_total = f"{applied}.00"
            approved = int(applied * rng.uniform(0.85, 1.0))
            if status in ("ongoing", "ended") and random_() < 0.5:
                approved_total = f"{approved}.00"
        if status == "ended" and funded and random_() < 0.6:
            realised = f"{int(applied * rng.uniform(0.5, 0.8))}.00"

        slug = f"synt-{project_id}-{slugify(name)}"[:120]
        other_names = "{" + f'"{acronym}"' + "}" if acronym else "{}"
        ref = str(project_id)
        chunk.add(
            "project",
            ref,
            str(refs.document),
            "1",
            str(refs.document_lines),
            code,
            copy_text(name),
            other_names,
            slug,
            status,
            _iso(start),
            start_precision,
            _iso(end),
            end_precision,
            NULL,
            str(funding_round[0]) if funding_round else NULL,
            str(refs.programmes[programme]),
            str(funder.id),
            str(administrator.id) if administrator else NULL,
            realised,
            applied_total,
            approved_total,
            "t" if national else "f",
            *(
                " ".join(f.copy for f in texts.get(section, ()))
                for section in ("target_groups_text", *SECTIONS)
            ),
        )
        for position, (organisation, role) in enumerate(implementers, start=1):
            chunk.add("implementation", ref, str(organisation.id), role, str(position))
        regions = sorted(
            (self.records.regions[code_] for code_ in region_codes), key=lambda r: r.name
        )
        for region_ in regions:
            chunk.add("region", ref, str(refs.regions[region_.code]))
        for index in municipalities:
            chunk.add(
                "municipality",
                ref,
                str(refs.municipalities[self.records.municipalities[index].code]),
            )
        groups = sorted(
            set(
                rng.choices(
                    self._target_groups, cum_weights=self._target_group_cum, k=rng.randint(1, 4)
                )
            )
        )
        for group in groups:
            chunk.add("target_group", ref, str(group))
        self._outcomes(chunk, ref, status)

        # The search index's share: texts by weight as search_document() reads them. B and C
        # go as lists of fragments, whose vectors PostgreSQL joins (loading.INSERT_SEARCH).
        by_weight = {
            "A": name_fragments,
            "B": [*texts.get("goals", ()), *texts.get("results", ())],
            "C": [
                *(f for section in C_SECTIONS for f in texts.get(section, ())),
                *(organisation.fragment for organisation, _ in implementers),
                *(self._region_fragments[region_.code] for region_ in regions),
            ],
        }
        lemmas = {
            weight: set().union(*(f.lemmas for f in found)) for weight, found in by_weight.items()
        }
        chunk.uses.update(f.text for found in by_weight.values() for f in found)
        names_ = [name_key(text) for text in (code, name, acronym) if text]
        chunk.add(
            "search",
            ref,
            "\\n".join(copy_text(text) for text in (code, name, acronym) if text),
            "{" + ",".join(str(f.id) for f in by_weight["B"]) + "}",
            "{" + ",".join(str(f.id) for f in by_weight["C"]) + "}",
            lemma_vector(lemmas),
            "{" + ",".join(f'"{key}"' for key in names_) + "}",
            "{"
            + ",".join(map(str, sorted(refs.regions[region_.code] for region_ in regions)))
            + "}",
            "{" + ",".join(map(str, groups)) + "}",
        )
        return decision_id

    def vocabulary(self, projects: int) -> Counter:
        """Return the words and lemmas of the synthetic projects, each with the number of
        projects using a fragment that holds it, at most `projects`: an upper bound of the
        count a rebuild would give (two sentences of a project may share a word)."""
        found = Counter()
        for text, uses in self.fragment_uses.items():
            for word in fragment(text).found:
                found[word] += uses
        return Counter({word: min(count, projects) for word, count in found.items()})

    def _implementers(self, home, region_codes) -> list[tuple[Organisation, str]]:
        rng = self.rng
        pools = []
        if home is not None and home in self._local:
            pools.append(self._local[home])
        for code in region_codes:
            if code in self._regional:
                pools.append(self._regional[code])
        pools.append(self._national)
        main = pick(rng, pools[0] if rng.random() < 0.75 else pools[min(1, len(pools) - 1)])
        chosen = {main.id: (main, "main")}
        for _ in range(rng.choices((0, 1, 2, 3, 4), (50, 25, 13, 8, 4))[0]):
            other = pick(rng, pools[-2] if len(pools) > 1 and rng.random() < 0.6 else pools[-1])
            chosen.setdefault(other.id, (other, "co"))
        if rng.random() < 0.1:
            partner = pick(rng, pools[-1])
            chosen.setdefault(partner.id, (partner, "partner"))
        return list(chosen.values())

    def _texts(self, status, home, main) -> dict[str, list[Fragment]]:
        rng = self.rng
        chosen = [s for s, (chance, _) in SECTION_SHAPES.items() if rng.random() < chance]
        if rng.random() < RESULTS_CHANCE.get(status, 0.1):
            chosen.append("results")
        if not chosen:
            chosen = ["description"]
        shares = {s: SECTION_SHAPES.get(s, (0, 3))[1] for s in chosen}
        budget = rng.randint(1000, 3000)
        total_share = sum(shares.values())
        texts = {}
        for section in chosen:
            sentences, cum = self._pools[section]
            wanted, length, found = budget * shares[section] / total_share, 0, []
            while length < wanted:
                sentence = sentences[bisect(cum, rng.random() * cum[-1])]
                found.append(sentence)
                length += len(sentence.text) + 1
            texts[section] = found
        first = texts[chosen[0]]
        if home is not None and rng.random() < 0.7 and self._place_sentences[home]:
            first.insert(0, rng.choice(self._place_sentences[home]))
        if rng.random() < 0.5 and self._implementer_sentences:
            first += [rng.choice(self._implementer_sentences), main.sentence_end]
        return texts

    def _name(self, home) -> tuple[str, list[Fragment], str]:
        rng = self.rng
        head = rng.choice(N.PROJECT_HEADS)
        parts = [head]
        if home is not None and rng.random() < 0.5:
            parts.append(self.records.municipalities[home].name)
        name = " ".join(parts)
        if rng.random() < 0.4 or len(parts) == 1:
            subtitle = rng.choice(N.PROJECT_SUBTITLES)
            parts.append(subtitle)
            name = f"{name} – {subtitle}"
        if rng.random() < 0.08:
            continuation = rng.choice(N.CONTINUATIONS)
            parts.append(continuation)
            name = f"{name} {continuation}"
        acronym = ""
        if rng.random() < 0.1:
            letters = "".join(word[0] for word in " ".join(parts).split() if word[0].isalpha())
            acronym = letters.upper()[:6] if len(letters) >= 3 else ""
        fragments = [fragment(part) for part in parts]
        if acronym:
            fragments.append(fragment(acronym))
        return name, fragments, acronym


def _iso(day: date | None) -> str:
    return day.isoformat() if day else NULL
