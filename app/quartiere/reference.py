"""Reading the copied reference files (the map's tiles; a test checks that migration 0002 holds the same rows)."""

import csv
import json
import re
import unicodedata
from pathlib import Path

DATA = Path(__file__).parent / "data"
ATTRIBUTION = "Stadtbezirke und Stadtteile: Landeshauptstadt Stuttgart, Statistisches Amt"
BOUNDARY_ATTRIBUTION = ("Stadtbezirksgrenzen: Landeshauptstadt Stuttgart – Stadtmessungsamt, Kleinräumige Gliederung "
                        "(generalisiert), CC BY 4.0, Koordinaten gerundet")
LICENCE_URL = "https://creativecommons.org/licenses/by/4.0/deed.de"


def slugify(text: str) -> str:
    text = text.replace("ß", "ss").replace("ä", "ae").replace("ö", "oe").replace("ü", "ue")
    text = text.replace("Ä", "Ae").replace("Ö", "Oe").replace("Ü", "Ue")
    text = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode()
    return re.sub(r"[^a-z0-9]+", "-", text.lower()).strip("-")


def districts() -> list[dict]:
    """[{number, name, slug, tile_col, tile_row, quarters: [{number, name, slug}]}] in official order."""
    tiles = {}
    with open(DATA / "stuttgart_stadtbezirke_tiles.csv", encoding="utf-8") as f:
        for row in csv.DictReader(f):
            tiles[int(row["bezirk_nr"])] = (int(row["col"]), int(row["row"]))
    result: dict[int, dict] = {}
    with open(DATA / "stuttgart_stadtteile.csv", encoding="utf-8") as f:
        for row in csv.DictReader(f):
            nr = int(row["bezirk_nr"])
            col, r = tiles[nr]
            d = result.setdefault(nr, {"number": nr, "name": row["bezirk_name"],
                                       "slug": slugify(row["bezirk_name"]), "tile_col": col,
                                       "tile_row": r, "quarters": []})
            name = row["stadtteil_name"]
            d["quarters"].append({"number": int(row["stadtteil_nr"]), "name": name})
    all_names = [q["name"] for d in result.values() for q in d["quarters"]]
    for d in result.values():
        for q in d["quarters"]:
            # A Stadtteil name can repeat across Bezirke; its slug then carries the number.
            q["slug"] = slugify(q["name"]) if all_names.count(q["name"]) == 1 else \
                f"{slugify(q['name'])}-{q['number']}"
    return [result[k] for k in sorted(result)]


def boundaries() -> dict[int, dict]:
    """{bezirk_nr: GeoJSON geometry (WGS84, lon/lat)} of the 23 Stadtbezirke from the copied boundary file."""
    with open(DATA / "stuttgart_stadtbezirke.geojson", encoding="utf-8") as f:
        data = json.load(f)
    return {int(feature["properties"]["bezirk_nr"]): feature["geometry"] for feature in data["features"]}
