"""Write tests/data/load_equivalence/: messy observation files and what the loaders made of them.

The inputs are generated from a fixed seed: long CSV forms as statistics offices send them (mixed
units, unreported and malformed values, published bounds, duplicates within and between files,
values outside natural bounds, unknown and empty indicators, bad years, sexes and areas, blank and
furniture rows, a GBK copy, a CSV with rows longer than its header, an Excel copy and a wide
form). Each case (a file, or several read together) is loaded with ``read_observations`` and
its observations, rejections, skipped rows, conflicts, per-file counts and warnings are stored;
``tests/test_load_equivalence.py`` reloads every case and requires the same tables. Rerun this
script only when a change of the loaders' results is intended.

Usage: python scripts/build_load_fixture.py
"""

from __future__ import annotations

import csv
import json
from pathlib import Path

import numpy as np
import openpyxl
import pandas as pd

from childplan_analysis.io.sources import read_observations

OUT = Path(__file__).resolve().parents[1] / "tests" / "data" / "load_equivalence"
INPUTS = OUT / "inputs"

HEADER = ["地区", "乡镇", "指标名称", "年份", "性别", "城乡", "年龄组", "数值", "单位", "数据来源", "备注"]
NAMES = [("婴儿死亡率", "‰", 2.0, 9.0), ("5岁以下儿童死亡率", "‰", 3.0, 12.0),
         ("孕产妇死亡率", "1/10万", 5.0, 30.0), ("学前教育毛入园率", "%", 70.0, 99.0),
         ("剖宫产率", "%", 20.0, 50.0), ("儿童伤害死亡率", "1/10万", 5.0, 20.0)]
BAD_VALUES = ["—", "", "abc", "#DIV/0!", "无", "1,2,3", "inf", "N/A", "12..5", "x"]
BOUND_VALUES = ["≥90", "90%以上", "不足5", "<0.1", "约3.2", "≈4", "不超过8"]


def messy_rows(n: int, seed: int) -> list[list[str]]:
    """``n`` data rows (plus furniture and blank rows) of a long form with every kind of fault."""
    rng = np.random.default_rng(seed)
    rows: list[list[str]] = []
    for _ in range(n):
        name, unit, lo, hi = NAMES[rng.integers(len(NAMES))]
        value = f"{lo + (hi - lo) * rng.random():.2f}"
        county = f"县{rng.integers(4)}"
        row = [county, rng.choice(["", "合计", f"镇{rng.integers(5)}", county]), name,
               str(2015 + rng.integers(10)), rng.choice(["", "合计", "男", "女", "男性", "F"]),
               rng.choice(["", "城镇", "农村", "全部"]), rng.choice(["", "合计", "0-6岁", "0 ~ 6岁"]),
               value, unit, rng.choice(["卫健委年报", "教育局", ""]), rng.choice(["", "", "初步数"])]
        fault = rng.integers(40)
        if fault == 0:
            row[7] = rng.choice(BAD_VALUES)
        elif fault == 1:
            row[7] = rng.choice(BOUND_VALUES)
        elif fault == 2 and unit == "‰":  # per mille given as per cent, or in the cell
            row[7], row[8] = f"{float(value) / 10:.3f}", rng.choice(["%", ""])
            if row[8] == "":
                row[7] += "%"
        elif fault == 3:
            row[8] = rng.choice(["张", "人", "‰" if unit != "‰" else "%"])
        elif fault == 4:
            row[7] = f"{float(value) * 1000:.1f}"  # outside natural bounds for rates
        elif fault == 5:
            row[2] = rng.choice(["婴儿死忙率", "", "新指标A", "婴儿死亡率（‰）", "婴儿死亡率(%)"])
        elif fault == 6:
            row[3] = rng.choice(["20x9", "1800", "2021年", "2020.5", "", "２０２２"])
        elif fault == 7:
            row[4] = rng.choice(["x", "未知", "男女"])
        elif fault == 8:
            row[5] = rng.choice(["郊区", "?"])
        elif fault == 9:
            row[0] = rng.choice(["", " 县1 ", "县１"])
        elif fault == 10:
            row[7] = f"{float(value):,.3f}".replace(".", "．")  # full-width point
        elif fault == 11:
            row[7] = f" {value} "
        rows.append(row)
        if fault == 12 and rows:  # a repeat of the previous row, same value or a different one
            again = list(rows[-1])
            if rng.random() < 0.5 and again[7].replace(".", "").isdigit():
                again[7] = f"{float(again[7]) + 1:.2f}"
            rows.append(again)
        if fault == 13:
            rows.append([""] * len(HEADER))
        if fault == 14:
            rows.append([rng.choice(["注：1. 数据为快报数。", "填表人：张三", "一、儿童与健康", "审核：李四"])]
                        + [""] * (len(HEADER) - 1))
    return rows


def write_csv(path: Path, rows: list[list[str]], encoding: str = "utf-8", preamble: bool = True) -> None:
    with path.open("w", encoding=encoding, newline="") as f:
        w = csv.writer(f)
        if preamble:
            w.writerow(["2024年儿童发展监测数据报表"] + [""] * (len(HEADER) - 1))
        w.writerow(HEADER)
        w.writerows(rows)
        w.writerow(["填报单位：某县统计局"] + [""] * (len(HEADER) - 1))


def write_ragged(path: Path, rows: list[list[str]]) -> None:
    """A CSV with an unquoted thousands separator in some rows (more fields than the header)."""
    lines = [",".join(HEADER)]
    for i, row in enumerate(rows):
        cells = [c.replace(",", "") for c in row]
        if i % 37 == 5:
            cells[7] = "1,200"
        lines.append(",".join(cells))
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")


def write_xlsx(path: Path, rows: list[list[str]]) -> None:
    book = openpyxl.Workbook()
    sheet = book.active
    sheet.title = "监测数据"
    sheet.append(["2024年儿童发展监测数据报表"])
    sheet.append(HEADER)
    for row in rows:
        sheet.append([float(c) if c.replace(".", "", 1).isdigit() else c for c in row])
    book.save(path)


def write_wide(path: Path, seed: int) -> None:
    rng = np.random.default_rng(seed)
    years = [str(y) + "年" for y in range(2018, 2025)]
    lines = [["地区：县2"], ["指标名称", "单位", *years], ["一、儿童与健康"]]
    for name, unit, lo, hi in [*NAMES, ("未知指标", "%", 0, 1)]:
        cells = [f"{lo + (hi - lo) * rng.random():.1f}" for _ in years]
        cells[rng.integers(len(cells))] = rng.choice(["", "—", "≥95", "abc"])
        lines.append([name, unit, *cells])
    lines.append(["注：2024年为快报数。"])
    with path.open("w", encoding="utf-8", newline="") as f:
        csv.writer(f).writerows(lines)


def cases() -> dict[str, list[str]]:
    """Input files of each case (read together, in this order)."""
    return {
        "long": ["messy_long.csv"],
        "gbk": ["messy_long_gbk.csv"],
        "ragged": ["messy_ragged.csv"],
        "excel": ["messy_long.xlsx"],
        "wide": ["messy_wide.csv"],
        "together": ["messy_long.csv", "messy_later.csv", "messy_long.xlsx", "messy_wide.csv"],
    }


def make_inputs() -> None:
    INPUTS.mkdir(parents=True, exist_ok=True)
    rows = messy_rows(3000, seed=7)
    write_csv(INPUTS / "messy_long.csv", rows)
    write_csv(INPUTS / "messy_long_gbk.csv", messy_rows(800, seed=8), encoding="gbk")
    write_ragged(INPUTS / "messy_ragged.csv", messy_rows(600, seed=9))
    write_xlsx(INPUTS / "messy_long.xlsx", messy_rows(700, seed=10))
    write_wide(INPUTS / "messy_wide.csv", seed=11)
    later = [list(r) for r in rows[::5]]  # a later file: half the same values, half revised
    for i, r in enumerate(later):
        if i % 2 and r[7].replace(".", "").isdigit():
            r[7] = f"{float(r[7]) * 0.9:.2f}"
    write_csv(INPUTS / "messy_later.csv", later, preamble=False)


def outcome(files: list[str]) -> dict[str, pd.DataFrame]:
    """What ``read_observations`` makes of ``files``: every table, text as str, paths relative."""
    result = read_observations([INPUTS / f for f in files])
    tables = {"observations": result.observations, "rejected": result.rejected, "skipped": result.skipped,
              "conflicts": result.conflicts, "files": result.files,
              "warnings": pd.DataFrame({"warning": result.warnings}),
              "counts": pd.DataFrame({"rows_read": [result.rows_read]})}
    return {name: plain(t) for name, t in tables.items()}


def plain(frame: pd.DataFrame) -> pd.DataFrame:
    """Text columns as plain ``str`` with file paths relative to the inputs folder; numbers as they are."""
    out = {}
    for c in frame.columns:
        s = frame[c]
        if pd.api.types.is_numeric_dtype(s.dtype) and not isinstance(s.dtype, pd.CategoricalDtype):
            out[c] = s.reset_index(drop=True)
        else:
            out[c] = pd.Series([str(v).replace(str(INPUTS) + "/", "") for v in s], dtype=object)
    return pd.DataFrame(out, columns=frame.columns)


def main() -> None:
    make_inputs()
    manifest = cases()
    for name, files in manifest.items():
        for table, frame in outcome(files).items():
            frame.to_parquet(OUT / f"{name}.{table}.parquet", index=False)
    (OUT / "cases.json").write_text(json.dumps(manifest, ensure_ascii=False, indent=1) + "\n", encoding="utf-8")
    print(f"wrote {len(manifest)} cases to {OUT}")


if __name__ == "__main__":
    main()
