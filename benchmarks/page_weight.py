"""Page weight of single-file offline reports: the national report, the largest demo report and
a 50-target one (the first 50 targets of that demo plan, on its data).

    .venv/bin/python benchmarks/page_weight.py [--out DIR] [--targets 50]

Prints, per report, the HTML size split into plotly.js (and which bundle), stylesheets, figure
scripts and the rest, the executed notebook's size, and what the page would weigh with the
full plotly.js. Aim: a 50-target report ≤ 1.5 MB. Never asserts.
"""

from __future__ import annotations

import argparse
import re
import sys
import tempfile
from pathlib import Path

import yaml

from childplan_analysis.core import config
from childplan_analysis.report.bundles import bundle_source
from childplan_analysis.report.run import run_report

DEMO = config.DATA_DIR / "demo"
MB = 1024 * 1024
AIM = 1.5 * MB


def largest_demo() -> tuple[Path, Path]:
    """The demo plan with the most targets that has a data file of its own name."""
    plans = [(p, DEMO / f"{p.stem}.csv") for p in sorted(config.PARAMS_DIR.glob("*.yaml"))
             if (DEMO / f"{p.stem}.csv").is_file()]
    return max(plans, key=lambda pd_: len(yaml.safe_load(pd_[0].read_text(encoding="utf-8"))["targets"]))


def first_targets(plan: Path, n: int, folder: Path) -> Path:
    """A copy of ``plan`` keeping its first ``n`` targets (``<id>_<n>`` as its id)."""
    doc = yaml.safe_load(plan.read_text(encoding="utf-8"))
    doc["targets"] = doc["targets"][:n]
    doc["id"] = f"{doc['id']}_{n}"
    doc.pop("parent", None)
    out = folder / f"{doc['id']}.yaml"
    out.write_text(yaml.safe_dump(doc, allow_unicode=True, sort_keys=False), encoding="utf-8")
    return out


def weigh(html: Path) -> dict:
    page = html.read_text(encoding="utf-8")
    lib = re.search(r'<script data-plotlyjs="(\w+)">(.*?)</script>', page, re.S)
    styles = sum(len(m.encode()) for m in re.findall(r"<style[^>]*>.*?</style>", page, re.S | re.I))
    figures = [m for m in re.findall(r"<script[^>]*>(.*?)</script>", page, re.S) if "Plotly.newPlot" in m]
    total = len(page.encode())
    lib_bytes = len(lib.group(2).encode()) if lib else 0
    fig_bytes = sum(len(f.encode()) for f in figures)
    full = total - lib_bytes + len(bundle_source("full").encode()) if lib else total
    return {"total": total, "bundle": lib.group(1) if lib else "-", "plotlyjs": lib_bytes, "styles": styles,
            "figures": len(figures), "figure_bytes": fig_bytes, "rest": total - lib_bytes - styles - fig_bytes,
            "with_full": full}


def main(argv: list[str]) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--out", type=Path, default=None)
    ap.add_argument("--targets", type=int, default=50)
    args = ap.parse_args(argv)
    with tempfile.TemporaryDirectory(prefix="childplan-weight-") as tmp:
        out = args.out or Path(tmp)
        demo_plan, demo_data = largest_demo()
        cases = [("national", config.NATIONAL_PLAN_FILE, config.NATIONAL_DATA_DIR),
                 (f"demo {demo_plan.stem}", demo_plan, demo_data),
                 (f"{args.targets} targets", first_targets(demo_plan, args.targets, Path(tmp)), demo_data)]
        print(f"{'report':<40} {'targets':>7} {'HTML':>9} {'bundle':>9} {'plotly.js':>9} {'CSS':>8} "
              f"{'figs':>5} {'fig KB':>7} {'rest':>7} {'ipynb':>8} {'w/ full':>8}")
        for label, plan, data in cases:
            paths = run_report(plan, data, out / "reports", name=re.sub(r"\W+", "_", label))
            w = weigh(paths.html)
            n = len(yaml.safe_load(Path(plan).read_text(encoding="utf-8"))["targets"])
            print(f"{label:<40} {n:>7} {w['total'] / MB:>7.2f}MB {w['bundle']:>9} {w['plotlyjs'] / MB:>7.2f}MB "
                  f"{w['styles'] / 1024:>6.0f}KB {w['figures']:>5} {w['figure_bytes'] / 1024:>6.0f}K "
                  f"{w['rest'] / 1024:>6.0f}K {paths.notebook.stat().st_size / MB:>6.2f}MB "
                  f"{w['with_full'] / MB:>6.2f}MB")
            if label.endswith("targets"):
                verdict = "meets" if w["total"] <= AIM else "misses"
                print(f"  aim ≤ {AIM / MB:.1f} MB for {args.targets} targets: {verdict} "
                      f"({w['total'] / AIM:.2f}× the aim; {w['with_full'] / w['total']:.1f}× lighter than with "
                      "the full plotly.js)")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
