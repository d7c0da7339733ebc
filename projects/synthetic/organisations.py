"""Synthetic organisations: national and regional funders, then local implementers named after
their municipality, and the Zipf-weighted lists projects draw implementers from."""

from bisect import bisect

from django.utils.text import slugify

from . import names as N
from .common import Organisation, cumulative, ranked
from .pools import copy_text, fragment


class OrganisationsMixin:
    def organisation_rows(self, first_id: int, count: int, taken_business_ids: set[str]):
        """Create `count` organisations (a few national and regional funders, then local ones
        drawn by kind and by a flatter population skew) and yield their COPY lines."""
        rng, records = self.rng, self.records
        seen = set()
        fixed = [(name, kind, None) for name, kind in N.MINISTRIES]
        fixed += [
            (ely, "ely_centre", None)
            for ely in dict.fromkeys(r.ely_centre for r in records.regions.values())
        ]
        kinds = list(N.ORGANISATION_PATTERNS)
        kind_cum = cumulative(share for share, _ in N.ORGANISATION_PATTERNS.values())
        home_cum = cumulative(1 / m.rank**0.8 for m in records.municipalities)
        candidates = iter(fixed)
        business_number = 3_000_000
        attempts = 0
        while len(self.organisations) < count and attempts < count * 20:
            attempts += 1
            item = next(candidates, None)
            if item is None:
                kind = kinds[bisect(kind_cum, rng.random() * kind_cum[-1])]
                index = bisect(home_cum, rng.random() * home_cum[-1])
                place = records.municipalities[index]
                pattern = rng.choice(N.ORGANISATION_PATTERNS[kind][1])
                region = records.regions[place.region]
                name = pattern.format(g=place.genitive, n=place.name, rg=region.genitive)
                if kind == "municipality":
                    name = f"{place.genitive} {'kaupunki' if place.rank <= 100 else 'kunta'}"
                item = (name, kind, index)
            name, kind, index = item
            if name in seen:
                continue
            seen.add(name)
            region = self.records.municipalities[index].region if index is not None else None
            organisation = Organisation(
                first_id + len(self.organisations),
                name,
                kind,
                index,
                region,
                fragment(name),
                fragment(f"{name}."),
            )
            self.organisations.append(organisation)
            business_id = ""
            if rng.random() < 0.7:
                business_id, business_number = next_business_id(business_number, taken_business_ids)
            slug = f"synt-{organisation.id}-{slugify(name)}"[:120]
            yield "\t".join((str(organisation.id), slug, copy_text(name), kind, business_id)) + "\n"

    def _rank_organisations(self, implementers):
        """Rank the implementers: within a municipality, a region and the whole country, each
        list in a random order with Zipf weights, so a few implement very many projects."""
        self._funders = {
            o.name: o for o in self.organisations if o.kind in ("ministry", "ely_centre")
        }
        self.rng.shuffle(implementers)
        local: dict[int, list[Organisation]] = {}
        regional: dict[str, list[Organisation]] = {}
        for organisation in implementers:
            if organisation.municipality is not None:
                local.setdefault(organisation.municipality, []).append(organisation)
                regional.setdefault(organisation.region, []).append(organisation)
        self._local = {key: ranked(found) for key, found in local.items()}
        self._regional = {key: ranked(found) for key, found in regional.items()}
        self._national = ranked(implementers)


def next_business_id(number: int, taken: set[str]) -> tuple[str, int]:
    """Return the next valid business ID (Y-tunnus) from number on, not among those taken."""
    weights = (7, 9, 10, 5, 8, 4, 2)
    while True:
        number += 1
        digits = f"{number:07d}"
        remainder = sum(int(d) * w for d, w in zip(digits, weights, strict=True)) % 11
        if remainder == 1:
            continue
        business_id = f"{digits}-{0 if remainder == 0 else 11 - remainder}"
        if business_id not in taken:
            return business_id, number
