"""Build data/national/ from the collected published statistics (../shared/data/).

Rules (documented in data/national/README.md):
- one row per (region, indicator, year, area); where several pages give the same figure the
  row keeps the most authoritative page (stats.gov.cn, nhc.gov.cn, moe.gov.cn, gov.cn first);
  where pages disagree, the value given by an official page wins, else the most frequent value;
- 全国城市 / 全国农村 become region 全国 with area urban / rural;
- values published as bounds (>99, >=90, ≈77) and indicators outside the dictionary are not
  loaded; they are listed in data/sources/national_excluded.csv with the reason;
- official figures missing from the collected pages are added from
  data/sources/national_additions.csv (same columns, plus ``publication``);
- every row gets the official publication its figure comes from (``publication``), from the
  register data/sources/national_publications.csv: one line per source page, and lines for a
  page's single (indicator, year) where the page mixes publications; a row whose figure could
  not be traced keeps an empty publication and a note beginning 出处未溯源 with the reason.
  A source page missing from the register stops the build.

Usage: python scripts/build_national_data.py [SHARED_DATA_DIR]
"""

from __future__ import annotations

import re
import sys
from pathlib import Path

import pandas as pd

from childplan_analysis.core.indicators import load_indicators
from childplan_analysis.io.fileio import atomic_write_text

ROOT = Path(__file__).resolve().parents[1]
OFFICIAL = ("stats.gov.cn", "nhc.gov.cn", "moe.gov.cn", "gov.cn", "english.gov.cn")
AREAS = {"全国城市": ("全国", "urban"), "全国农村": ("全国", "rural")}
SOURCES = ROOT / "data" / "sources"
UNTRACED = "出处未溯源"
COLUMNS = ["region", "indicator", "year", "value", "unit", "area", "source", "publication", "note",
           "name_as_published", "quote"]


def authority(url: str) -> int:
    """Rank of a source page: 0 for official statistics pages, 1 for others."""
    return 0 if any(domain in str(url) for domain in OFFICIAL) else 1


def main(shared: Path) -> None:
    raw = pd.read_csv(shared / "observations.csv", dtype=str, keep_default_na=False)
    additions = pd.read_csv(SOURCES / "national_additions.csv", dtype=str, keep_default_na=False)
    raw = pd.concat([raw.assign(publication=""), additions], ignore_index=True)
    indicators = load_indicators()
    excluded: list[dict] = []
    rows: list[dict] = []
    for r in raw.itertuples(index=False):
        region, area = AREAS.get(r.region, (r.region, "total"))
        ind = indicators.find(r.indicator_zh)
        why = None
        if ind is None:
            why = "indicator not in params/indicators.yaml"
        elif not re.fullmatch(r"\d+(\.\d+)?", r.value):
            why = "published as a bound, not a value"
        if why:
            excluded.append({"region": r.region, "indicator_zh": r.indicator_zh, "year": r.year,
                             "value": r.value, "unit": r.unit, "reason": why, "source": r.source_url})
            continue
        rows.append({"region": region, "indicator": ind.id, "name_as_published": r.indicator_zh,
                     "year": int(r.year), "value": float(r.value), "unit": r.unit, "area": area,
                     "source": r.source_url, "quote": r.quote, "publication": r.publication,
                     "_rank": authority(r.source_url)})
    frame = pd.DataFrame(rows)
    keep = []
    for _, group in frame.groupby(["region", "indicator", "year", "area"], sort=True):
        official = group[group["_rank"] == 0]
        pool = official if len(official) else group
        value = pool["value"].mode().iloc[0] if len(pool["value"].unique()) > 1 else pool["value"].iloc[0]
        chosen = pool[pool["value"] == value].iloc[0].copy()
        dropped = group[group["value"] != value]
        if len(dropped):
            chosen["note"] = "other pages give " + ", ".join(f"{v:g}" for v in sorted(dropped["value"].unique()))
        keep.append(chosen)
    out = pd.DataFrame(keep)
    out["note"] = out.get("note", pd.Series("", index=out.index)).fillna("")
    out = trace(out, pd.read_csv(SOURCES / "national_publications.csv", dtype=str, keep_default_na=False))
    out = out[COLUMNS]
    target = ROOT / "data" / "national"
    target.mkdir(parents=True, exist_ok=True)
    atomic_write_text(target / "observations.csv", out.to_csv(index=False))
    atomic_write_text(target / ".." / "sources" / "national_excluded.csv", pd.DataFrame(excluded).to_csv(index=False))
    traced = int((out["publication"] != "").sum())
    print(f"{len(raw)} published rows -> {len(out)} observations ({traced} traced to an official "
          f"publication), {len(excluded)} excluded")


def trace(out: pd.DataFrame, register: pd.DataFrame) -> pd.DataFrame:
    """``out`` with ``publication`` filled from ``register`` (rows that carry one keep it) and the
    register's trace note added to ``note``; every source page must be in the register."""
    missing = sorted(set(out.loc[out["publication"] == "", "source"]) - set(register["source"]))
    if missing:
        raise SystemExit("source pages missing from data/sources/national_publications.csv: " + ", ".join(missing))
    whole = register[register["indicator"] == ""].set_index("source")
    single = register[register["indicator"] != ""].set_index(["source", "indicator", "year"])
    out = out.copy()
    for i, r in out.iterrows():
        if r["publication"]:
            continue
        key = (r["source"], r["indicator"], str(r["year"]))
        entry = single.loc[key] if key in single.index else whole.loc[r["source"]]
        out.at[i, "publication"] = entry["publication"]
        if entry["trace_note"]:
            out.at[i, "note"] = "; ".join(x for x in (r["note"], entry["trace_note"]) if x)
    return out


if __name__ == "__main__":
    main(Path(sys.argv[1]) if len(sys.argv) > 1 else ROOT.parent / "shared" / "data")
